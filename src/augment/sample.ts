import type { Rng } from '../random/index.js';
import type { AffineParams } from './geometry.js';
import type { AugmentOptions } from './options.js';

/** Everything drawn at random for one image. */
export interface ImageDraw {
  readonly affine: AffineParams;
  readonly brightness: number;
  readonly contrast: number;
  readonly gamma: number;
  readonly noiseSeed: number;
}

const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();
const symmetric = (rng: Rng, r: number | undefined) => (r ? uniform(rng, -r, r) : 0);
const inRange = (rng: Rng, r: readonly [number, number] | undefined) => (r ? uniform(rng, r[0], r[1]) : 1);
const shift = (rng: Rng, r: number | undefined, side: number) => {
  const v = symmetric(rng, r);
  return r !== undefined && r < 1 ? v * side : v;
};

function crop(options: AugmentOptions, rng: Rng, width: number, height: number): AffineParams['crop'] {
  if (options.randomResizedCrop) {
    const { scale, ratio } = options.randomResizedCrop;
    const area = uniform(rng, scale[0], scale[1]);
    const aspect = Math.exp(uniform(rng, Math.log(ratio[0]), Math.log(ratio[1])));
    const w = Math.min(1, Math.sqrt(area * aspect)) * width;
    const h = Math.min(1, Math.sqrt(area / aspect)) * height;
    return { x: uniform(rng, 0, width - w), y: uniform(rng, 0, height - h), width: w, height: h };
  }
  if (options.randomCrop !== undefined && options.randomCrop < 1) {
    const w = options.randomCrop * width;
    const h = options.randomCrop * height;
    return { x: uniform(rng, 0, width - w), y: uniform(rng, 0, height - h), width: w, height: h };
  }
  return undefined;
}

/** Draws one image's parameters from `rng`, in a fixed order (so a seed always gives the same draw). */
export function drawImage(options: AugmentOptions, rng: Rng, width: number, height: number): ImageDraw {
  const zoom = options.zoomRange;
  const [z0, z1] = zoom === undefined ? [1, 1] : typeof zoom === 'number' ? [1 - zoom, 1 + zoom] : zoom;
  const flipH = options.horizontalFlip === true && rng() < 0.5;
  const flipV = options.verticalFlip === true && rng() < 0.5;
  const cropWindow = crop(options, rng, width, height);
  const affine: AffineParams = {
    rotation: symmetric(rng, options.rotationRange),
    tx: shift(rng, options.widthShiftRange, width),
    ty: shift(rng, options.heightShiftRange, height),
    shear: symmetric(rng, options.shearRange),
    zx: zoom === undefined ? 1 : uniform(rng, z0, z1),
    zy: zoom === undefined ? 1 : uniform(rng, z0, z1),
    flipH,
    flipV,
    ...(cropWindow ? { crop: cropWindow } : {}),
  };
  return {
    affine,
    brightness: inRange(rng, options.brightnessRange),
    contrast: inRange(rng, options.contrastRange),
    gamma: inRange(rng, options.gammaRange),
    noiseSeed: Math.floor(rng() * 2 ** 31),
  };
}
