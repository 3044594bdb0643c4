import * as tf from '@tensorflow/tfjs-core';
import { kernelsAvailable, maxPoolGradKernel } from './kernels/ops.js';

/** Attributes of a MaxPool kernel call, as the gradient receives them. */
export interface MaxPoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

/** True for the non-overlapping k x k pooling with stride k and no padding that the models use. */
export function maxPoolSpecialised(attrs: MaxPoolAttrs): boolean {
  const [fh, fw] = pair(attrs.filterSize);
  const [sh, sw] = pair(attrs.strides);
  return fh === sh && fw === sw && attrs.pad === 'valid';
}

/**
 * Gradient of a non-overlapping max-pooling: the output gradient, upsampled by
 * nearest-neighbour, flows to the input positions that equal their window's maximum. Where
 * several positions of one window tie for the maximum, each receives the gradient (the
 * stock kernel gives it to the first only); with real-valued activations such ties have
 * probability zero, and ties at zero are cancelled by the ReLU that precedes pooling.
 */
export function maxPoolGradByMask(dy: tf.Tensor4D, x: tf.Tensor4D, y: tf.Tensor4D, attrs: MaxPoolAttrs): tf.Tensor4D {
  const [fh, fw] = pair(attrs.filterSize);
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const ch = (y.shape[1] as number) * fh;
    const cw = (y.shape[2] as number) * fw;
    const covered = ch === h && cw === w ? x : tf.slice(x, [0, 0, 0, 0], [-1, ch, cw, -1]);
    const yUp = tf.image.resizeNearestNeighbor(y, [ch, cw]);
    const dyUp = tf.image.resizeNearestNeighbor(dy, [ch, cw]);
    // yUp >= covered everywhere, equal exactly at each window's maximum: 1 - step(yUp - x) is
    // the mask (float arithmetic; wasm's boolean comparisons are several times slower).
    const mask = tf.sub(tf.scalar(1), tf.step(tf.sub(yUp, covered)));
    const dx = tf.mul(dyUp, mask) as tf.Tensor4D;
    return ch === h && cw === w
      ? dx
      : (tf.pad(dx, [
          [0, 0],
          [0, h - ch],
          [0, w - cw],
          [0, 0],
        ]) as tf.Tensor4D);
  });
}

function poolInfo(x: tf.Tensor4D, attrs: MaxPoolAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computePool2DInfo(x.shape, attrs.filterSize, attrs.strides, 1, attrs.pad as 'valid', attrs.dimRoundingMode);
}

/**
 * Max-pooling gradient as the cpu backend computes it (the first maximum of each window, row by
 * row, receives the gradient; overlapping windows add up), for any window, stride and padding:
 * the SIMD kernel of assembly/training.ts where it runs.
 */
export function maxPoolGrad(dy: tf.Tensor4D, x: tf.Tensor4D, y: tf.Tensor4D, attrs: MaxPoolAttrs): tf.Tensor4D {
  if (x.dtype === 'float32' && kernelsAvailable()) return maxPoolGradKernel(dy, x, poolInfo(x, attrs));
  return maxPoolSpecialised(attrs) ? maxPoolGradByMask(dy, x, y, attrs) : maxPoolGradGeneral(dy, x, attrs);
}

/**
 * General max-pooling gradient computed in JavaScript, as the cpu backend does it (the first
 * maximum of each window receives the gradient): the fallback where the SIMD kernel cannot run
 * (the stock wasm kernel returns wrong values for padded or overlapping windows).
 */
export function maxPoolGradGeneral(dy: tf.Tensor4D, x: tf.Tensor4D, attrs: MaxPoolAttrs): tf.Tensor4D {
  const info = poolInfo(x, attrs);
  const xs = x.dataSync();
  const dys = dy.dataSync();
  const [n, h, w, c] = x.shape;
  const dx = new Float32Array(xs.length);
  const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padInfo } = info;
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < outHeight; r++) {
      for (let q = 0; q < outWidth; q++) {
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let i = 0; i < filterHeight; i++) {
            const xr = r * strideHeight - padInfo.top + i;
            if (xr < 0 || xr >= h) continue;
            for (let j = 0; j < filterWidth; j++) {
              const xc = q * strideWidth - padInfo.left + j;
              if (xc < 0 || xc >= w) continue;
              const idx = ((b * h + xr) * w + xc) * c + ch;
              if ((xs[idx] as number) > best) {
                best = xs[idx] as number;
                at = idx;
              }
            }
          }
          if (at >= 0) dx[at] = (dx[at] as number) + (dys[((b * outHeight + r) * outWidth + q) * c + ch] as number);
        }
      }
    }
  }
  return tf.tensor4d(dx, x.shape);
}
