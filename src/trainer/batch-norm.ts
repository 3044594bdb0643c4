import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Whether `model` has a batch-normalisation layer. */
export function hasBatchNorm(model: tfl.LayersModel): boolean {
  return model.layers.some((l) => l.getClassName() === 'BatchNormalization');
}

function movingStatistics(layer: tfl.layers.Layer): [tfl.LayerVariable, tfl.LayerVariable] {
  const find = (part: string) => layer.weights.find((w) => w.originalName.endsWith(part)) as tfl.LayerVariable;
  return [find('moving_mean'), find('moving_variance')];
}

/**
 * Sets the moving mean and variance of every batch-normalisation layer of a chain-shaped model
 * to the statistics of its input over all of `xs` (Wu & Johnson's "precise BN"): the network
 * runs as in training, each normalisation on its batch's own statistics, in batches of
 * `batchSize`, and every layer's input is summed over all images, rows and columns per
 * channel. Moving averages over a few small, changing batches lag and wander; these are what
 * the trained network actually sees, so predictions (and a threshold chosen on them) no longer
 * drift from epoch to epoch with the last batches. Dropout stays off. Leaves no tensor behind.
 */
export function recomputeBatchNorm(model: tfl.LayersModel, xs: tf.Tensor4D, batchSize: number): void {
  const layers = model.layers;
  let last = -1;
  layers.forEach((l, i) => {
    if (l.getClassName() === 'BatchNormalization') last = i;
  });
  if (last < 0) return;
  const sums = new Map<tfl.layers.Layer, { sum: Float64Array; squares: Float64Array }>();
  let count = 0;
  const n = xs.shape[0];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const moments: [tfl.layers.Layer, Float32Array, Float32Array][] = [];
    tf.tidy(() => {
      let h: tf.Tensor = tf.slice(xs, [start, 0, 0, 0], [size, -1, -1, -1]);
      for (let i = 0; i <= last; i++) {
        const layer = layers[i] as tfl.layers.Layer;
        if (layer.getClassName() === 'InputLayer') continue;
        const isNorm = layer.getClassName() === 'BatchNormalization';
        if (isNorm) {
          const axes = h.shape.map((_, a) => a).slice(0, -1);
          const m = tf.moments(h, axes);
          moments.push([layer, m.mean.dataSync() as Float32Array, m.variance.dataSync() as Float32Array]);
        }
        h = layer.apply(h, { training: isNorm }) as tf.Tensor;
      }
    });
    // Every position of a batch counts once: weights proportional to the images in it.
    for (const [layer, mean, variance] of moments) {
      let s = sums.get(layer);
      if (!s) sums.set(layer, (s = { sum: new Float64Array(mean.length), squares: new Float64Array(mean.length) }));
      for (let c = 0; c < mean.length; c++) {
        const mu = mean[c] as number;
        s.sum[c] = (s.sum[c] as number) + size * mu;
        s.squares[c] = (s.squares[c] as number) + size * ((variance[c] as number) + mu * mu);
      }
    }
    count += size;
  }
  for (const [layer, { sum, squares }] of sums) {
    const mean = Float32Array.from(sum, (v) => v / count);
    const variance = Float32Array.from(squares, (v, c) => Math.max(0, v / count - (mean[c] as number) ** 2));
    const [movingMean, movingVariance] = movingStatistics(layer);
    tf.tidy(() => {
      movingMean.write(tf.tensor(mean, movingMean.shape as number[]));
      movingVariance.write(tf.tensor(variance, movingVariance.shape as number[]));
    });
  }
}
