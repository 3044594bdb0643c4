/**
 * How a raw image becomes a model input. It is fixed when a model is built, saved inside the
 * model, and read back by `predict` and `evaluate`, so training and inference never disagree.
 */
export interface Preprocessing {
  /** Model input `[height, width]` in pixels. */
  readonly inputSize: readonly [number, number];
  /** Channels of the model input. `1`: one grey channel. */
  readonly channels: 1;
  /**
   * How colour becomes grey: `'luminance'` is ITU-R BT.601 luma (0.299 R + 0.587 G + 0.114 B),
   * as PIL's mode "L"; an alpha channel is ignored.
   */
  readonly colorConversion: 'luminance';
  /**
   * How any image size becomes `inputSize`: `'stretch'` resizes bilinearly to exactly
   * `inputSize` whatever the aspect ratio, so the original size never reaches the model.
   */
  readonly resize: 'stretch';
  /** Pixel values (0-255) are multiplied by this before the model sees them. */
  readonly scale: number;
  /** Class names: `[negative, positive]`. */
  readonly classNames: readonly [string, string];
  /** Probability at or above which the positive class is predicted. */
  readonly threshold: number;
}

/** Defaults of {@link Preprocessing}; every other default in the library reads these. */
export const DEFAULT_PREPROCESSING: Preprocessing = Object.freeze({
  inputSize: Object.freeze([128, 128] as const),
  channels: 1 as const,
  colorConversion: 'luminance' as const,
  resize: 'stretch' as const,
  scale: 1 / 255,
  classNames: Object.freeze(['normal', 'hemorrhage'] as const),
  threshold: 0.5,
});
