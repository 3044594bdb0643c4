import type { Rng } from '../random/index.js';
import { between, PHANTOM_TISSUE_HU } from './ct-options.js';
import { angleDiff, sq, TAU } from './geometry.js';

// Tissue labels of the anatomy map.
export const AIR = 0;
export const SCALP = 1;
export const BONE = 2;
export const RIM = 3;
export const SULCUS = 4;
export const FISSURE = 5;
export const VENT_L = 6;
export const VENT_R = 7;
export const CALC = 8;
export const PAR = 9;

/** Whether a label lies inside the inner table: the CSF rim, sulci, fissure, ventricles, calcification or parenchyma. */
export function isBrainSide(label: number): boolean {
  return label >= RIM;
}

/** The anatomy of one slice: tissue labels, noise-free HU and per-pixel geometry. */
export interface Anatomy {
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
export interface Sulci {
  readonly n: number;
  readonly offset: number;
  readonly theta: Float64Array;
  readonly bend: Float64Array;
  readonly curl: Float64Array;
  readonly depthPx: Float64Array;
  readonly halfWidth: number;
}

let nearestIndex = 0;

/** The sulcus nearest in the last {@link sulcusDistance} call (its `nearestIndex`). */
export function nearestSulcus(): number {
  return nearestIndex;
}

/** Distance in pixels from a brain pixel to the nearest sulcus centre line; sets `nearestIndex`. */
export function sulcusDistance(s: Sulci, angle: number, depthT: number, pr: number): number {
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

export function buildAnatomy(size: number, rng: Rng): Anatomy {
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
