import { CtHemorrhageError } from '../errors/index.js';
import type { HuImage } from '../preprocessing/hu-image.js';
import type { Rng } from '../random/index.js';

/**
 * The kinds of intracranial hemorrhage the phantom generator draws:
 *
 * - `'intraparenchymal'`: an irregular blob inside the brain parenchyma.
 * - `'subdural'`: a crescent along the inner skull table, concave toward the brain, over a long arc
 *   of one hemisphere.
 * - `'epidural'`: a biconvex lens against the inner table, over a short arc.
 * - `'intraventricular'`: blood layering in the dependent (posterior) part of one or both lateral
 *   ventricles, with a horizontal fluid level.
 * - `'subarachnoid'`: thin hyperdense lines filling the sulci and the CSF rim along an arc of the
 *   brain surface, or the interhemispheric fissure.
 */
export type HemorrhageKind = 'intraparenchymal' | 'subdural' | 'epidural' | 'intraventricular' | 'subarachnoid';

/** All {@link HemorrhageKind}s, in a fixed order. */
export const HEMORRHAGE_KINDS: readonly HemorrhageKind[] = Object.freeze([
  'intraparenchymal',
  'subdural',
  'epidural',
  'intraventricular',
  'subarachnoid',
] as const);

/** A `[min, max]` range; each slice draws its value uniformly from it. */
export type PhantomRange = readonly [number, number];

/** Options of {@link generateCtPhantom}. Every option has its default in {@link CT_PHANTOM_DEFAULTS}. */
export interface CtPhantomOptions {
  /** Side of the square slice in pixels, an integer >= 16. Default `128`. */
  size?: number;
  /**
   * What the slice shows: a {@link HemorrhageKind}, `'none'` (a normal slice) or `'random'`
   * (one of the five kinds, drawn from the seed). Default `'random'`.
   */
  kind?: HemorrhageKind | 'none' | 'random';
  /**
   * Seed (an integer); the same seed gives the same slice. The anatomy, the lesion and the noise
   * come from separate streams of the seed, so one seed with different kinds gives the same head
   * with and without a lesion. Default `1`.
   */
  seed?: number;
  /**
   * Standard deviation of the Gaussian noise in HU, added inside the head (air stays -1000); drawn
   * from a table of 16,384 normal quantiles, so it never exceeds about 4 standard deviations. Default `4`.
   */
  noise?: number;
  /** Standard deviation in pixels of a Gaussian blur of the edges, applied before the noise; `0` turns it off. Default `0.5`. */
  blur?: number;
  /**
   * Range of the blood's contrast in HU: blood is this much denser than the mean of the brain
   * parenchyma around the lesion (within a few pixels of it). Default `[25, 45]` (blood at about
   * +55 to +85 HU).
   */
  contrast?: PhantomRange;
  /**
   * Range of the lesion's size as a fraction of the head radius: one range for every kind, or a
   * range per kind (kinds left out keep their default). What it measures depends on the kind:
   * intraparenchymal radius, subdural and epidural greatest thickness, intraventricular depth of
   * the blood layer, subarachnoid depth of the blood-filled sulci (and half the length of a
   * filled fissure). Each must lie in (0, 0.5]. Default {@link CT_PHANTOM_DEFAULTS}`.lesionSize`.
   */
  lesionSize?: PhantomRange | Readonly<Partial<Record<HemorrhageKind, PhantomRange>>>;
}

/** Options of {@link generateCtPhantoms}: those of {@link generateCtPhantom} except `kind`, and these. */
export interface CtPhantomsOptions extends Omit<CtPhantomOptions, 'kind'> {
  /** Number of slices, an integer >= 1. Default `64`. */
  count?: number;
  /** Share of slices with a hemorrhage, in [0, 1]. Default `0.5`. */
  positiveFraction?: number;
  /** The kinds positives draw from (uniformly, each slice from its own seed). Default all five, {@link HEMORRHAGE_KINDS}. */
  kinds?: readonly HemorrhageKind[];
}

/** One synthetic axial head CT slice in HU, with its lesion mask and label. */
export interface CtPhantom extends HuImage {
  /** HU values, row-major, `width * height` of them. */
  readonly hu: Float32Array;
  /** The display window stored with the slice: the brain window, level 40, width 80. */
  readonly window: { readonly level: number; readonly width: number };
  /** `1` where blood was painted (before blur and noise), `0` elsewhere; all `0` in a normal slice. */
  readonly mask: Uint8Array;
  /** `1` with a hemorrhage, `0` without. */
  readonly label: 0 | 1;
  /** The kind of hemorrhage, or `'none'`. */
  readonly kind: HemorrhageKind | 'none';
  /** Identifier: `ct-phantom-<seed>` from {@link generateCtPhantom}, `ct-phantom-<index>` from {@link generateCtPhantoms}. */
  readonly id: string;
  /** The seed the slice was drawn from; `generateCtPhantom({ seed, kind })` gives it again. */
  readonly seed: number;
  /** The blood's drawn contrast in HU over the surrounding parenchyma (`0` in a normal slice). */
  readonly contrast: number;
}

/**
 * Defaults of {@link CtPhantomOptions} and {@link CtPhantomsOptions}. `lesionSize` holds one range
 * per kind, as fractions of the head radius (about 0.38 of the image side).
 */
export const CT_PHANTOM_DEFAULTS = Object.freeze({
  size: 128,
  kind: 'random' as const,
  seed: 1,
  noise: 4,
  blur: 0.5,
  contrast: Object.freeze([25, 45] as const),
  lesionSize: Object.freeze({
    intraparenchymal: Object.freeze([0.12, 0.26] as const),
    subdural: Object.freeze([0.06, 0.13] as const),
    epidural: Object.freeze([0.1, 0.2] as const),
    intraventricular: Object.freeze([0.12, 0.28] as const),
    subarachnoid: Object.freeze([0.08, 0.16] as const),
  }),
  count: 64,
  positiveFraction: 0.5,
  kinds: HEMORRHAGE_KINDS,
});

/**
 * The tissue values of the phantoms in HU; each slice draws its own value from each range.
 * Blood is not listed: it is the surrounding parenchyma plus the `contrast` option.
 */
export const PHANTOM_TISSUE_HU = Object.freeze({
  /** Outside the head, exactly. */
  air: -1000,
  /** The thin scalp and soft tissue rim. */
  scalp: Object.freeze([35, 45] as const),
  /** Outer and inner tables of the skull. */
  corticalBone: Object.freeze([1100, 1600] as const),
  /** The diploe between the tables. */
  diploe: Object.freeze([500, 800] as const),
  /** Cortical grey matter. */
  greyMatter: Object.freeze([37, 39] as const),
  /** White matter. */
  whiteMatter: Object.freeze([28, 30] as const),
  /** CSF: lateral ventricles, sulci, the rim at the brain surface, the interhemispheric fissure. */
  csf: Object.freeze([2, 8] as const),
  /** An occasional pineal or choroid plexus calcification (in about a fifth of the slices, normal or not). */
  calcification: Object.freeze([150, 400] as const),
});

/** Mean head radius of the phantoms as a fraction of the image side. */
export const PHANTOM_HEAD_RADIUS = 0.385;

export interface Resolved {
  readonly size: number;
  readonly noise: number;
  readonly blur: number;
  readonly contrast: PhantomRange;
  readonly lesionSize: Readonly<Record<HemorrhageKind, PhantomRange>>;
}

export function bad(option: string, message: string, received: unknown): CtHemorrhageError {
  return new CtHemorrhageError('BAD_INPUT', message, { option, received });
}

function isRange(r: unknown, lo: number, hi: number, loOpen: boolean): r is PhantomRange {
  if (!Array.isArray(r) || r.length !== 2) return false;
  const [a, b] = r as [unknown, unknown];
  return (
    typeof a === 'number' &&
    typeof b === 'number' &&
    Number.isFinite(a) &&
    Number.isFinite(b) &&
    (loOpen ? a > lo : a >= lo) &&
    a <= b &&
    b <= hi
  );
}

export function checkKinds(kinds: unknown, option: string): readonly HemorrhageKind[] {
  if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((k) => (HEMORRHAGE_KINDS as readonly unknown[]).includes(k))) {
    throw bad(option, `Option ${option} must be a non-empty list of ${HEMORRHAGE_KINDS.join(', ')}; got ${JSON.stringify(kinds)}.`, kinds);
  }
  return kinds as readonly HemorrhageKind[];
}

export function resolveOptions(options: CtPhantomOptions): Resolved {
  const size = options.size ?? CT_PHANTOM_DEFAULTS.size;
  if (!Number.isInteger(size) || size < 16 || size > 4096) {
    throw bad('size', `Option size must be an integer from 16 to 4096 (the side of the square slice in pixels); got ${String(size)}.`, size);
  }
  const noise = options.noise ?? CT_PHANTOM_DEFAULTS.noise;
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0) {
    throw bad('noise', `Option noise must be a standard deviation in HU >= 0 (e.g. 4); got ${String(noise)}.`, noise);
  }
  const blur = options.blur ?? CT_PHANTOM_DEFAULTS.blur;
  if (typeof blur !== 'number' || !Number.isFinite(blur) || blur < 0 || blur > 3) {
    throw bad('blur', `Option blur must be a standard deviation in pixels from 0 (off) to 3; got ${String(blur)}.`, blur);
  }
  const contrast = options.contrast ?? CT_PHANTOM_DEFAULTS.contrast;
  if (!isRange(contrast, 0, 500, false)) {
    throw bad('contrast', `Option contrast must be [min, max] HU with 0 <= min <= max <= 500 (e.g. [25, 45]); got ${JSON.stringify(contrast)}.`, contrast);
  }
  const sizes: Record<HemorrhageKind, PhantomRange> = { ...CT_PHANTOM_DEFAULTS.lesionSize };
  const ls = options.lesionSize;
  const sizeMessage = 'Option lesionSize must be [min, max] fractions of the head radius with 0 < min <= max <= 0.5, or an object of such ranges per hemorrhage kind';
  if (Array.isArray(ls)) {
    if (!isRange(ls, 0, 0.5, true)) throw bad('lesionSize', `${sizeMessage}; got ${JSON.stringify(ls)}.`, ls);
    for (const k of HEMORRHAGE_KINDS) sizes[k] = ls as PhantomRange;
  } else if (ls !== undefined) {
    if (ls === null || typeof ls !== 'object') throw bad('lesionSize', `${sizeMessage}; got ${String(ls)}.`, ls);
    for (const [k, r] of Object.entries(ls)) {
      if (!(HEMORRHAGE_KINDS as readonly string[]).includes(k) || (r !== undefined && !isRange(r, 0, 0.5, true))) {
        throw bad('lesionSize', `${sizeMessage} (${HEMORRHAGE_KINDS.join(', ')}); got ${JSON.stringify(ls)}.`, ls);
      }
      if (r !== undefined) sizes[k as HemorrhageKind] = r as PhantomRange;
    }
  }
  return { size, noise, blur, contrast, lesionSize: sizes };
}

export function checkSeed(seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw bad('seed', `Option seed must be a finite number (an integer); got ${String(seed)}.`, seed);
  }
  return seed;
}

export function between(rng: Rng, r: PhantomRange): number {
  return r[0] + (r[1] - r[0]) * rng();
}
