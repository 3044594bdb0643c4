import type * as tf from '@tensorflow/tfjs-core';
import type * as tfd from '@tensorflow/tfjs-data';
import { augmentBatch } from './augment.js';
import { validateAugmentOptions, type AugmentOptions } from './options.js';

/** A dataset element: a batch of images and anything else that passes through unchanged. */
export interface ImageBatch {
  readonly xs: tf.Tensor4D;
  readonly [key: string]: tf.TensorContainer;
}

/**
 * Adds augmentation to a tfjs-data pipeline of `{ xs, ... }` batches (use it for training
 * data only). Element `k` (counted across passes, so every epoch draws anew) is augmented with
 * seed `(seed, k)`; a new call restarts the count, so the same seed replays the same stream.
 * tfjs-data disposes each input batch once it is replaced.
 *
 * @example
 * ```ts
 * const train = augmentDataset(tf.data.array(batches), AUGMENT_PRESETS.ct, 7);
 * await model.fitDataset(train, { epochs: 10 });
 * ```
 */
export function augmentDataset<T extends ImageBatch>(
  dataset: tfd.Dataset<T>,
  options: AugmentOptions,
  seed: number,
): tfd.Dataset<T> {
  validateAugmentOptions(options);
  let element = 0;
  return dataset.map((batch) => ({ ...batch, xs: augmentBatch(batch.xs, options, { seed, epoch: element++ }) }) as T);
}
