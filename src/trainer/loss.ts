import * as tf from '@tensorflow/tfjs-core';

const EPSILON = 1e-7;

/**
 * Weighted binary cross-entropy of probabilities `p` against labels `y` (both `[n, 1]`), as
 * Keras computes it: probabilities clipped to [1e-7, 1 - 1e-7], `sum(w * l) / n`.
 */
export function weightedBinaryCrossEntropy(y: tf.Tensor, p: tf.Tensor, w: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const pc = tf.clipByValue(p, EPSILON, 1 - EPSILON);
    const one = tf.scalar(1);
    const l = tf.neg(tf.add(tf.mul(y, tf.log(pc)), tf.mul(tf.sub(one, y), tf.log(tf.sub(one, pc)))));
    return tf.mean(tf.mul(l, w)) as tf.Scalar;
  });
}
