import * as tf from '@tensorflow/tfjs-core';
import { columnSumKernel, kernelsAvailable } from './kernels/ops.js';

/**
 * The gradient of a broadcast addition with respect to its rank-1 operand (a bias over the
 * last axis): the column sums of the output gradient seen as a `[rows, channels]` matrix.
 * wasm's `sum` over the leading axes of a 4-D tensor is about 4x slower than over the first
 * axis of the same data as a matrix, and the SIMD kernel of assembly/training.ts faster still
 * (used where it runs). Returns undefined when the shapes are not that case.
 */
export function biasGrad(dy: tf.Tensor, operand: tf.Tensor): tf.Tensor | undefined {
  const channels = dy.shape[dy.rank - 1];
  if (operand.rank !== 1 || dy.rank < 3 || operand.shape[0] !== channels || channels === undefined) return undefined;
  return tf.tidy(() => {
    const matrix = tf.reshape(dy, [dy.size / channels, channels]) as tf.Tensor2D;
    return dy.dtype === 'float32' && kernelsAvailable() ? columnSumKernel(matrix) : tf.sum(matrix, 0);
  });
}
