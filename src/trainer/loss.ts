import * as tf from '@tensorflow/tfjs-core';

const EPSILON = 1e-7;

/**
 * Summed weighted binary cross-entropy `sum(w * l)` of probabilities `p` against labels `y`
 * (all `[n, 1]`), with probabilities clipped to [1e-7, 1 - 1e-7] as Keras does. Divided by
 * the batch size it is the Keras loss; the trainer sums it over the parts of a batch that
 * different threads compute, then divides.
 */
export function weightedBinaryCrossEntropySum(y: tf.Tensor, p: tf.Tensor, w: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const pc = tf.clipByValue(p, EPSILON, 1 - EPSILON);
    const one = tf.scalar(1);
    const l = tf.neg(tf.add(tf.mul(y, tf.log(pc)), tf.mul(tf.sub(one, y), tf.log(tf.sub(one, pc)))));
    return tf.sum(tf.mul(l, w)) as tf.Scalar;
  });
}
