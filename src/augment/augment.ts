import * as tf from '@tensorflow/tfjs-core';
import { CtHemorrhageError } from '../errors/index.js';
import { createRng, mixSeed } from '../random/index.js';
import { affineMatrix, isIdentity } from './geometry.js';
import { validateAugmentOptions, type AugmentOptions } from './options.js';
import { drawImage } from './sample.js';
import { transformImages } from './transform.js';

/**
 * The seed of a batch: a number, or `{ seed, epoch, samples }` where `samples` names each row
 * (a dataset index, say) so that a row's augmentation depends only on (seed, epoch, sample),
 * not on the batch it sits in. Rows default to their position.
 */
export type AugmentSeed = number | { readonly seed: number; readonly epoch?: number; readonly samples?: readonly number[] };

/**
 * Augments a batch `[n, h, w, c]` (1-channel slices or window stacks) with TensorFlow.js ops on
 * the active backend: all geometric transforms of an image compose into one affine matrix and
 * it is resampled once (bilinear, `tf.image.transform`), then brightness, contrast, gamma and
 * noise, then values are clipped to `valueRange`. Seeded: the same seed gives the same batch
 * on the same backend. The caller owns the result; nothing else is left allocated.
 *
 * @example
 * ```ts
 * const out = augmentBatch(xs, AUGMENT_PRESETS.ct, { seed: 7, epoch: 3 });
 * out.shape; // same as xs.shape
 * ```
 */
export function augmentBatch(images: tf.Tensor4D, options: AugmentOptions, seed: AugmentSeed): tf.Tensor4D {
  validateAugmentOptions(options);
  if (images.rank !== 4) {
    throw new CtHemorrhageError('SHAPE_MISMATCH', `augmentBatch takes a batch [n, h, w, c]; got shape [${images.shape.join(', ')}].`, {
      expected: 'rank 4',
      received: images.shape,
    });
  }
  const [n, h, w, c] = images.shape;
  const base = typeof seed === 'number' ? { seed, epoch: 0, samples: undefined } : seed;
  if (base.samples !== undefined && base.samples.length !== n) {
    throw new CtHemorrhageError('SHAPE_MISMATCH', `augmentBatch got ${base.samples.length} sample ids for ${n} images.`, {
      expected: n,
      received: base.samples.length,
    });
  }
  const draws = Array.from({ length: n }, (_, i) =>
    drawImage(options, createRng(mixSeed(base.seed, base.epoch ?? 0, base.samples?.[i] ?? i)), w, h),
  );
  const [lo, hi] = options.valueRange ?? [0, 1];
  return tf.tidy(() => {
    let x: tf.Tensor4D = images;
    const matrices = draws.map((d) => affineMatrix(d.affine, w, h));
    if (!matrices.every(isIdentity)) {
      x = transformImages(x, matrices, options.fillMode ?? 'nearest', options.cval ?? 0);
    }
    const perImage = (values: number[]) => tf.tensor4d(values, [n, 1, 1, 1]);
    if (draws.some((d) => d.brightness !== 1)) x = tf.mul(x, perImage(draws.map((d) => d.brightness)));
    if (draws.some((d) => d.contrast !== 1)) {
      const mean = tf.mean(x, [1, 2, 3], true);
      x = tf.add(tf.mul(tf.sub(x, mean), perImage(draws.map((d) => d.contrast))), mean);
    }
    if (draws.some((d) => d.gamma !== 1)) x = tf.pow(tf.relu(x), perImage(draws.map((d) => d.gamma)));
    if (options.noiseStd) {
      const noise = draws.map((d) => tf.randomNormal([1, h, w, c], 0, options.noiseStd, 'float32', d.noiseSeed));
      x = tf.add(x, tf.concat(noise, 0));
    }
    return x === images ? tf.clone(images) : (tf.clipByValue(x, lo, hi) as tf.Tensor4D);
  });
}
