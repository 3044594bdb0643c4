import type { LabeledImage } from '../data/index.js';
import { CtHemorrhageError } from '../errors/index.js';
import type { HuImage } from '../preprocessing/hu-image.js';
import type { RawImage } from '../preprocessing/index.js';
import { applyWindow, WINDOW_PRESETS, type CtWindow, type WindowPresetName } from '../windowing/index.js';
import {
  CT_PHANTOM_DEFAULTS,
  HEMORRHAGE_KINDS,
  PHANTOM_HEAD_RADIUS,
  type CtPhantomOptions,
  type HemorrhageKind,
  type PhantomRange,
} from './ct-options.js';
import { generateCtPhantoms } from './ct-phantom.js';

/** Options of {@link generatePhantoms}. Every option has its default in {@link PHANTOM_DEFAULTS}. */
export interface PhantomOptions {
  /** Number of slices. Default `64`. */
  count?: number;
  /** Side of each square slice in pixels, an integer >= 16. Default `64`. */
  size?: number;
  /** Share of slices with a hemorrhage. Default `0.5`. */
  positiveFraction?: number;
  /** Seed; the same seed gives the same slices. Default `1`. */
  seed?: number;
  /**
   * Lesion scale: the range of an intraparenchymal lesion's radius as a fraction of the image
   * side, `0 < min <= max < 0.5`. The other kinds scale in proportion: each kind's size range is
   * its {@link CT_PHANTOM_DEFAULTS}`.lesionSize` range times `lesionRadius / (0.385 *
   * CT_PHANTOM_DEFAULTS.lesionSize.intraparenchymal)` (0.385 being the head radius over the image
   * side, {@link PHANTOM_HEAD_RADIUS}), capped at 0.5 of the head radius. Ignored when
   * `lesionSize` is given. Default `[0.1, 0.18]`: intraparenchymal radii of 0.26 to 0.47 of the head
   * radius, about twice the HU generator's defaults, so that the CLI's demonstration CNN learns
   * them at 64 x 64 within its 30 epochs.
   */
  lesionRadius?: PhantomRange;
  /** Lesion size per kind as in {@link CtPhantomOptions}`.lesionSize`; overrides `lesionRadius`. No default. */
  lesionSize?: CtPhantomOptions['lesionSize'];
  /**
   * The kinds positives draw from. Default `['intraparenchymal']`: one hyperdense blob, the task
   * this function has always posed; pass {@link HEMORRHAGE_KINDS} for all five (harder: subdural,
   * epidural and subarachnoid blood lies against the skull, as bright as bone in the brain window).
   */
  kinds?: readonly HemorrhageKind[];
  /** Blood contrast range in HU over the surrounding brain, as in {@link CtPhantomOptions}. Default `[30, 50]`. */
  contrast?: PhantomRange;
  /** Noise standard deviation in HU. Default `4`. */
  noise?: number;
  /** Edge blur standard deviation in pixels. Default `0.5`. */
  blur?: number;
  /**
   * `'pixels'`: each image is the HU slice through `window`, as 8-bit grey (`round(255 *
   * applyWindow(hu, window))`, one channel). `'hu'`: each image is the {@link HuImage} itself
   * (`hu` a Float32Array, `width`, `height`, `window`). Default `'pixels'`.
   */
  units?: 'pixels' | 'hu';
  /** The display window of `'pixels'`: a preset name or `{ level, width }` in HU. Default `'brain'` (40/80). */
  window?: WindowPresetName | CtWindow;
}

/** Defaults of {@link PhantomOptions}. */
export const PHANTOM_DEFAULTS = Object.freeze({
  count: 64,
  size: 64,
  positiveFraction: 0.5,
  seed: 1,
  lesionRadius: Object.freeze([0.1, 0.18] as const),
  kinds: Object.freeze(['intraparenchymal'] as const) as readonly HemorrhageKind[],
  contrast: Object.freeze([30, 50] as const),
  noise: CT_PHANTOM_DEFAULTS.noise,
  blur: CT_PHANTOM_DEFAULTS.blur,
  units: 'pixels' as const,
  window: 'brain' as const,
});

/** The per-kind lesion sizes (fractions of the head radius) that a `lesionRadius` range stands for. */
function sizesFromRadius(radius: PhantomRange): Record<HemorrhageKind, PhantomRange> {
  const ref = CT_PHANTOM_DEFAULTS.lesionSize.intraparenchymal;
  const f0 = radius[0] / (PHANTOM_HEAD_RADIUS * ref[0]);
  const f1 = radius[1] / (PHANTOM_HEAD_RADIUS * ref[1]);
  const out = {} as Record<HemorrhageKind, PhantomRange>;
  for (const kind of HEMORRHAGE_KINDS) {
    const [a, b] = CT_PHANTOM_DEFAULTS.lesionSize[kind];
    const hi = Math.min(0.5, b * f1);
    out[kind] = [Math.min(hi, a * f0), hi];
  }
  return out;
}

/**
 * Generates seeded synthetic axial head CT slices ({@link generateCtPhantoms}: skull, brain,
 * ventricles, sulci and noise, and in positives a hemorrhage: by default one large
 * intraparenchymal blob, or any of the five kinds with `kinds`), by default seen through the
 * brain window as 8-bit grey images. The embedded default data of the CLI and examples, and the
 * data of unit tests; a toy model of CT, not a simulation of a scanner. Slice `i` has the
 * id `phantom-<i>` and does not depend on `count`.
 *
 * @example
 * ```ts
 * const slices = generatePhantoms({ count: 4, size: 64, seed: 7 });
 * slices.map((s) => s.label);   // [1, 0, 1, 0]
 * slices[0].image;              // { data: Uint8Array(4096) [0, 0, ...], width: 64, height: 64, channels: 1 }
 * ```
 */
export function generatePhantoms(options: PhantomOptions & { units: 'hu' }): Array<LabeledImage & { readonly image: HuImage }>;
/**
 * Generates seeded synthetic head CT slices as 8-bit grey images through the brain window.
 *
 * @example
 * ```ts
 * generatePhantoms({ count: 2, size: 32 })[0].image.channels; // 1
 * ```
 */
export function generatePhantoms(options?: PhantomOptions & { units?: 'pixels' }): Array<LabeledImage & { readonly image: RawImage }>;
/**
 * Generates seeded synthetic head CT slices, as 8-bit grey images or in HU as `units` says.
 *
 * @example
 * ```ts
 * generatePhantoms({ count: 2, units: 'hu' })[0].image;
 * // { hu: Float32Array(4096) [-1000, -1000, ...], width: 64, height: 64, window: { level: 40, width: 80 } }
 * ```
 */
export function generatePhantoms(options?: PhantomOptions): LabeledImage[];
export function generatePhantoms(options: PhantomOptions = {}): LabeledImage[] {
  const units = options.units ?? PHANTOM_DEFAULTS.units;
  if (units !== 'pixels' && units !== 'hu') {
    throw new CtHemorrhageError('BAD_INPUT', `Option units must be 'pixels' (8-bit images) or 'hu' (Hounsfield units); got ${JSON.stringify(units)}.`, {
      option: 'units',
      received: units,
    });
  }
  const radius = options.lesionRadius ?? PHANTOM_DEFAULTS.lesionRadius;
  if (!(Array.isArray(radius) && radius.length === 2 && radius[0] > 0 && radius[0] <= radius[1] && radius[1] < 0.5)) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `Option lesionRadius must be [min, max] fractions of the image side with 0 < min <= max < 0.5; got ${JSON.stringify(radius)}.`,
      { option: 'lesionRadius', received: radius },
    );
  }
  const size = options.size ?? PHANTOM_DEFAULTS.size;
  if (!Number.isInteger(size) || size < 16) {
    throw new CtHemorrhageError('BAD_INPUT', `Option size must be an integer >= 16 (pixels); got ${String(size)}.`, {
      option: 'size',
      received: size,
    });
  }
  let window: CtWindow = WINDOW_PRESETS.brain;
  if (units === 'pixels') {
    const spec: unknown = options.window ?? PHANTOM_DEFAULTS.window;
    if (typeof spec === 'string' && Object.hasOwn(WINDOW_PRESETS, spec)) {
      window = WINDOW_PRESETS[spec as WindowPresetName];
    } else if (typeof spec === 'object' && spec !== null && Number.isFinite((spec as CtWindow).level) && (spec as CtWindow).width > 0) {
      window = spec as CtWindow;
    } else {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        `Option window must be one of ${Object.keys(WINDOW_PRESETS).join(', ')} or { level, width } in HU with width > 0; got ${JSON.stringify(spec)}.`,
        { option: 'window', received: spec },
      );
    }
  }
  const phantoms = generateCtPhantoms({
    count: options.count ?? PHANTOM_DEFAULTS.count,
    size,
    positiveFraction: options.positiveFraction ?? PHANTOM_DEFAULTS.positiveFraction,
    seed: options.seed ?? PHANTOM_DEFAULTS.seed,
    kinds: options.kinds ?? PHANTOM_DEFAULTS.kinds,
    contrast: options.contrast ?? PHANTOM_DEFAULTS.contrast,
    noise: options.noise ?? PHANTOM_DEFAULTS.noise,
    blur: options.blur ?? PHANTOM_DEFAULTS.blur,
    lesionSize: options.lesionSize ?? sizesFromRadius(radius),
  });
  return phantoms.map((p, i) => {
    const id = `phantom-${String(i).padStart(4, '0')}`;
    if (units === 'hu') return { image: { hu: p.hu, width: p.width, height: p.height, window: p.window }, label: p.label, id };
    const unit = applyWindow(p.hu, window);
    const data = new Uint8Array(unit.length);
    for (let j = 0; j < unit.length; j++) data[j] = Math.round(255 * unit[j]!);
    return { image: { data, width: p.width, height: p.height, channels: 1 }, label: p.label, id };
  });
}
