import type { WindowSpec } from '../windowing/index.js';
import type { ResizeMode } from './frame.js';

/**
 * How a raw image becomes a model input. It is fixed when a model is built, saved inside the
 * model, and read back by `predict` and `evaluate`, so training and inference never disagree.
 */
export interface Preprocessing {
  /** Model input `[height, width]` in pixels. */
  readonly inputSize: readonly [number, number];
  /**
   * Channels of the model input: `1` (one grey channel, or one CT window) or, with `windows`,
   * one channel per window.
   */
  readonly channels: number;
  /**
   * CT windows, one per input channel. When set, the model takes slices in Hounsfield units
   * (DICOM files, HU PNGs, {@link HuImage}s): each slice is resized in HU, then mapped through
   * every window to 0..1. When absent (the default), the model takes display images
   * (8-bit PNG/JPEG...) as grey pixels times `scale`.
   */
  readonly windows?: readonly WindowSpec[];
  /**
   * How colour becomes grey: `'luminance'` is ITU-R BT.601 luma (0.299 R + 0.587 G + 0.114 B),
   * as PIL's mode "L"; an alpha channel is ignored.
   */
  readonly colorConversion: 'luminance';
  /**
   * How any image size becomes `inputSize` (bilinearly, so the original size never reaches the
   * model): `'stretch'` (the default) resizes the whole image whatever its aspect ratio;
   * `'crop'` takes its largest centred region of the input's aspect ratio first; `'pad'`
   * centres it on black (HU slices: air) to that aspect ratio first ({@link RESIZE_MODES},
   * {@link inputRegion}).
   */
  readonly resize: ResizeMode;
  /** Display pixel values (0-255) are multiplied by this before the model sees them; unused with `windows`. */
  readonly scale: number;
  /** Class names: `[negative, positive]`. */
  readonly classNames: readonly [string, string];
  /** Probability at or above which the positive class is predicted. */
  readonly threshold: number;
}

/** Defaults of {@link Preprocessing}; every other default in the library reads these. */
export const DEFAULT_PREPROCESSING: Preprocessing = Object.freeze({
  inputSize: Object.freeze([128, 128] as const),
  channels: 1,
  colorConversion: 'luminance' as const,
  resize: 'stretch' as const,
  scale: 1 / 255,
  classNames: Object.freeze(['normal', 'hemorrhage'] as const),
  threshold: 0.5,
});
