import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * Runs `model` in inference mode over `xs` in batches and returns the positive-class
 * probability of every row. Allocates nothing that outlives the call.
 */
export async function predictScores(
  model: tfl.LayersModel,
  xs: tf.Tensor4D,
  batchSize = 32,
): Promise<Float32Array> {
  const n = xs.shape[0];
  const out = new Float32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const probs = tf.tidy(() => {
      const batch = tf.slice(xs, [start, 0, 0, 0], [size, -1, -1, -1]);
      const y = model.predict(batch) as tf.Tensor;
      return tf.reshape(y, [size]);
    });
    out.set(await probs.data(), start);
    probs.dispose();
  }
  return out;
}
