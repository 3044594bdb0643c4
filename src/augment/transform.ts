import * as tf from '@tensorflow/tfjs-core';
import type { FillMode } from './options.js';

/**
 * `tf.image.transform` (bilinear) of a batch with one 8-number matrix per image, working around
 * two TensorFlow.js 4.22 bugs: the cpu kernel transforms only the first image of a batch (it
 * returns inside its batch loop), so on cpu each image goes alone; and the wasm kernel's
 * `reflect` mirrors without repeating the edge pixel (TensorFlow's `reflect` is
 * `d c b a | a b c d | d c b a`), so on wasm a `reflect` transform reads from a copy padded
 * with `tf.mirrorPad(..., 'symmetric')`, exact for displacements up to one image size.
 */
export function transformImages(
  images: tf.Tensor4D,
  matrices: readonly (readonly number[])[],
  fillMode: FillMode,
  cval: number,
): tf.Tensor4D {
  const [n, h, w] = images.shape;
  const backend = tf.getBackend();
  return tf.tidy(() => {
    if (backend === 'cpu' && n > 1) {
      return tf.concat(
        matrices.map((m, i) =>
          tf.image.transform(tf.slice(images, [i, 0, 0, 0], [1, -1, -1, -1]), tf.tensor2d([...m], [1, 8]), 'bilinear', fillMode, cval),
        ),
      );
    }
    if (backend === 'wasm' && fillMode === 'reflect') {
      const p = Math.max(h, w);
      const padded = tf.mirrorPad(images, [[0, 0], [p, p], [p, p], [0, 0]], 'symmetric');
      // Same mapping, read in the padded frame: input x + p, y + p.
      const shifted = matrices.map((m) => [m[0], m[1], (m[2] as number) + p, m[3], m[4], (m[5] as number) + p, m[6], m[7]] as number[]);
      return tf.image.transform(padded, tf.tensor2d(shifted.flat(), [n, 8]), 'bilinear', 'reflect', cval, [h, w]);
    }
    return tf.image.transform(images, tf.tensor2d(matrices.flat(), [n, 8]), 'bilinear', fillMode, cval);
  });
}
