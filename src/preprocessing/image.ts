import * as tf from '@tensorflow/tfjs-core';
import { CtHemorrhageError } from '../errors/index.js';
import type { Preprocessing } from './spec.js';

/**
 * A decoded image in row-major order: `channels` interleaved values per pixel (1 grey,
 * 2 grey + alpha, 3 RGB, 4 RGBA), each 0-255. `ImageData` from a canvas fits this shape.
 */
export interface RawImage {
  readonly data: Uint8Array | Uint8ClampedArray | Float32Array | number[];
  readonly width: number;
  readonly height: number;
  /** Interleaved values per pixel; inferred from `data.length` when left out. */
  readonly channels?: number;
}

/** Returns the channel count of `image`, checking that its buffer fits its size. */
export function channelsOf(image: RawImage): number {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `An image needs a positive integer width and height; got ${width}x${height}.`,
      { expected: 'positive integers', received: { width, height } },
    );
  }
  const pixels = width * height;
  const channels = image.channels ?? data.length / pixels;
  if (![1, 2, 3, 4].includes(channels) || data.length !== pixels * channels) {
    throw new CtHemorrhageError(
      'SHAPE_MISMATCH',
      `An image of ${width}x${height} needs 1, 2, 3 or 4 values per pixel ` +
        `(${pixels}, ${pixels * 2}, ${pixels * 3} or ${pixels * 4} in all); its data holds ${data.length}. ` +
        'Pass {data, width, height} with interleaved grey, grey+alpha, RGB or RGBA values.',
      { expected: [pixels, pixels * 2, pixels * 3, pixels * 4], received: data.length },
    );
  }
  return channels;
}

/**
 * Converts any {@link RawImage} to one grey channel (BT.601 luma; alpha ignored).
 *
 * @example
 * ```ts
 * toGray({ data: [255, 0, 0, 255], width: 1, height: 1 }); // Float32Array [76.245]
 * ```
 */
export function toGray(image: RawImage): Float32Array {
  const channels = channelsOf(image);
  const pixels = image.width * image.height;
  const out = new Float32Array(pixels);
  const d = image.data;
  if (channels <= 2) {
    for (let i = 0; i < pixels; i++) out[i] = d[i * channels] as number;
    return out;
  }
  for (let i = 0; i < pixels; i++) {
    const o = i * channels;
    out[i] = 0.299 * (d[o] as number) + 0.587 * (d[o + 1] as number) + 0.114 * (d[o + 2] as number);
  }
  return out;
}

/**
 * Turns one raw image into a model input `[height, width, channels]` following `spec`.
 * The caller owns the returned tensor.
 *
 * @example
 * ```ts
 * const x = imageToTensor(image, getModelInfo(model).preprocessing);
 * x.shape; // [128, 128, 1], values in [0, 1]
 * ```
 */
export function imageToTensor(image: RawImage, spec: Preprocessing): tf.Tensor3D {
  const gray = toGray(image);
  const [h, w] = spec.inputSize;
  return tf.tidy(() => {
    const t = tf.tensor3d(gray, [image.height, image.width, 1], 'float32');
    const resized =
      image.height === h && image.width === w ? t : tf.image.resizeBilinear(t, [h, w], false, true);
    return tf.mul(resized, tf.scalar(spec.scale)) as tf.Tensor3D;
  });
}

/**
 * Stacks raw images into one model-input batch `[n, height, width, channels]`.
 *
 * @example
 * ```ts
 * const xs = imagesToBatch([a, b, c], getModelInfo(model).preprocessing);
 * xs.shape; // [3, 128, 128, 1]
 * ```
 */
export function imagesToBatch(images: readonly RawImage[], spec: Preprocessing): tf.Tensor4D {
  if (images.length === 0) {
    throw new CtHemorrhageError('EMPTY_DATASET', 'No images to preprocess: pass at least one image.');
  }
  return tf.tidy(() => tf.stack(images.map((im) => imageToTensor(im, spec))) as tf.Tensor4D);
}

/**
 * Treats a tensor as image pixels (0-255) of shape `[h, w]`, `[h, w, c]` or `[n, h, w, c]`
 * and preprocesses it like a decoded image. The caller keeps ownership of `input` and owns
 * the returned batch.
 *
 * @example
 * ```ts
 * const pixels = tf.browser.fromPixels(canvas); // [h, w, 3], 0-255
 * const xs = tensorToBatch(pixels, getModelInfo(model).preprocessing);
 * xs.shape; // [1, 128, 128, 1]
 * ```
 */
export function tensorToBatch(input: tf.Tensor, spec: Preprocessing): tf.Tensor4D {
  const [h, w] = spec.inputSize;
  return tf.tidy(() => {
    let x: tf.Tensor = tf.cast(input, 'float32');
    if (x.rank === 2) x = tf.expandDims(x, -1);
    if (x.rank === 3) x = tf.expandDims(x, 0);
    if (x.rank !== 4) {
      throw new CtHemorrhageError(
        'SHAPE_MISMATCH',
        `A tensor input must be [h, w], [h, w, c] or [n, h, w, c] pixels; got shape [${input.shape.join(', ')}].`,
        { expected: 'rank 2, 3 or 4', received: input.shape },
      );
    }
    const c = x.shape[3] as number;
    if (c === 3 || c === 4) {
      const weights = tf.tensor1d(c === 3 ? [0.299, 0.587, 0.114] : [0.299, 0.587, 0.114, 0]);
      x = tf.sum(tf.mul(x, weights), -1, true);
    } else if (c === 2) {
      x = tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 1]);
    } else if (c !== 1) {
      throw new CtHemorrhageError(
        'SHAPE_MISMATCH',
        `A tensor input needs 1, 2, 3 or 4 channels; got ${c}.`,
        { expected: [1, 2, 3, 4], received: c },
      );
    }
    const x4 = x as tf.Tensor4D;
    const resized =
      x4.shape[1] === h && x4.shape[2] === w ? x4 : tf.image.resizeBilinear(x4, [h, w], false, true);
    return tf.mul(resized, tf.scalar(spec.scale)) as tf.Tensor4D;
  });
}
