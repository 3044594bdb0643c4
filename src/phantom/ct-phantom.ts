import { CtHemorrhageError } from '../errors/index.js';
import type { HuImage } from '../preprocessing/hu-image.js';
import { createRng, mixSeed, type Rng } from '../random/index.js';
import { WINDOW_PRESETS } from '../windowing/index.js';

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

// Tissue labels of the anatomy map.
const AIR = 0;
const SCALP = 1;
const BONE = 2;
const RIM = 3;
const SULCUS = 4;
const FISSURE = 5;
const VENT_L = 6;
const VENT_R = 7;
const CALC = 8;
const PAR = 9;

const TAU = 2 * Math.PI;

interface Resolved {
  readonly size: number;
  readonly noise: number;
  readonly blur: number;
  readonly contrast: PhantomRange;
  readonly lesionSize: Readonly<Record<HemorrhageKind, PhantomRange>>;
}

function bad(option: string, message: string, received: unknown): CtHemorrhageError {
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

function checkKinds(kinds: unknown, option: string): readonly HemorrhageKind[] {
  if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((k) => (HEMORRHAGE_KINDS as readonly unknown[]).includes(k))) {
    throw bad(option, `Option ${option} must be a non-empty list of ${HEMORRHAGE_KINDS.join(', ')}; got ${JSON.stringify(kinds)}.`, kinds);
  }
  return kinds as readonly HemorrhageKind[];
}

function resolveOptions(options: CtPhantomOptions): Resolved {
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

function checkSeed(seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw bad('seed', `Option seed must be a finite number (an integer); got ${String(seed)}.`, seed);
  }
  return seed;
}

function between(rng: Rng, r: PhantomRange): number {
  return r[0] + (r[1] - r[0]) * rng();
}

function sq(x: number): number {
  return x * x;
}

/** Signed angle a - b wrapped to [-pi, pi). */
function angleDiff(a: number, b: number): number {
  let d = (a - b) % TAU;
  if (d < -Math.PI) d += TAU;
  else if (d >= Math.PI) d -= TAU;
  return d;
}

/** The anatomy of one slice: tissue labels, noise-free HU and per-pixel geometry. */
interface Anatomy {
  readonly size: number;
  /** Mean head radius in pixels. */
  readonly radius: number;
  readonly rx: number;
  readonly labels: Uint8Array;
  readonly hu: Float32Array;
  /** Normalised radial coordinate: 0 at the centre, 1 at the scalp surface (0 in air). */
  readonly t: Float32Array;
  /** The inner table's radial coordinate along this pixel's ray (0 in air). */
  readonly inner: Float32Array;
  /** Pixels per unit of `t` along this pixel's ray. */
  readonly scale: Float32Array;
  /** Head-frame coordinates, normalised by the head's half axes. */
  readonly u: Float32Array;
  readonly v: Float32Array;
  readonly sulci: Sulci;
  readonly rimPx: number;
  readonly brainMean: number;
}

/** Radial sulci: centre-line angle, bend, curl and depth of each. */
interface Sulci {
  readonly n: number;
  readonly offset: number;
  readonly theta: Float64Array;
  readonly bend: Float64Array;
  readonly curl: Float64Array;
  readonly depthPx: Float64Array;
  readonly halfWidth: number;
}

let nearestIndex = 0;

/** Distance in pixels from a brain pixel to the nearest sulcus centre line; sets `nearestIndex`. */
function sulcusDistance(s: Sulci, angle: number, depthT: number, pr: number): number {
  const n = s.n;
  let k0 = Math.floor(((((angle - s.offset) % TAU) + TAU) % TAU) / TAU * n);
  if (k0 >= n) k0 = n - 1;
  let best = Infinity;
  for (let j = -1; j <= 1; j++) {
    const k = (k0 + j + n) % n;
    const centre = (s.theta[k] as number) + ((s.bend[k] as number) + (s.curl[k] as number) * depthT) * depthT;
    const d = Math.abs(angleDiff(angle, centre)) * pr;
    if (d < best) {
      best = d;
      nearestIndex = k;
    }
  }
  return best;
}

function buildAnatomy(size: number, rng: Rng): Anatomy {
  const n = size * size;
  const labels = new Uint8Array(n);
  const hu = new Float32Array(n).fill(PHANTOM_TISSUE_HU.air);
  const tArr = new Float32Array(n);
  const innerArr = new Float32Array(n);
  const scaleArr = new Float32Array(n);
  const uArr = new Float32Array(n);
  const vArr = new Float32Array(n);

  // Head outline: an ellipse (longer front to back), jittered, slightly rotated and lumpy.
  const cx = size / 2 + size * 0.02 * (2 * rng() - 1);
  const cy = size / 2 + size * 0.02 * (2 * rng() - 1);
  const ry = size * (0.4 + 0.04 * rng());
  const rx = ry * (0.78 + 0.1 * rng());
  const radius = (rx + ry) / 2;
  const rot = (2 * rng() - 1) * 0.14;
  const cr = Math.cos(rot);
  const sr = Math.sin(rot);
  const a2 = 0.025 * rng();
  const p2 = TAU * rng();
  const a3 = 0.02 * rng();
  const p3 = TAU * rng();
  const a2c = a2 * Math.cos(p2);
  const a2s = a2 * Math.sin(p2);
  const a3c = a3 * Math.cos(p3);
  const a3s = a3 * Math.sin(p3);
  const maxM = 1 + a2 + a3;

  // Scalp and skull, the skull thicker front and back and varying around.
  const scalpT = Math.max(1 / radius, 0.03 + 0.015 * rng());
  const skullT = Math.max(1.4 / radius, 0.055 + 0.035 * rng());
  const sk1 = 0.12 * rng();
  const sp1 = TAU * rng();
  const sk2 = 0.2 * rng();
  const sk1c = sk1 * Math.cos(sp1);
  const sk1s = sk1 * Math.sin(sp1);

  // Tissue values.
  const T = PHANTOM_TISSUE_HU;
  const scalpHu = between(rng, T.scalp);
  const cortical = between(rng, T.corticalBone);
  const diploe = between(rng, T.diploe);
  const grey = between(rng, T.greyMatter);
  const white = between(rng, T.whiteMatter);
  const deep = (grey + white) / 2 + 1 + 2 * rng();
  const csf = between(rng, T.csf);
  const cortexT = 0.07 + 0.05 * rng();
  const atrophy = rng();
  const rimPx = Math.max(0.7, radius * (0.008 + 0.02 * atrophy));

  // Sulci.
  const spacing = Math.max(4, 0.22 * radius);
  const ns = Math.max(6, Math.min(32, Math.round((TAU * radius * 0.9) / spacing)));
  const offset = TAU * rng();
  const sulci: Sulci = {
    n: ns,
    offset,
    theta: new Float64Array(ns),
    bend: new Float64Array(ns),
    curl: new Float64Array(ns),
    depthPx: new Float64Array(ns),
    halfWidth: Math.max(0.45, radius * 0.01) * (0.8 + 0.6 * atrophy),
  };
  let maxDepth = 0;
  for (let k = 0; k < ns; k++) {
    sulci.theta[k] = offset + (TAU * (k + 0.5 + 0.35 * (2 * rng() - 1))) / ns;
    sulci.bend[k] = 0.8 * (2 * rng() - 1);
    sulci.curl[k] = 6 * (2 * rng() - 1);
    const d = radius * (0.04 + 0.06 * rng()) * (0.7 + 0.6 * atrophy);
    sulci.depthPx[k] = d;
    if (d > maxDepth) maxDepth = d;
  }
  const fissureHalf = Math.max(0.45, radius * 0.008) * (0.8 + 0.6 * atrophy);
  const fissureFront = 0.25 + 0.15 * rng();
  const fissureBack = 0.35 + 0.15 * rng();

  // Lateral ventricles: two crescents, concave laterally, in the head frame.
  const vScale = 0.85 + 0.45 * atrophy + 0.1 * (2 * rng() - 1);
  const ventV = -0.06 + 0.08 * rng();
  const vent: number[][] = [];
  for (const side of [-1, 1]) {
    const own = 0.9 + 0.2 * rng();
    const au = (0.065 + 0.025 * rng()) * vScale * own;
    const av = (0.24 + 0.06 * rng()) * vScale * own;
    const tilt = side * (0.1 + 0.15 * rng());
    vent.push([side * (0.09 + 0.03 * rng()), ventV + 0.02 * (2 * rng() - 1), au, av, Math.cos(tilt), Math.sin(tilt), side]);
  }

  let ventReach = 0;
  for (const vp of vent) ventReach = Math.max(ventReach, Math.abs(vp[0] as number) + (vp[3] as number), (vp[3] as number) + Math.abs((vp[1] as number) - ventV));
  ventReach += 0.01;

  // Optional calcification (pineal or choroid plexus), in normal and abnormal slices alike.
  let calc: [number, number, number, number] | undefined;
  if (rng() < 0.2) {
    const cr2 = Math.max(0.6, radius * 0.012) / radius;
    const pineal = rng() < 0.5;
    const v0 = vent[rng() < 0.5 ? 0 : 1] as number[];
    const cu = pineal ? 0 : (v0[0] as number);
    const cv = pineal ? ventV + 0.3 + 0.1 * rng() : (v0[1] as number) + (v0[3] as number) * 0.6;
    calc = [cu, cv, cr2, between(rng, T.calcification)];
  }

  // Smooth variation of the parenchyma: two slow plane waves of about 1 HU each, separable.
  const waves: Float64Array[] = [];
  for (let w = 0; w < 2; w++) {
    const dir = TAU * rng();
    const k = TAU / (size * (0.6 + 0.8 * rng()));
    const amp = 0.8 + 0.7 * rng();
    const phase = TAU * rng();
    const cxw = new Float64Array(size);
    const sxw = new Float64Array(size);
    const cyw = new Float64Array(size);
    const syw = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      cxw[i] = amp * Math.cos(k * Math.cos(dir) * i);
      sxw[i] = amp * Math.sin(k * Math.cos(dir) * i);
      cyw[i] = Math.cos(k * Math.sin(dir) * i + phase);
      syw[i] = Math.sin(k * Math.sin(dir) * i + phase);
    }
    waves.push(cxw, sxw, cyw, syw);
  }
  const [w0cx, w0sx, w0cy, w0sy, w1cx, w1sx, w1cy, w1sy] = waves as [
    Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array,
  ];

  let brainSum = 0;
  let brainCount = 0;
  for (let y = 0; y < size; y++) {
    const dy = y + 0.5 - cy;
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const dx = x + 0.5 - cx;
      const u = (dx * cr + dy * sr) / rx;
      const v = (-dx * sr + dy * cr) / ry;
      const rho = Math.sqrt(u * u + v * v);
      if (rho > maxM) continue;
      const c = rho > 1e-9 ? u / rho : 1;
      const s = rho > 1e-9 ? v / rho : 0;
      const c2 = c * c - s * s;
      const s2 = 2 * c * s;
      const c3 = c * c2 - s * s2;
      const s3 = s * c2 + c * s2;
      const m = 1 + a2c * c2 - a2s * s2 + a3c * c3 - a3s * s3;
      const t = rho / m;
      if (t > 1) continue;
      const thick = skullT * (1 + sk1c * c + sk1s * s + sk2 * c2);
      const outer = 1 - scalpT;
      const inner = outer - thick;
      const pr = Math.sqrt(dx * dx + dy * dy);
      tArr[i] = t;
      innerArr[i] = inner;
      uArr[i] = u;
      vArr[i] = v;
      scaleArr[i] = t > 1e-6 ? pr / t : radius;
      if (t > outer) {
        labels[i] = SCALP;
        hu[i] = scalpHu;
        continue;
      }
      if (t >= inner) {
        labels[i] = BONE;
        const f = (t - inner) / thick;
        const edge = Math.max(0, 1 - Math.min(f, 1 - f) / 0.3);
        hu[i] = diploe + (cortical - diploe) * edge;
        continue;
      }
      const depthT = inner - t;
      const depthPx = depthT * scaleArr[i]!;
      let label = PAR;
      if (calc && sq((u - calc[0]) * rx) + sq((v - calc[1]) * ry) < sq(calc[2] * radius)) {
        label = CALC;
      } else {
        for (let j = 0; j < 2 && u > -ventReach && u < ventReach && v > ventV - ventReach && v < ventV + ventReach; j++) {
          const vp = vent[j] as number[];
          const du = u - (vp[0] as number);
          const dv = v - (vp[1] as number);
          const p = du * (vp[4] as number) - dv * (vp[5] as number);
          const q = du * (vp[5] as number) + dv * (vp[4] as number);
          const au = vp[2] as number;
          const av = vp[3] as number;
          if (sq(p / au) + sq(q / av) < 1) {
            const pl = p - (vp[6] as number) * au * 1.25;
            if (sq(pl / au) + sq(q / (av * 0.7)) >= 1) {
              label = j === 0 ? VENT_L : VENT_R;
              break;
            }
          }
        }
        if (label === PAR) {
          if (Math.abs(u * rx) < fissureHalf && (v < -fissureFront || v > fissureBack)) label = FISSURE;
          else if (depthPx < rimPx) label = RIM;
          else if (depthPx < maxDepth) {
            const d = sulcusDistance(sulci, Math.atan2(v, u), depthT, pr);
            if (d < sulci.halfWidth && depthPx < (sulci.depthPx[nearestIndex] as number)) label = SULCUS;
          }
        }
      }
      labels[i] = label;
      if (label === CALC) {
        hu[i] = calc![3];
      } else if (label !== PAR) {
        hu[i] = csf;
      } else {
        // Grey cortical ribbon over white matter, deep grey nuclei beside the ventricles, slow waves.
        const g = Math.min(1, Math.max(0, (cortexT + 0.03 - depthT) / 0.06));
        let val = white + (grey - white) * g * g * (3 - 2 * g);
        for (let side = -1; side <= 1 && v > ventV - 0.15 && v < ventV + 0.31; side += 2) {
          const e = sq((u - side * 0.27) / 0.11) + sq((v - ventV - 0.08) / 0.2);
          if (e < 1) {
            const w = Math.min(1, (1 - e) / 0.4);
            val += (deep - val) * w;
          }
        }
        val += w0cx[x]! * w0cy[y]! - w0sx[x]! * w0sy[y]! + w1cx[x]! * w1cy[y]! - w1sx[x]! * w1sy[y]!;
        hu[i] = val;
        brainSum += val;
        brainCount++;
      }
    }
  }
  // At tiny sizes a ventricle may cover no pixel centre; give each at least its centre pixel.
  for (let j = 0; j < 2; j++) {
    const want = j === 0 ? VENT_L : VENT_R;
    if (labels.includes(want)) continue;
    const vp = vent[j] as number[];
    const du = (vp[0] as number) * rx;
    const dv = (vp[1] as number) * ry;
    const px = Math.floor(cx + du * cr - dv * sr);
    const py = Math.floor(cy + du * sr + dv * cr);
    const i = py * size + px;
    if (labels[i] === PAR) {
      labels[i] = want;
      hu[i] = csf;
    }
  }
  return {
    size,
    radius,
    rx,
    labels,
    hu,
    t: tArr,
    inner: innerArr,
    scale: scaleArr,
    u: uArr,
    v: vArr,
    sulci,
    rimPx,
    brainMean: brainCount > 0 ? brainSum / brainCount : (grey + white) / 2,
  };
}

function isBrainSide(label: number): boolean {
  return label >= RIM;
}

/** Paints the lesion's shape into `mask` (1 = blood); returns the number of pixels painted. */
function paintShape(a: Anatomy, kind: HemorrhageKind, sizeFrac: number, rng: Rng, mask: Uint8Array): number {
  const { size, labels, radius } = a;
  const n = size * size;
  let count = 0;
  switch (kind) {
    case 'intraparenchymal': {
      const r0 = Math.max(1, sizeFrac * radius);
      // Centre: a parenchyma pixel well inside the brain.
      let ci = -1;
      for (let tries = 0; tries < 40 && ci < 0; tries++) {
        const x = Math.floor(rng() * size);
        const y = Math.floor(rng() * size);
        const i = y * size + x;
        if (labels[i] === PAR && a.t[i]! < (a.inner[i] as number) * 0.7) ci = i;
      }
      if (ci < 0) ci = labels.indexOf(PAR);
      if (ci < 0) return 0;
      const cxp = (ci % size) + 0.5;
      const cyp = Math.floor(ci / size) + 0.5;
      const harm: number[] = [];
      for (let k = 2; k <= 4; k++) harm.push(k, 0.13 * rng(), TAU * rng());
      const orient = Math.PI * rng();
      const co = Math.cos(orient);
      const so = Math.sin(orient);
      const elong = 0.7 + 0.3 * rng();
      const reach = r0 * 1.4;
      const x0 = Math.max(0, Math.floor(cxp - reach));
      const x1 = Math.min(size - 1, Math.ceil(cxp + reach));
      const y0 = Math.max(0, Math.floor(cyp - reach));
      const y1 = Math.min(size - 1, Math.ceil(cyp + reach));
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const i = y * size + x;
          if (labels[i] !== PAR) continue;
          const dx = x + 0.5 - cxp;
          const dy = y + 0.5 - cyp;
          const p = dx * co + dy * so;
          const q = (-dx * so + dy * co) / elong;
          const d = Math.sqrt(p * p + q * q);
          const ang = Math.atan2(q, p);
          let rr = r0;
          for (let h = 0; h < harm.length; h += 3) rr += r0 * harm[h + 1]! * Math.cos(harm[h]! * ang + harm[h + 2]!);
          if (d < rr) {
            mask[i] = 1;
            count++;
          }
        }
      }
      if (count === 0) {
        mask[ci] = 1;
        count = 1;
      }
      return count;
    }
    case 'subdural':
    case 'epidural': {
      const sub = kind === 'subdural';
      const span = sub ? (60 + 90 * rng()) * (Math.PI / 180) : (35 + 35 * rng()) * (Math.PI / 180);
      const half = span / 2;
      let centre: number;
      if (sub) {
        // One hemisphere: a subdural hematoma does not cross the falx.
        const side = rng() < 0.5 ? 0 : Math.PI;
        centre = side + (2 * rng() - 1) * Math.max(0, Math.PI / 2 - half - 0.1);
      } else {
        centre = TAU * rng();
      }
      const w = Math.max(1.2, sizeFrac * radius);
      for (let i = 0; i < n; i++) {
        if (!isBrainSide(labels[i]!)) continue;
        const depthPx = (a.inner[i]! - a.t[i]!) * a.scale[i]!;
        if (depthPx >= w) continue;
        const phi = angleDiff(Math.atan2(a.v[i]!, a.u[i]!), centre) / half;
        if (phi <= -1 || phi >= 1) continue;
        const prof = sub ? Math.pow(1 - phi * phi, 0.6) : Math.sqrt(1 - phi * phi);
        if (depthPx < w * prof) {
          mask[i] = 1;
          count++;
        }
      }
      return count;
    }
    case 'intraventricular': {
      const r = rng();
      const sides = r < 0.6 ? [VENT_L, VENT_R] : r < 0.8 ? [VENT_L] : [VENT_R];
      const depth = Math.max(1, sizeFrac * radius);
      for (const want of sides) {
        let yMax = -1;
        for (let i = 0; i < n; i++) if (labels[i] === want) yMax = Math.floor(i / size);
        if (yMax < 0) continue;
        const level = yMax + 1 - depth * (0.8 + 0.2 * rng());
        for (let i = 0; i < n; i++) {
          if (labels[i] === want && Math.floor(i / size) + 0.5 >= level) {
            mask[i] = 1;
            count++;
          }
        }
      }
      return count;
    }
    case 'subarachnoid': {
      const depth = Math.max(1.5, sizeFrac * radius);
      const hb = Math.max(0.7, radius * 0.014);
      if (rng() < 0.75) {
        // Convexity: blood in the CSF rim and the sulci along an arc of the brain surface.
        const span = (50 + 70 * rng()) * (Math.PI / 180);
        const half = span / 2;
        const centre = TAU * rng();
        const s = a.sulci;
        const own = new Float64Array(s.n);
        for (let k = 0; k < s.n; k++) own[k] = depth * (0.6 + 0.4 * rng());
        const rimB = Math.max(1, a.rimPx + 0.3);
        for (let i = 0; i < n; i++) {
          if (!isBrainSide(labels[i]!) || labels[i] === VENT_L || labels[i] === VENT_R) continue;
          const depthT = a.inner[i]! - a.t[i]!;
          const depthPx = depthT * a.scale[i]!;
          if (depthPx >= rimB && depthPx >= depth) continue;
          const ang = Math.atan2(a.v[i]!, a.u[i]!);
          if (Math.abs(angleDiff(ang, centre)) >= half) continue;
          let hit = depthPx < rimB;
          if (!hit && depthPx < depth) {
            const pr = a.t[i]! * a.scale[i]!;
            const d = sulcusDistance(s, ang, depthT, pr);
            hit = d < hb && depthPx < (own[nearestIndex] as number);
          }
          if (hit) {
            mask[i] = 1;
            count++;
          }
        }
      } else {
        // Interhemispheric fissure, front or back.
        const front = rng() < 0.6;
        const len = depth * (1.5 + 1.0 * rng());
        for (let i = 0; i < n; i++) {
          if (!isBrainSide(labels[i]!) || labels[i] === VENT_L || labels[i] === VENT_R) continue;
          const v = a.v[i]!;
          if (front ? v >= 0 : v <= 0) continue;
          if (Math.abs(a.u[i]! * a.rx) >= hb) continue;
          const depthPx = (a.inner[i]! - a.t[i]!) * a.scale[i]!;
          if (depthPx < len) {
            mask[i] = 1;
            count++;
          }
        }
      }
      return count;
    }
  }
}

/** Mean noise-free HU of the parenchyma within `reach` pixels of the mask (box neighbourhood), or NaN. */
function surroundingMean(a: Anatomy, mask: Uint8Array, reach: number): number {
  const { size, labels, hu } = a;
  let x0 = size;
  let x1 = -1;
  let y0 = size;
  let y1 = -1;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    const x = i % size;
    const y = (i - x) / size;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (x1 < 0) return Number.NaN;
  x0 = Math.max(0, x0 - reach);
  x1 = Math.min(size - 1, x1 + reach);
  y0 = Math.max(0, y0 - reach);
  y1 = Math.min(size - 1, y1 + reach);
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  // Row pass: count of mask pixels within reach horizontally; column pass likewise.
  const rows = new Int32Array(w * h);
  for (let y = 0; y < h; y++) {
    const base = (y + y0) * size + x0;
    let run = 0;
    for (let x = 0; x < w + reach; x++) {
      if (x < w) run += mask[base + x]!;
      if (x - 2 * reach - 1 >= 0) run -= mask[base + x - 2 * reach - 1]!;
      const at = x - reach;
      if (at >= 0 && at < w) rows[y * w + at] = run;
    }
  }
  let sum = 0;
  let count = 0;
  for (let x = 0; x < w; x++) {
    let run = 0;
    for (let y = 0; y < h + reach; y++) {
      if (y < h) run += rows[y * w + x]!;
      if (y - 2 * reach - 1 >= 0) run -= rows[(y - 2 * reach - 1) * w + x]!;
      const at = y - reach;
      if (at >= 0 && at < h && run > 0) {
        const i = (at + y0) * size + x + x0;
        if (mask[i] === 0 && labels[i] === PAR) {
          sum += hu[i]!;
          count++;
        }
      }
    }
  }
  return count > 0 ? sum / count : Number.NaN;
}

/** Gaussian blur of the rows and columns from `lo` to `hi` (the head's extent plus the kernel); the rest is uniform air. */
function gaussianBlur(hu: Float32Array, size: number, sigma: number, lo: number, hi: number): void {
  const r = Math.max(1, Math.ceil(2.5 * sigma));
  const k = new Float64Array(2 * r + 1);
  let total = 0;
  for (let j = -r; j <= r; j++) total += k[j + r] = Math.exp(-(j * j) / (2 * sigma * sigma));
  for (let j = 0; j < k.length; j++) k[j] = k[j]! / total;
  // Rows into a padded line buffer (edges repeated), then columns likewise.
  const tmp = Float32Array.from(hu);
  const line = new Float64Array(size + 2 * r);
  const taps = 2 * r + 1;
  for (let pass = 0; pass < 2; pass++) {
    const src = pass === 0 ? hu : tmp;
    const dst = pass === 0 ? tmp : hu;
    const step = pass === 0 ? 1 : size;
    const stride = pass === 0 ? size : 1;
    for (let l = lo; l <= hi; l++) {
      const base = l * stride;
      for (let j = 0; j < size; j++) line[j + r] = src[base + j * step]!;
      for (let j = 0; j < r; j++) {
        line[j] = line[r]!;
        line[size + r + j] = line[size + r - 1]!;
      }
      for (let j = 0; j < size; j++) {
        let acc = 0;
        for (let q = 0; q < taps; q++) acc += k[q]! * line[j + q]!;
        dst[base + j * step] = acc;
      }
    }
  }
}

const NORMAL_TABLE_SIZE = 16384;
let normalQuantiles: Float32Array | undefined;

/** Standard normal quantiles at (j + 0.5) / size: one table lookup per noise sample (Acklam's inverse CDF). */
function normalTable(): Float32Array {
  if (normalQuantiles) return normalQuantiles;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const out = new Float32Array(NORMAL_TABLE_SIZE);
  for (let j = 0; j < NORMAL_TABLE_SIZE; j++) {
    const p = (j + 0.5) / NORMAL_TABLE_SIZE;
    let z: number;
    if (p < 0.02425 || p > 1 - 0.02425) {
      const q = Math.sqrt(-2 * Math.log(p < 0.5 ? p : 1 - p));
      z = (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
      if (p > 0.5) z = -z;
    } else {
      const q = p - 0.5;
      const rr = q * q;
      z = ((((((a0 * rr + a1) * rr + a2) * rr + a3) * rr + a4) * rr + a5) * q) / (((((b0 * rr + b1) * rr + b2) * rr + b3) * rr + b4) * rr + 1);
    }
    out[j] = z;
  }
  normalQuantiles = out;
  return out;
}

function render(r: Resolved, kind: HemorrhageKind | 'none', seed: number, id: string): CtPhantom {
  const anatomy = buildAnatomy(r.size, createRng(mixSeed(seed, 1)));
  const { size, labels } = anatomy;
  const n = size * size;
  const hu = anatomy.hu;
  const mask = new Uint8Array(n);
  let contrast = 0;
  if (kind !== 'none') {
    const rng = createRng(mixSeed(seed, 2));
    const sizeFrac = between(rng, r.lesionSize[kind]);
    contrast = between(rng, r.contrast);
    // Shapes that would rasterise to nothing at tiny sizes are redrawn larger.
    let painted = 0;
    for (let grow = 1; painted === 0 && grow < 20; grow *= 1.5) painted = paintShape(anatomy, kind, sizeFrac * grow, rng, mask);
    const reach = Math.max(2, Math.round(anatomy.radius * 0.08));
    const around = surroundingMean(anatomy, mask, reach);
    const blood = (Number.isNaN(around) ? anatomy.brainMean : around) + contrast;
    for (let i = 0; i < n; i++) if (mask[i] === 1) hu[i] = blood;
  }
  if (r.blur > 0) {
    let lo = size;
    let hi = -1;
    for (let i = 0; i < n; i++) {
      if (labels[i] === AIR) continue;
      const x = i % size;
      const y = (i - x) / size;
      lo = Math.min(lo, x, y);
      hi = Math.max(hi, x, y);
    }
    const reach = Math.ceil(2.5 * r.blur) + 1;
    gaussianBlur(hu, size, r.blur, Math.max(0, lo - reach), Math.min(size - 1, hi + reach));
    for (let i = 0; i < n; i++) if (labels[i] === AIR && hu[i]! < -999.5) hu[i] = PHANTOM_TISSUE_HU.air;
  }
  if (r.noise > 0) {
    const rng = createRng(mixSeed(seed, 3));
    const table = normalTable();
    const sd = r.noise;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== AIR) hu[i] = hu[i]! + sd * table[(rng() * NORMAL_TABLE_SIZE) | 0]!;
    }
  }
  return {
    hu,
    width: size,
    height: size,
    window: WINDOW_PRESETS.brain,
    mask,
    label: kind === 'none' ? 0 : 1,
    kind,
    id,
    seed,
    contrast,
  };
}

function pickKind(seed: number, kinds: readonly HemorrhageKind[]): HemorrhageKind {
  const rng = createRng(mixSeed(seed, 4));
  return kinds[Math.min(kinds.length - 1, Math.floor(rng() * kinds.length))] as HemorrhageKind;
}

/**
 * Generates one seeded synthetic axial head CT slice in Hounsfield units, at the level of the
 * lateral ventricles: air (-1000) around a lumpy elliptical head, a thin scalp (+30..+50), a skull
 * of varying thickness with dense outer and inner tables (+1100..+1600) around the diploe
 * (+500..+800), grey (+36..+40) and white matter (+26..+30) with deep grey nuclei and slow
 * variation, CSF (+2..+8) in the lateral ventricles, sulci, interhemispheric fissure and a thin
 * rim at the brain surface; then, for a hemorrhage kind, blood `contrast` HU above the
 * surrounding parenchyma; then a mild blur and Gaussian noise. `mask` is exactly the pixels
 * where blood was painted. Browser-safe; a toy model of CT, not a simulation of a scanner.
 *
 * @example
 * ```ts
 * const slice = generateCtPhantom({ kind: 'subdural', size: 128, seed: 3 });
 * slice.hu[0];                               // -1000 (air in the corner)
 * [slice.label, slice.kind, slice.id];       // [1, 'subdural', 'ct-phantom-3']
 * slice.mask.reduce((a, b) => a + b, 0);     // 309 (pixels of blood)
 * slice.contrast;                            // 42.52... (HU over the surrounding brain)
 * generateCtPhantom({ kind: 'none', seed: 3 }).mask.every((m) => m === 0); // true: the same head, no blood
 * ```
 */
export function generateCtPhantom(options: CtPhantomOptions = {}): CtPhantom {
  const resolved = resolveOptions(options);
  const seed = checkSeed(options.seed ?? CT_PHANTOM_DEFAULTS.seed);
  const kindOption = options.kind ?? CT_PHANTOM_DEFAULTS.kind;
  if (kindOption !== 'none' && kindOption !== 'random' && !(HEMORRHAGE_KINDS as readonly string[]).includes(kindOption)) {
    throw bad('kind', `Option kind must be one of ${HEMORRHAGE_KINDS.join(', ')}, none or random; got ${JSON.stringify(kindOption)}.`, kindOption);
  }
  const kind = kindOption === 'random' ? pickKind(seed, HEMORRHAGE_KINDS) : kindOption;
  return render(resolved, kind, seed, `ct-phantom-${seed}`);
}

/**
 * Generates `count` seeded synthetic head CT slices in HU ({@link generateCtPhantom}), a share
 * `positiveFraction` of them with a hemorrhage of one of `kinds`. Slice `i` is drawn from the seed
 * `mixSeed(seed, i)` and does not depend on `count`: the labels are random but stratified, every
 * prefix of the list holding within one slice of its share of positives (so exactly
 * `count * positiveFraction` when that is a whole number, else it rounded down or up).
 *
 * @example
 * ```ts
 * const slices = generateCtPhantoms({ count: 6, size: 64, seed: 7 });
 * slices.map((s) => s.label);  // [1, 0, 1, 0, 0, 1]
 * slices.map((s) => s.kind);   // ['subarachnoid', 'none', 'intraparenchymal', 'none', 'none', 'subarachnoid']
 * slices[0].id;                // 'ct-phantom-0000'
 * ```
 */
export function generateCtPhantoms(options: CtPhantomsOptions = {}): CtPhantom[] {
  const resolved = resolveOptions(options);
  const seed = checkSeed(options.seed ?? CT_PHANTOM_DEFAULTS.seed);
  const count = options.count ?? CT_PHANTOM_DEFAULTS.count;
  if (!Number.isInteger(count) || count < 1) {
    throw bad('count', `Option count must be an integer >= 1 (the number of slices); got ${String(count)}.`, count);
  }
  const fraction = options.positiveFraction ?? CT_PHANTOM_DEFAULTS.positiveFraction;
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
    throw bad('positiveFraction', `Option positiveFraction must be a number in [0, 1]; got ${String(fraction)}.`, fraction);
  }
  const kinds = checkKinds(options.kinds ?? CT_PHANTOM_DEFAULTS.kinds, 'kinds');
  const labelRng = createRng(mixSeed(seed, 0x1abe1));
  const out: CtPhantom[] = [];
  let positives = 0;
  for (let i = 0; i < count; i++) {
    // Keep |positives after i+1 slices - (i+1) * fraction| < 1; choose at random when both fit.
    const target = (i + 1) * fraction;
    const canNegative = positives > target - 1 + 1e-9;
    const canPositive = positives + 1 < target + 1 - 1e-9;
    const draw = labelRng();
    const positive = canNegative && canPositive ? draw < fraction : canPositive;
    if (positive) positives++;
    const sliceSeed = mixSeed(seed, i);
    const kind = positive ? pickKind(sliceSeed, kinds) : 'none';
    out.push(render(resolved, kind, sliceSeed, `ct-phantom-${String(i).padStart(4, '0')}`));
  }
  return out;
}
