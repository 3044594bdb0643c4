import * as tf from '@tensorflow/tfjs-core';
import { augmentBatch, type AugmentOptions } from '../augment/index.js';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { DropoutSite } from './dropout.js';
import { forwardTraining } from './forward.js';
import { weightedBinaryCrossEntropySum } from './loss.js';

/** Everything a thread needs to compute gradients over part of a batch. */
export interface ShardRequest {
  /** Row indices into the training inputs. */
  readonly indices: readonly number[];
  /** Label of each row in `indices`. */
  readonly labels: Float32Array;
  /** Loss weight of each row in `indices`. */
  readonly weights: Float32Array;
  /** Dropout masks of the rows, one per dropout site. */
  readonly masks: readonly Float32Array[];
  /** Epoch of the batch (augmentation draws depend on it). */
  readonly epoch: number;
}

/** Training-time augmentation: its options and seed. */
export interface ShardAugmentation {
  readonly options: AugmentOptions;
  readonly seed: number;
}

/** Gradients of the summed (not averaged) weighted loss over a shard, plus its statistics. */
export interface ShardResult {
  /** One gradient per trainable variable, in `model.trainableWeights` order. */
  readonly grads: Float32Array[];
  /** Sum of the rows' weighted losses. */
  readonly lossSum: number;
  /** Rows predicted on the right side of 0.5. */
  readonly correct: number;
}

/**
 * Computes a {@link ShardResult} for `request` on the active backend. Summing the results of
 * any split of a batch and dividing by its size gives the batch's mean-loss gradient, so a
 * batch shared among threads trains as the whole batch would.
 */
export function shardGradients(
  model: tfl.LayersModel,
  xs: tf.Tensor4D,
  sites: readonly DropoutSite[],
  request: ShardRequest,
  augmentation?: ShardAugmentation,
): ShardResult {
  const n = request.indices.length;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const out = tf.tidy(() => {
    const rows = tf.gather(xs, tf.tensor1d(request.indices as number[], 'int32'));
    const xb = augmentation
      ? augmentBatch(rows, augmentation.options, { seed: augmentation.seed, epoch: request.epoch, samples: request.indices })
      : rows;
    const yb = tf.tensor2d(request.labels, [n, 1]);
    const wb = tf.tensor2d(request.weights, [n, 1]);
    const masks = new Map(sites.map((s, i) => [s.name, tf.tensor2d(request.masks[i] as Float32Array, [n, s.features])]));
    let correct: tf.Tensor = tf.scalar(0);
    const { value, grads } = tf.variableGrads(() => {
      const p = forwardTraining(model, xb, masks);
      correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.cast(tf.greaterEqual(p, 0.5), 'float32'), yb), 'float32')));
      return weightedBinaryCrossEntropySum(yb, p, wb);
    }, variables);
    return { value, correct, grads: variables.map((v) => grads[v.name] as tf.Tensor) };
  });
  const result: ShardResult = {
    grads: out.grads.map((g) => g.dataSync() as Float32Array),
    lossSum: out.value.dataSync()[0] as number,
    correct: out.correct.dataSync()[0] as number,
  };
  tf.dispose([out.value, out.correct, ...out.grads]);
  return result;
}
