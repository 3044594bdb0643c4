import type { LabeledImage } from '../data/index.js';
import { CtHemorrhageError } from '../errors/index.js';
import { createRng, shuffled, type Rng } from '../random/index.js';

/** Options of {@link generatePhantoms}. */
export interface PhantomOptions {
  /** Number of slices. Default `64`. */
  count?: number;
  /** Side of each square slice in pixels. Default `64`. */
  size?: number;
  /** Share of slices with a hemorrhage. Default `0.5`. */
  positiveFraction?: number;
  /** Seed; the same seed gives the same slices. Default `1`. */
  seed?: number;
  /** Lesion radius range as a fraction of the image side. Default `[0.06, 0.14]`. */
  lesionRadius?: readonly [number, number];
}

/** Defaults of {@link PhantomOptions}. */
export const PHANTOM_DEFAULTS = Object.freeze({
  count: 64,
  size: 64,
  positiveFraction: 0.5,
  seed: 1,
  lesionRadius: Object.freeze([0.06, 0.14] as const),
});

function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Inside-ness of (x, y) for an ellipse centred at (cx, cy) with radii (rx, ry): < 1 inside. */
function ellipse(x: number, y: number, cx: number, cy: number, rx: number, ry: number): number {
  return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
}

function renderSlice(size: number, hemorrhage: boolean, radius: readonly [number, number], rng: Rng): Uint8Array {
  const c = size / 2;
  const rx = size * (0.36 + 0.04 * rng());
  const ry = size * (0.42 + 0.04 * rng());
  const skull = 0.07 + 0.02 * rng();
  const ventricle = { dx: size * 0.06, ry: size * (0.1 + 0.05 * rng()), rx: size * 0.035 };
  const angle = rng() * 2 * Math.PI;
  const dist = rng() * 0.5;
  const lesion = {
    x: c + Math.cos(angle) * dist * rx,
    y: c + Math.sin(angle) * dist * ry,
    r: size * (radius[0] + (radius[1] - radius[0]) * rng()),
    value: 75 + 25 * rng(),
  };
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const e = ellipse(x, y, c, c, rx, ry);
      let v = 0;
      if (e < 1) {
        v = 45;
        if (ellipse(x, y, c - ventricle.dx, c, ventricle.rx, ventricle.ry) < 1) v = 12;
        if (ellipse(x, y, c + ventricle.dx, c, ventricle.rx, ventricle.ry) < 1) v = 12;
        if (hemorrhage && ellipse(x, y, lesion.x, lesion.y, lesion.r, lesion.r * 0.8) < 1) v = lesion.value;
      } else if (e < (1 + skull) ** 2) {
        v = 250;
      }
      if (v > 0) v += 6 * gaussian(rng);
      out[y * size + x] = Math.max(0, Math.min(255, Math.round(v * (v >= 200 ? 1 : 2))));
    }
  }
  return out;
}

/**
 * Generates seeded synthetic axial head CT slices as 8-bit grey images (brain window look):
 * skull, brain, ventricles and noise, and in positives one hyperdense blob. The embedded
 * default data of the CLI and examples, and the data of unit tests; not a model of real CT.
 *
 * @example
 * ```ts
 * const slices = generatePhantoms({ count: 4, size: 64, seed: 7 });
 * slices.map((s) => s.label); // e.g. [1, 0, 0, 1]
 * slices[0].image.width;      // 64
 * ```
 */
export function generatePhantoms(options: PhantomOptions = {}): LabeledImage[] {
  const count = options.count ?? PHANTOM_DEFAULTS.count;
  const size = options.size ?? PHANTOM_DEFAULTS.size;
  const fraction = options.positiveFraction ?? PHANTOM_DEFAULTS.positiveFraction;
  const radius = options.lesionRadius ?? PHANTOM_DEFAULTS.lesionRadius;
  if (!(radius[0] > 0 && radius[0] <= radius[1] && radius[1] < 0.5)) {
    throw new CtHemorrhageError('BAD_INPUT', `Option lesionRadius must be [min, max] with 0 < min <= max < 0.5; got [${radius.join(', ')}].`, {
      option: 'lesionRadius',
      received: radius,
    });
  }
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(size) || size < 16 || !(fraction >= 0 && fraction <= 1)) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `Phantoms need an integer count >= 1, an integer size >= 16 and positiveFraction in [0, 1]; ` +
        `got count ${count}, size ${size}, positiveFraction ${fraction}.`,
      { received: { count, size, positiveFraction: fraction } },
    );
  }
  const rng = createRng(options.seed ?? PHANTOM_DEFAULTS.seed);
  const positives = Math.round(count * fraction);
  const labels = shuffled(
    Array.from({ length: count }, (_, i) => (i < positives ? 1 : 0)),
    rng,
  );
  return labels.map((label, i) => {
    return {
      image: { data: renderSlice(size, label === 1, radius, rng), width: size, height: size, channels: 1 },
      label,
      id: `phantom-${String(i).padStart(4, '0')}`,
    };
  });
}
