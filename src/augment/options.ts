import { CtHemorrhageError } from '../errors/index.js';

/** How boundary pixels are filled when a transform looks outside the image (Keras names). */
export type FillMode = 'constant' | 'nearest' | 'reflect' | 'wrap';

/**
 * Augmentation settings, with the names and meanings of Keras's `ImageDataGenerator` where it
 * has them. Every range is drawn uniformly, per image, from the seed. Nothing is on unless set.
 */
export interface AugmentOptions {
  /** Rotation range in degrees: an angle in [-r, r]. */
  rotationRange?: number;
  /** Horizontal shift: a fraction of the width when < 1 (in [-r, r] x width), else pixels. */
  widthShiftRange?: number;
  /** Vertical shift: a fraction of the height when < 1, else pixels. */
  heightShiftRange?: number;
  /** Zoom: `z` means [1 - z, 1 + z]; or `[min, max]`. As in Keras, > 1 zooms out. */
  zoomRange?: number | readonly [number, number];
  /** Shear angle range in degrees (counter-clockwise): in [-r, r]. */
  shearRange?: number;
  /** Mirror left-right with probability 1/2. */
  horizontalFlip?: boolean;
  /** Mirror top-bottom with probability 1/2 (off for CT by default: anatomy is not symmetric that way). */
  verticalFlip?: boolean;
  /** Brightness factor range `[min, max]`: pixels are multiplied by it. */
  brightnessRange?: readonly [number, number];
  /** Contrast factor range `[min, max]`: pixels move away from (or towards) the image mean. */
  contrastRange?: readonly [number, number];
  /** Gamma range `[min, max]`: pixels (in [0, 1]) are raised to it. */
  gammaRange?: readonly [number, number];
  /** Standard deviation of added Gaussian noise. */
  noiseStd?: number;
  /** Random crop: a window of this fraction of each side, at a random place, resized back. */
  randomCrop?: number;
  /** Random resized crop (as torchvision): area fraction `scale` and aspect `ratio` ranges, resized back. */
  randomResizedCrop?: { readonly scale: readonly [number, number]; readonly ratio: readonly [number, number] };
  /** Boundary fill. Default `'nearest'`, as Keras. */
  fillMode?: FillMode;
  /** Value for `fillMode: 'constant'`. Default `0`. */
  cval?: number;
  /** Output values are clipped to this range (the model input range). Default `[0, 1]`. */
  valueRange?: readonly [number, number];
}

/** Ready-made settings. */
export const AUGMENT_PRESETS = Object.freeze({
  /**
   * The reference Keras project's `ImageDataGenerator` settings as commonly written for this
   * data: rotation 20, shifts 0.2, shear 0.2 degrees, zoom 0.2, horizontal flip, fill nearest.
   */
  reference: Object.freeze({
    rotationRange: 20,
    widthShiftRange: 0.2,
    heightShiftRange: 0.2,
    shearRange: 0.2,
    zoomRange: 0.2,
    horizontalFlip: true,
    fillMode: 'nearest',
  } satisfies AugmentOptions),
  /**
   * The library's default for head CT: small rotations and shifts, mild zoom, left-right
   * mirroring, mild brightness and contrast changes, no vertical flip, air (0) outside.
   */
  ct: Object.freeze({
    rotationRange: 10,
    widthShiftRange: 0.05,
    heightShiftRange: 0.05,
    zoomRange: 0.1,
    horizontalFlip: true,
    brightnessRange: [0.9, 1.1] as const,
    contrastRange: [0.9, 1.1] as const,
    fillMode: 'constant',
    cval: 0,
  } satisfies AugmentOptions),
});

function bad(option: string, expected: string, received: unknown): CtHemorrhageError {
  return new CtHemorrhageError(
    'BAD_INPUT',
    `Augmentation option ${option} must be ${expected}; got ${JSON.stringify(received)}.`,
    { option, expected, received },
  );
}

function nonNegative(options: AugmentOptions, key: keyof AugmentOptions): void {
  const v = options[key];
  if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw bad(key, 'a number >= 0', v);
}

function range(options: AugmentOptions, key: keyof AugmentOptions, lowest: number, expected: string): void {
  const v = options[key] as unknown;
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x)) || !(v[0] >= lowest && v[0] <= v[1])) {
    throw bad(key, expected, v);
  }
}

/** Checks `options`, throwing a `BAD_INPUT` error that names the option, what it expects and what it got. */
export function validateAugmentOptions(options: AugmentOptions): void {
  for (const key of ['rotationRange', 'widthShiftRange', 'heightShiftRange', 'shearRange', 'noiseStd'] as const) {
    nonNegative(options, key);
  }
  if (options.rotationRange !== undefined && options.rotationRange > 180) throw bad('rotationRange', 'a number of degrees in [0, 180]', options.rotationRange);
  const zoom = options.zoomRange;
  if (typeof zoom === 'number') {
    if (!(zoom >= 0 && zoom < 1)) throw bad('zoomRange', 'a number in [0, 1) or [min, max] with 0 < min <= max', zoom);
  } else range(options, 'zoomRange', Number.MIN_VALUE, '[min, max] with 0 < min <= max');
  range(options, 'brightnessRange', 0, '[min, max] with 0 <= min <= max');
  range(options, 'contrastRange', 0, '[min, max] with 0 <= min <= max');
  range(options, 'gammaRange', Number.MIN_VALUE, '[min, max] with 0 < min <= max');
  range(options, 'valueRange', -Infinity, '[min, max] with min <= max');
  if (options.randomCrop !== undefined && !(options.randomCrop > 0 && options.randomCrop <= 1)) {
    throw bad('randomCrop', 'a fraction in (0, 1]', options.randomCrop);
  }
  const rrc = options.randomResizedCrop;
  if (rrc !== undefined) {
    const ok = (r: unknown, lo: number, hi: number) =>
      Array.isArray(r) && r.length === 2 && r[0] > lo && r[0] <= r[1] && r[1] <= hi;
    if (!ok(rrc.scale, 0, 1)) throw bad('randomResizedCrop.scale', '[min, max] with 0 < min <= max <= 1', rrc.scale);
    if (!ok(rrc.ratio, 0, Infinity)) throw bad('randomResizedCrop.ratio', '[min, max] with 0 < min <= max', rrc.ratio);
  }
  if (options.fillMode !== undefined && !['constant', 'nearest', 'reflect', 'wrap'].includes(options.fillMode)) {
    throw bad('fillMode', "'constant', 'nearest', 'reflect' or 'wrap'", options.fillMode);
  }
  if (options.cval !== undefined && !Number.isFinite(options.cval)) throw bad('cval', 'a finite number', options.cval);
}
