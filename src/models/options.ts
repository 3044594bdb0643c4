import type * as tfl from '@tensorflow/tfjs-layers';
import type { ResizeMode } from '../preprocessing/index.js';
import type { WindowSpec } from '../windowing/index.js';

/** Options of {@link buildSimpleCnn} and {@link buildLargerCnn}. */
export interface CnnOptions {
  /** Input `[height, width]`, or one number for a square. Default `128`. */
  inputSize?: number | readonly [number, number];
  /**
   * CT windows, one input channel each (preset names such as `'brain'`, `'file'`, `'40/80'`
   * or `{ level, width }`): the model then takes slices in Hounsfield units (DICOM, HU PNG,
   * HU phantoms) and the windows travel in its metadata. Default: none, the model takes
   * display images with one grey channel. `['brain', 'subdural', 'soft-tissue']` is the usual
   * three-window stack ({@link DEFAULT_WINDOW_STACK}).
   */
  windows?: readonly (WindowSpec | string)[];
  /** Input channels: `1`, or the number of `windows` (the only accepted values). Default: that number. */
  channels?: number;
  /**
   * Convolution blocks (3x3 convolution with ReLU, then 2x2 max-pooling). Default `3`: the seed
   * project does not state a count; three blocks is the usual Keras layout it follows, costs
   * about 92 MFLOP per 128x128 image, and leaves a 14x14 map for Grad-CAM.
   */
  convBlocks?: number;
  /** Filters of every convolution. Default `32`, as the seed project. */
  filters?: number;
  /** Units of the dense ReLU layer. Default `32` (simple) or `64` (larger). */
  denseUnits?: number;
  /** Dropout rate after global average pooling. Default `0.4`. */
  dropout?: number;
  /** Seed of every weight initialiser; the same seed builds the same weights. Default `42`. */
  seed?: number;
  /**
   * Initialiser of the convolution and hidden dense kernels: `'glorotUniform'` (default, the
   * Keras default the seed project used) or `'heNormal'` (variance kept through ReLU layers,
   * so a deep stack of blocks starts with a signal; the deep CNN's default).
   */
  kernelInitializer?: KernelInitializerName;
  /**
   * How images of any size become the input size, saved with the model so `predict`,
   * `evaluate` and `gradCam` do the same: `'stretch'` (default), `'crop'` (the centred region
   * of the input's aspect ratio) or `'pad'` (centred on black) before a bilinear resize
   * ({@link RESIZE_MODES}).
   */
  resize?: ResizeMode;
  /** Class names `[negative, positive]`. Default `['normal', 'hemorrhage']`. */
  classNames?: readonly [string, string];
  /** Decision threshold stored with the model. Default `0.5`. */
  threshold?: number;
  /**
   * `true` (default) compiles for binary cross-entropy with Adam (learning rate 0.001) and
   * accuracy, so `model.fit` works as in Keras; `false` leaves the model uncompiled; an object
   * is passed to `model.compile` as is.
   */
  compile?: boolean | tfl.ModelCompileArgs;
}

/** Kernel initialisers every architecture takes ({@link CnnOptions.kernelInitializer}). */
export const KERNEL_INITIALIZERS = Object.freeze(['glorotUniform', 'heNormal'] as const);
/** A name in {@link KERNEL_INITIALIZERS}. */
export type KernelInitializerName = (typeof KERNEL_INITIALIZERS)[number];

/** Resolved architecture settings of a CNN. */
export interface CnnSettings {
  readonly inputSize: readonly [number, number];
  readonly channels: number;
  readonly windows: readonly WindowSpec[] | undefined;
  readonly convBlocks: number;
  readonly filters: number;
  readonly denseUnits: number;
  readonly dropout: number;
  readonly seed: number;
  readonly kernelInitializer: KernelInitializerName;
  readonly resize: ResizeMode;
}

/** Defaults shared by both seed CNNs. */
export const CNN_DEFAULTS = Object.freeze({
  inputSize: 128,
  channels: 1,
  convBlocks: 3,
  filters: 32,
  dropout: 0.4,
  seed: 42,
  kernelInitializer: 'glorotUniform' as KernelInitializerName,
});

/** Dense units of the simple CNN (seed project: 32). */
export const SIMPLE_CNN_DENSE_UNITS = 32;
/** Dense units of the larger CNN (seed project: 64). */
export const LARGER_CNN_DENSE_UNITS = 64;
