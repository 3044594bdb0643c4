import * as tf from '@tensorflow/tfjs-core';
import { conv2dKernel, filterGradKernel, kernelsAvailable } from './kernels/ops.js';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/** Attributes of a Conv2D kernel call, as the gradient receives them. */
export interface Conv2DAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const pair = (v: number | [number, number] | undefined): [number, number] =>
  v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : v;

/** True when the fast composition below handles this convolution. */
export function conv2dSpecialised(attrs: Conv2DAttrs): boolean {
  const [dh, dw] = pair(attrs.dilations);
  return (attrs.dataFormat ?? 'NHWC') === 'NHWC' && dh === 1 && dw === 1;
}

/** Zero-pads the two spatial axes of an NHWC tensor; returns it unchanged when nothing is added. */
function padSpatial(x: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return x;
  return tf.pad(x, [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ]);
}

function convInfo(x: tf.Tensor4D, filter: tf.Tensor4D, attrs: Conv2DAttrs) {
  return tf.backend_util.computeConv2DInfo(
    x.shape,
    filter.shape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad as 'valid',
    attrs.dimRoundingMode,
  );
}

/**
 * Gradient of a convolution with respect to its input, as one forward convolution of the
 * output gradient with the flipped, transposed filter: the SIMD kernel of assembly/training.ts
 * where it runs (input channels a multiple of 8), else XNNPACK on the padded gradient. Stride 1
 * only (other strides use the backend's own kernel).
 */
export function conv2dInputGrad(dy: tf.Tensor4D, x: tf.Tensor4D, filter: tf.Tensor4D, attrs: Conv2DAttrs): tf.Tensor4D {
  const info = convInfo(x, filter, attrs);
  if (info.strideHeight !== 1 || info.strideWidth !== 1) {
    return tf.conv2dTranspose(dy, filter, x.shape, attrs.strides, attrs.pad as 'valid', attrs.dimRoundingMode);
  }
  return tf.tidy(() => {
    const [kh, kw] = [info.filterHeight, info.filterWidth];
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = info.inHeight - info.outHeight + kh - 1 - top;
    const right = info.inWidth - info.outWidth + kw - 1 - left;
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    if (info.inChannels % 8 === 0 && dy.dtype === 'float32' && kernelsAvailable()) {
      // The SIMD convolution pads on the fly: no padded copy of dy.
      const padding: tf.backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
      return conv2dKernel(dy, flipped, null, tf.backend_util.computeConv2DInfo(dy.shape, flipped.shape, 1, 1, padding), false);
    }
    return tf.conv2d(padSpatial(dy, top, bottom, left, right), flipped, 1, 'valid');
  });
}

/**
 * Gradient of a convolution with respect to its filter: the SIMD kernel of assembly/training.ts
 * where it runs, otherwise one forward convolution of the
 * (padded) input with batch and channels swapped, the output gradient acting as the filter
 * (dilated by the forward stride).
 */
export function conv2dFilterGrad(dy: tf.Tensor4D, x: tf.Tensor4D, filter: tf.Tensor4D, attrs: Conv2DAttrs): tf.Tensor4D {
  const info = convInfo(x, filter, attrs);
  if (x.dtype === 'float32' && kernelsAvailable()) return filterGradKernel(x, dy, info);
  return conv2dFilterGradComposed(dy, x, info);
}

/** {@link conv2dFilterGrad} from stock kernels, where the SIMD kernels cannot run. */
function conv2dFilterGradComposed(dy: tf.Tensor4D, x: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  if (info.inChannels === 1 && info.strideHeight === 1 && info.strideWidth === 1) {
    return singleChannelFilterGrad(dy, x, info);
  }
  return tf.tidy(() => {
    const { top, bottom, left, right } = info.padInfo;
    const padded = padSpatial(x, top, bottom, left, right);
    const xT = tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D; // [Ci, H, W, N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [Ho, Wo, N, Co]
    const dilations: [number, number] = [info.strideHeight, info.strideWidth];
    let r = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', dilations); // [Ci, >=kh, >=kw, Co]
    if (r.shape[1] !== info.filterHeight || r.shape[2] !== info.filterWidth) {
      r = tf.slice(r, [0, 0, 0, 0], [-1, info.filterHeight, info.filterWidth, -1]);
    }
    return tf.transpose(r, [1, 2, 0, 3]) as tf.Tensor4D; // [kh, kw, Ci, Co]
  });
}

/**
 * Filter gradient of a stride-1 convolution of a one-channel input (the first layer): for each
 * of the kh x kw taps, the shifted input as one row, and a single matrix product of those
 * rows with the output gradient. A convolution with a kernel the size of the image, as the
 * general path would run, is several times slower on wasm.
 */
function singleChannelFilterGrad(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  return tf.tidy(() => {
    const { top, bottom, left, right } = info.padInfo;
    const padded = padSpatial(x, top, bottom, left, right);
    // [N, H, W, 1] -> [1, N, H, W]: a free reshape, since the channel axis has size 1.
    const planes = tf.reshape(padded, [1, padded.shape[0], padded.shape[1] as number, padded.shape[2] as number]);
    const rows: tf.Tensor[] = [];
    for (let i = 0; i < info.filterHeight; i++) {
      for (let j = 0; j < info.filterWidth; j++) {
        const tap = tf.slice(planes, [0, 0, i, j], [-1, -1, info.outHeight, info.outWidth]);
        rows.push(tf.reshape(tap, [1, -1]));
      }
    }
    const grads = tf.matMul(tf.concat(rows, 0), tf.reshape(dy, [-1, info.outChannels]));
    return tf.reshape(grads, [info.filterHeight, info.filterWidth, 1, info.outChannels]) as tf.Tensor4D;
  });
}
