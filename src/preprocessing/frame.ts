import * as tf from '@tensorflow/tfjs-core';
import { CtHemorrhageError } from '../errors/index.js';

/**
 * How an image of any size becomes the model's input size ({@link Preprocessing}`.resize`):
 *
 * - `'stretch'`: the whole image, resized to exactly the input size whatever its aspect ratio;
 * - `'crop'`: the largest centred region of the input's aspect ratio, resized (no trace of the
 *   aspect ratio reaches the model; a wide slice loses its left and right edges);
 * - `'pad'`: the whole image centred in the smallest region of the input's aspect ratio that
 *   holds it, the rest black (display images) or air (HU slices, -1024 HU), then resized.
 */
export const RESIZE_MODES = Object.freeze(['stretch', 'crop', 'pad'] as const);
/** A name in {@link RESIZE_MODES}. */
export type ResizeMode = (typeof RESIZE_MODES)[number];

/** HU that `'pad'` fills HU slices with: air, below every CT window. */
export const PAD_HU = -1024;

/**
 * The region of the original image that becomes the model input, in the image's pixels: its
 * top-left corner (negative where `'pad'` adds a border) and its size.
 */
export interface InputRegion {
  readonly top: number;
  readonly left: number;
  readonly height: number;
  readonly width: number;
}

/** Throws `BAD_INPUT` unless `mode` is one of {@link RESIZE_MODES}. */
export function checkResizeMode(mode: unknown, option = 'resize'): ResizeMode {
  if (!RESIZE_MODES.includes(mode as ResizeMode)) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `Option ${option} must be one of ${RESIZE_MODES.join(', ')}; got ${JSON.stringify(mode)}.`,
      { option, expected: RESIZE_MODES, received: mode },
    );
  }
  return mode as ResizeMode;
}

/**
 * Where in an image of `width x height` pixels the model input of `inputSize` (`[h, w]`) comes
 * from under `mode`: the whole image for `'stretch'`, its centred region of the input's aspect
 * ratio for `'crop'`, a region around it for `'pad'`. A Grad-CAM heatmap (at input resolution)
 * covers this region of the slice.
 *
 * @example
 * ```ts
 * inputRegion(400, 300, [128, 128], 'crop'); // { top: 0, left: 50, height: 300, width: 300 }
 * inputRegion(400, 300, [128, 128], 'pad');  // { top: -50, left: 0, height: 400, width: 400 }
 * ```
 */
export function inputRegion(width: number, height: number, inputSize: readonly [number, number], mode: ResizeMode): InputRegion {
  checkResizeMode(mode);
  const aspect = inputSize[1] / inputSize[0];
  if (mode === 'stretch' || width === Math.round(height * aspect)) return { top: 0, left: 0, height, width };
  const wider = width > height * aspect;
  // crop: keep the full short side; pad: keep the full long side.
  const keepHeight = (mode === 'crop') === wider;
  const h = keepHeight ? height : Math.max(1, Math.round(width / aspect));
  const w = keepHeight ? Math.max(1, Math.round(height * aspect)) : width;
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
}

/**
 * Brings images `[n, height, width, c]` to `[n, h, w, c]` under `mode`: crops or pads (with
 * `fill`) to the input's aspect ratio, then resizes bilinearly (half-pixel centres). Returns
 * `x` itself when it already is the input size and `mode` leaves it whole (no copy on that
 * path); call it inside a `tf.tidy` that owns `x`.
 */
export function frameBatch(x: tf.Tensor4D, h: number, w: number, mode: ResizeMode, fill: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, height, width] = x.shape;
    const r = inputRegion(width, height, [h, w], mode);
    let t = x;
    if (r.top > 0 || r.left > 0 || r.height < height || r.width < width) {
      t = tf.slice(t, [0, r.top, r.left, 0], [-1, r.height, r.width, -1]);
    } else if (r.top < 0 || r.left < 0 || r.height > height || r.width > width) {
      const top = -r.top;
      const left = -r.left;
      t = tf.pad(t, [[0, 0], [top, r.height - height - top], [left, r.width - width - left], [0, 0]], fill);
    }
    return t.shape[1] === h && t.shape[2] === w ? t : tf.image.resizeBilinear(t, [h, w], false, true);
  });
}

/** {@link frameBatch} for one image `[height, width, c]`. */
export function frameImage(x: tf.Tensor3D, h: number, w: number, mode: ResizeMode, fill: number): tf.Tensor3D {
  return tf.tidy(() => tf.squeeze(frameBatch(tf.expandDims(x, 0) as tf.Tensor4D, h, w, mode, fill), [0]) as tf.Tensor3D);
}
