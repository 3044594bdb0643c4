import type { Rng } from '../random/index.js';
import { isBrainSide, nearestSulcus, PAR, sulcusDistance, VENT_L, VENT_R, type Anatomy } from './anatomy.js';
import type { HemorrhageKind } from './ct-options.js';
import { angleDiff, TAU } from './geometry.js';

/** Paints the lesion's shape into `mask` (1 = blood); returns the number of pixels painted. */
export function paintShape(a: Anatomy, kind: HemorrhageKind, sizeFrac: number, rng: Rng, mask: Uint8Array): number {
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
            hit = d < hb && depthPx < (own[nearestSulcus()] as number);
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
export function surroundingMean(a: Anatomy, mask: Uint8Array, reach: number): number {
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
