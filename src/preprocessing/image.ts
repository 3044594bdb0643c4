import * as tf from '@tensorflow/tfjs-core';
import { CtHemorrhageError } from '../errors/index.js';
import { resolveWindow, type CtWindow, type WindowSpec } from '../windowing/index.js';
import { frameBatch, frameImage, PAD_HU } from './frame.js';
import { isHuImage, type SliceImage } from './hu-image.js';
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

/** Maps a resized HU tensor `[..., 1]` through each window into channels `[..., windows]`. */
function windowTensor(hu: tf.Tensor, windows: readonly WindowSpec[], fileWindow: CtWindow | undefined, name: string): tf.Tensor {
  const channels = windows.map((spec) => {
    const w = resolveWindow(spec, fileWindow, name);
    const low = w.level - w.width / 2;
    return tf.clipByValue(tf.div(tf.sub(hu, tf.scalar(low)), tf.scalar(w.width)), 0, 1);
  });
  return channels.length === 1 ? (channels[0] as tf.Tensor) : tf.concat(channels, -1);
}

function wrongKind(spec: Preprocessing, hu: boolean): CtHemorrhageError {
  return hu
    ? new CtHemorrhageError(
        'BAD_INPUT',
        'This model takes display images (grey pixels 0-255) but got a slice in Hounsfield units. ' +
          'Window it first (applyWindow(slice.hu, WINDOW_PRESETS.brain), times 255), or train a model with `windows` ' +
          "(e.g. ['brain', 'subdural', 'soft-tissue']) to feed HU slices directly.",
        { expected: 'display image', received: 'HU slice' },
      )
    : new CtHemorrhageError(
        'BAD_INPUT',
        `This model takes CT slices in Hounsfield units (windows ${JSON.stringify(spec.windows)}) but got a display image. ` +
          'Give DICOM files, PNGs that store HU with an offset (readHuPng), or HuImage objects.',
        { expected: 'HU slice', received: 'display image' },
      );
}

/**
 * Turns one image into a model input `[height, width, channels]` following `spec`: display
 * pixels become grey times `spec.scale`; with `spec.windows`, a slice in Hounsfield units is
 * resized in HU and mapped through each window to 0..1. Either is first cropped or padded to
 * the input's aspect ratio when `spec.resize` says so. The caller owns the returned tensor.
 * Throws `BAD_INPUT` when the kind of image does not match the model (HU for a display-image
 * model, or the reverse).
 *
 * @example
 * ```ts
 * const x = imageToTensor(image, getModelInfo(model).preprocessing);
 * x.shape; // [128, 128, 1], values in [0, 1]
 * const y = imageToTensor(dicomSlice, { ...spec, channels: 3, windows: ['brain', 'subdural', 'soft-tissue'] });
 * y.shape; // [128, 128, 3]
 * ```
 */
export function imageToTensor(image: SliceImage, spec: Preprocessing, name = 'the image'): tf.Tensor3D {
  const [h, w] = spec.inputSize;
  if (spec.windows) {
    if (!isHuImage(image)) throw wrongKind(spec, false);
    const { width, height } = image;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || image.hu.length !== width * height) {
      throw new CtHemorrhageError(
        'SHAPE_MISMATCH',
        `A HU slice of ${width}x${height} needs ${width * height} values; it holds ${image.hu.length}.`,
        { expected: width * height, received: image.hu.length },
      );
    }
    const windows = spec.windows;
    return tf.tidy(() => {
      const t = frameImage(tf.tensor3d(Float32Array.from(image.hu), [height, width, 1], 'float32'), h, w, spec.resize, PAD_HU);
      return windowTensor(t, windows, image.window, name) as tf.Tensor3D;
    });
  }
  if (isHuImage(image)) throw wrongKind(spec, true);
  const gray = toGray(image);
  return tf.tidy(() => {
    const t = frameImage(tf.tensor3d(gray, [image.height, image.width, 1], 'float32'), h, w, spec.resize, 0);
    return tf.mul(t, tf.scalar(spec.scale)) as tf.Tensor3D;
  });
}

/**
 * Stacks images (display pixels or HU slices, as the model takes) into one model-input batch
 * `[n, height, width, channels]`.
 *
 * @example
 * ```ts
 * const xs = imagesToBatch([a, b, c], getModelInfo(model).preprocessing);
 * xs.shape; // [3, 128, 128, 1]
 * ```
 */
export function imagesToBatch(images: readonly SliceImage[], spec: Preprocessing): tf.Tensor4D {
  if (images.length === 0) {
    throw new CtHemorrhageError('EMPTY_DATASET', 'No images to preprocess: pass at least one image.');
  }
  return tf.tidy(() => tf.stack(images.map((im) => imageToTensor(im, spec))) as tf.Tensor4D);
}

/**
 * Treats a tensor as image pixels (0-255) of shape `[h, w]`, `[h, w, c]` or `[n, h, w, c]`
 * and preprocesses it like a decoded image; for a model with `windows`, the tensor holds
 * Hounsfield units with one channel and is windowed like an HU slice. The caller keeps ownership of `input` and owns
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
    if (spec.windows) {
      if (c !== 1) {
        throw new CtHemorrhageError(
          'SHAPE_MISMATCH',
          `A model with windows takes HU tensors with one channel; got ${c} channels.`,
          { expected: 1, received: c },
        );
      }
      const resized = frameBatch(x as tf.Tensor4D, h, w, spec.resize, PAD_HU);
      return windowTensor(resized, spec.windows, undefined, 'the tensor') as tf.Tensor4D;
    }
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
    const resized = frameBatch(x as tf.Tensor4D, h, w, spec.resize, 0);
    return tf.mul(resized, tf.scalar(spec.scale)) as tf.Tensor4D;
  });
}
