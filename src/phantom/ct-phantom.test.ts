import { describe, expect, it } from 'vitest';
import { CtHemorrhageError } from '../errors/index.js';
import { mixSeed } from '../random/index.js';
import {
  CT_PHANTOM_DEFAULTS,
  generateCtPhantom,
  generateCtPhantoms,
  HEMORRHAGE_KINDS,
  PHANTOM_TISSUE_HU,
  type CtPhantom,
  type CtPhantomOptions,
  type HemorrhageKind,
} from './index.js';

const SIZE = 96;
const SEEDS = [1, 2, 3, 4, 5, 6];

/** Chebyshev distance of every pixel to the nearest pixel where `source` is true (two-pass chamfer). */
function distanceTo(source: (i: number) => boolean, size: number): Float64Array {
  const d = new Float64Array(size * size);
  for (let i = 0; i < d.length; i++) d[i] = source(i) ? 0 : Infinity;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      for (const [dx, dy] of [[-1, 0], [-1, -1], [0, -1], [1, -1]] as const) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx >= 0 && xx < size && yy >= 0) d[i] = Math.min(d[i]!, d[yy * size + xx]! + 1);
      }
    }
  }
  for (let y = size - 1; y >= 0; y--) {
    for (let x = size - 1; x >= 0; x--) {
      const i = y * size + x;
      for (const [dx, dy] of [[1, 0], [1, 1], [0, 1], [-1, 1]] as const) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx >= 0 && xx < size && yy < size) d[i] = Math.min(d[i]!, d[yy * size + xx]! + 1);
      }
    }
  }
  return d;
}

/** Pixels inside the skull: not reachable from the image border without crossing bone (>= 300 HU). */
function intracranial(p: CtPhantom): Uint8Array {
  const size = p.width;
  const outside = new Uint8Array(size * size);
  const stack: number[] = [];
  for (let k = 0; k < size; k++) stack.push(k, (size - 1) * size + k, k * size, k * size + size - 1);
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (outside[i] === 1 || p.hu[i]! >= 300) continue;
    outside[i] = 1;
    const x = i % size;
    if (x > 0) stack.push(i - 1);
    if (x < size - 1) stack.push(i + 1);
    if (i >= size) stack.push(i - size);
    if (i < size * (size - 1)) stack.push(i + size);
  }
  return outside.map((o, i) => (o === 0 && p.hu[i]! < 300 ? 1 : 0));
}

function maskIndices(p: CtPhantom): number[] {
  const out: number[] = [];
  p.mask.forEach((m, i) => {
    if (m === 1) out.push(i);
  });
  return out;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** A slice without blur or noise (its HU are the painted tissue values) and the same head without a lesion. */
function clean(kind: HemorrhageKind, seed: number, extra: CtPhantomOptions = {}): { lesion: CtPhantom; normal: CtPhantom } {
  const base = { size: SIZE, seed, noise: 0, blur: 0, ...extra };
  return { lesion: generateCtPhantom({ ...base, kind }), normal: generateCtPhantom({ ...base, kind: 'none' }) };
}

const isBone = (hu: number) => hu >= 300;
const isCsf = (hu: number) => hu >= PHANTOM_TISSUE_HU.csf[0] && hu <= PHANTOM_TISSUE_HU.csf[1];
const isParenchyma = (hu: number) => hu >= 20 && hu <= 50;

describe('generateCtPhantom', () => {
  it('is seeded: the same seed gives the same HU and mask, another seed another slice', () => {
    const a = generateCtPhantom({ size: 64, seed: 11, kind: 'subdural' });
    const b = generateCtPhantom({ size: 64, seed: 11, kind: 'subdural' });
    const c = generateCtPhantom({ size: 64, seed: 12, kind: 'subdural' });
    expect(b.hu).toEqual(a.hu);
    expect(b.mask).toEqual(a.mask);
    expect(c.hu).not.toEqual(a.hu);
    expect(c.mask).not.toEqual(a.mask);
    expect(a).toMatchObject({ width: 64, height: 64, seed: 11, id: 'ct-phantom-11', label: 1, kind: 'subdural' });
    expect(a.hu).toBeInstanceOf(Float32Array);
    expect(a.hu).toHaveLength(64 * 64);
    expect(a.mask).toHaveLength(64 * 64);
  });

  it('draws one of the five kinds by default, and the same head with or without a lesion', () => {
    const random = generateCtPhantom({ size: 64, seed: 5 });
    expect(HEMORRHAGE_KINDS).toContain(random.kind);
    expect(random.label).toBe(1);
    const drawn = new Set(SEEDS.concat([7, 8, 9, 10, 11, 12, 13, 14]).map((seed) => generateCtPhantom({ size: 16, seed }).kind));
    expect(drawn.size).toBeGreaterThanOrEqual(4);
    // Anatomy and noise come from their own streams: away from the lesion the pixels are identical.
    const { lesion, normal } = { lesion: generateCtPhantom({ size: 64, seed: 5, kind: 'epidural' }), normal: generateCtPhantom({ size: 64, seed: 5, kind: 'none' }) };
    const near = distanceTo((i) => lesion.mask[i] === 1, 64);
    let far = 0;
    for (let i = 0; i < near.length; i++) {
      if (near[i]! > 3) {
        expect(lesion.hu[i]).toBe(normal.hu[i]);
        far++;
      }
    }
    expect(far).toBeGreaterThan(3000);
  });

  it("gives an empty mask, label 0 and contrast 0 for kind 'none'", () => {
    for (const seed of SEEDS) {
      const p = generateCtPhantom({ size: 48, seed, kind: 'none' });
      expect(p.mask.every((m) => m === 0)).toBe(true);
      expect(p).toMatchObject({ label: 0, kind: 'none', contrast: 0 });
    }
  });

  it('has air at exactly -1000 outside the head, a skull ring above +300 HU and brain near +30 HU inside', () => {
    for (const seed of SEEDS) {
      const p = generateCtPhantom({ size: SIZE, seed, kind: 'none' });
      const at = (x: number, y: number) => p.hu[y * SIZE + x]!;
      for (const [x, y] of [[0, 0], [SIZE - 1, 0], [0, SIZE - 1], [SIZE - 1, SIZE - 1], [SIZE / 2, 0], [0, SIZE / 2]] as const) {
        expect(at(x, y)).toBe(PHANTOM_TISSUE_HU.air);
      }
      expect(p.hu.filter((v) => v === PHANTOM_TISSUE_HU.air).length).toBeGreaterThan(0.25 * SIZE * SIZE);
      // Along the middle row from the left: air, then within a few pixels of the scalp, bone.
      const row = Array.from({ length: SIZE }, (_, x) => at(x, SIZE / 2));
      const edge = row.findIndex((v) => v > -500);
      expect(edge).toBeGreaterThan(0);
      expect(Math.max(...row.slice(edge, edge + 8))).toBeGreaterThan(600);
      // Brain parenchyma near the centre (a ring around the ventricles) averages near +30 HU.
      const brain: number[] = [];
      for (let y = SIZE / 2 - 6; y < SIZE / 2 + 6; y++) for (const x of [SIZE / 2 - 20, SIZE / 2 + 20]) brain.push(at(x, y));
      expect(mean(brain)).toBeGreaterThan(22);
      expect(mean(brain)).toBeLessThan(45);
      expect(Math.max(...p.hu)).toBeGreaterThan(900);
    }
  });

  it('adds Gaussian noise of the asked standard deviation inside the head only', () => {
    const quiet = generateCtPhantom({ size: SIZE, seed: 3, kind: 'none', noise: 0 });
    const noisy = generateCtPhantom({ size: SIZE, seed: 3, kind: 'none', noise: 6 });
    const diff: number[] = [];
    for (let i = 0; i < quiet.hu.length; i++) {
      if (quiet.hu[i] === PHANTOM_TISSUE_HU.air) expect(noisy.hu[i]).toBe(PHANTOM_TISSUE_HU.air);
      else diff.push(noisy.hu[i]! - quiet.hu[i]!);
    }
    const m = mean(diff);
    const sd = Math.sqrt(mean(diff.map((d) => (d - m) ** 2)));
    expect(Math.abs(m)).toBeLessThan(0.3);
    expect(sd).toBeGreaterThan(5.7);
    expect(sd).toBeLessThan(6.3);
  });

  describe.each(HEMORRHAGE_KINDS)('kind %s', (kind) => {
    it('paints a non-empty mask of blood, and nothing outside it', () => {
      for (const seed of SEEDS) {
        const { lesion, normal } = clean(kind, seed);
        const inside = maskIndices(lesion);
        expect(inside.length).toBeGreaterThan(3);
        expect(lesion).toMatchObject({ label: 1, kind });
        // Exactly the mask's pixels differ from the same head without a lesion (no blur, no noise).
        for (let i = 0; i < lesion.hu.length; i++) {
          if (lesion.mask[i] === 0) expect(lesion.hu[i]).toBe(normal.hu[i]);
        }
        // Blood sits at +45..+100 HU, inside the skull, never on bone, scalp or air.
        const brain = intracranial(normal);
        for (const i of inside) {
          expect(brain[i]).toBe(1);
          expect(lesion.hu[i]).toBeGreaterThan(45);
          expect(lesion.hu[i]).toBeLessThan(100);
          expect(normal.hu[i]).toBeLessThan(60);
          expect(normal.hu[i]).toBeGreaterThan(-1);
        }
      }
    });

    it('makes blood denser than the surrounding brain by about the contrast option', () => {
      for (const contrast of [30, 45]) {
        for (const seed of SEEDS.slice(0, 4)) {
          const { lesion, normal } = clean(kind, seed, { contrast: [contrast, contrast], noise: 4 });
          const quiet = generateCtPhantom({ size: SIZE, seed, kind: 'none', noise: 0, blur: 0 });
          const brain = intracranial(quiet);
          const near = distanceTo((i) => lesion.mask[i] === 1, SIZE);
          const ring: number[] = [];
          for (let i = 0; i < near.length; i++) {
            if (near[i]! > 0 && near[i]! <= 3 && brain[i] === 1 && isParenchyma(quiet.hu[i]!)) ring.push(quiet.hu[i]!);
          }
          expect(ring.length).toBeGreaterThan(5);
          const blood = mean(maskIndices(lesion).map((i) => lesion.hu[i]!));
          expect(blood - mean(ring)).toBeGreaterThan(contrast - 4);
          expect(blood - mean(ring)).toBeLessThan(contrast + 4);
          expect(lesion.contrast).toBe(contrast);
          expect(normal.contrast).toBe(0);
        }
      }
    });
  });

  it.each(['subdural', 'epidural'] as const)('puts a %s hematoma against the inner table of the skull', (kind) => {
    for (const seed of SEEDS) {
      const { lesion } = clean(kind, seed);
      const radius = 0.4136 * SIZE; // the largest head radius the generator draws
      const thickest = CT_PHANTOM_DEFAULTS.lesionSize[kind][1] * radius;
      const bone = distanceTo((i) => isBone(lesion.hu[i]!), SIZE);
      const inside = maskIndices(lesion);
      // Every pixel lies within the lesion's greatest thickness of bone, and the lesion's outer edge touches it.
      for (const i of inside) expect(bone[i]).toBeLessThanOrEqual(Math.ceil(thickest) + 1);
      const touching = inside.filter((i) => bone[i] === 1).length;
      expect(touching).toBeGreaterThanOrEqual(Math.min(10, inside.length / 3));
    }
  });

  it('spreads a subdural hematoma over a longer, thinner arc than an epidural one', () => {
    let ratioSub = 0;
    let ratioEpi = 0;
    for (const seed of SEEDS) {
      for (const kind of ['subdural', 'epidural'] as const) {
        const { lesion } = clean(kind, seed, { lesionSize: [0.12, 0.12] });
        const bone = distanceTo((i) => isBone(lesion.hu[i]!), SIZE);
        const inside = maskIndices(lesion);
        // Length along the skull over area: high for a thin crescent, lower for a lens of the same thickness.
        const touching = inside.filter((i) => bone[i] === 1).length;
        if (kind === 'subdural') ratioSub += touching / inside.length;
        else ratioEpi += touching / inside.length;
      }
    }
    expect(ratioSub).toBeGreaterThan(ratioEpi);
  });

  it('layers intraventricular blood in the ventricles, in their dependent (lower, posterior) part', () => {
    for (const seed of SEEDS) {
      const { lesion, normal } = clean('intraventricular', seed);
      const inside = maskIndices(lesion);
      const rows: number[] = [];
      for (const i of inside) {
        // Blood only where the same head has ventricular CSF, and no CSF left below blood: a fluid level.
        expect(isCsf(normal.hu[i]!)).toBe(true);
        const below = i + SIZE;
        if (isCsf(normal.hu[below]!)) expect(lesion.mask[below]).toBe(1);
        rows.push(Math.floor(i / SIZE));
      }
      // The blood lies lower than the ventricular CSF of its columns on average.
      const columns = new Set(inside.map((i) => i % SIZE));
      const csfRows: number[] = [];
      for (let i = 0; i < normal.hu.length; i++) {
        const x = i % SIZE;
        const y = Math.floor(i / SIZE);
        if (columns.has(x) && Math.abs(y - SIZE / 2) < SIZE * 0.3 && isCsf(normal.hu[i]!)) csfRows.push(y);
      }
      expect(mean(rows)).toBeGreaterThan(mean(csfRows));
    }
  });

  it('keeps an intraparenchymal hematoma inside the brain parenchyma, away from the skull', () => {
    for (const seed of SEEDS) {
      const { lesion, normal } = clean('intraparenchymal', seed);
      const bone = distanceTo((i) => isBone(lesion.hu[i]!), SIZE);
      const brain = intracranial(normal);
      for (const i of maskIndices(lesion)) {
        expect(brain[i]).toBe(1);
        expect(isParenchyma(normal.hu[i]!)).toBe(true);
        expect(bone[i]).toBeGreaterThan(1);
      }
    }
  });

  it('fills sulci, the CSF rim or the fissure with subarachnoid blood at the brain surface', () => {
    for (const seed of SEEDS) {
      const { lesion, normal } = clean('subarachnoid', seed);
      const inside = maskIndices(lesion);
      const bone = distanceTo((i) => isBone(lesion.hu[i]!), SIZE);
      const csf = inside.filter((i) => isCsf(normal.hu[i]!)).length;
      expect(csf / inside.length).toBeGreaterThan(0.25);
      expect(Math.min(...inside.map((i) => bone[i]!))).toBeLessThanOrEqual(2);
      // Thin lines: most blood pixels have a non-blood pixel among their 4 neighbours.
      const edge = inside.filter((i) => [i - 1, i + 1, i - SIZE, i + SIZE].some((j) => lesion.mask[j] === 0)).length;
      expect(edge / inside.length).toBeGreaterThan(0.6);
    }
  });

  it.each([
    ['size', { size: 8 }],
    ['size', { size: 20.5 }],
    ['kind', { kind: 'stroke' }],
    ['seed', { seed: Number.NaN }],
    ['noise', { noise: -1 }],
    ['blur', { blur: 5 }],
    ['contrast', { contrast: [40, 20] }],
    ['contrast', { contrast: [-5, 20] }],
    ['lesionSize', { lesionSize: [0, 0.1] }],
    ['lesionSize', { lesionSize: [0.1, 0.9] }],
    ['lesionSize', { lesionSize: { subdural: [0.3, 0.2] } }],
    ['lesionSize', { lesionSize: { stroke: [0.1, 0.2] } }],
  ])('refuses a bad %s (%j) with BAD_INPUT naming the option', (option, options) => {
    const call = () => generateCtPhantom(options as CtPhantomOptions);
    expect(call).toThrow(CtHemorrhageError);
    try {
      call();
    } catch (error) {
      expect(error).toMatchObject({ code: 'BAD_INPUT', details: { option } });
      expect((error as Error).message).toContain(option);
    }
  });
});

describe('generateCtPhantoms', () => {
  it('derives slice i from mixSeed(seed, i), whatever the count', () => {
    const few = generateCtPhantoms({ count: 5, size: 32, seed: 9 });
    const many = generateCtPhantoms({ count: 13, size: 32, seed: 9 });
    for (let i = 0; i < few.length; i++) {
      const a = few[i]!;
      const b = many[i]!;
      expect(b).toEqual(a);
      expect(a.seed).toBe(mixSeed(9, i));
      expect(a.id).toBe(`ct-phantom-${String(i).padStart(4, '0')}`);
      const alone = generateCtPhantom({ size: 32, seed: a.seed, kind: a.kind });
      expect(alone.hu).toEqual(a.hu);
      expect(alone.mask).toEqual(a.mask);
    }
  });

  it.each([
    [20, 0.25, 5],
    [40, 0.5, 20],
    [9, 0, 0],
    [9, 1, 9],
    [30, 0.1, 3],
  ])('gives %i slices with positiveFraction %d exactly %i positives, stratified along the list', (count, fraction, positives) => {
    const slices = generateCtPhantoms({ count, positiveFraction: fraction, size: 16, seed: 4 });
    expect(slices).toHaveLength(count);
    expect(slices.filter((s) => s.label === 1)).toHaveLength(positives);
    let running = 0;
    slices.forEach((s, i) => {
      running += s.label;
      expect(Math.abs(running - (i + 1) * fraction)).toBeLessThan(1);
      expect(s.label === 1).toBe(s.kind !== 'none');
      expect(s.mask.some((m) => m === 1)).toBe(s.label === 1);
    });
  });

  it('shuffles the labels (not alternating) and draws positives from the kinds asked', () => {
    const slices = generateCtPhantoms({ count: 60, size: 16, seed: 2 });
    const labels = slices.map((s) => s.label).join('');
    expect(labels).not.toBe('10'.repeat(30));
    expect(labels).not.toBe('01'.repeat(30));
    expect(new Set(slices.filter((s) => s.label === 1).map((s) => s.kind)).size).toBe(5);
    const only = generateCtPhantoms({ count: 12, size: 16, seed: 2, kinds: ['epidural', 'subarachnoid'] });
    for (const s of only) expect(['none', 'epidural', 'subarachnoid']).toContain(s.kind);
    expect(new Set(only.map((s) => s.kind)).size).toBe(3);
  });

  it.each([
    ['count', { count: 0 }],
    ['count', { count: 2.5 }],
    ['positiveFraction', { positiveFraction: 1.5 }],
    ['kinds', { kinds: [] }],
    ['kinds', { kinds: ['subdural', 'stroke'] }],
    ['size', { size: 15 }],
  ])('refuses a bad %s (%j) with BAD_INPUT naming the option', (option, options) => {
    expect(() => generateCtPhantoms(options as never)).toThrow(expect.objectContaining({ code: 'BAD_INPUT', details: expect.objectContaining({ option }) }));
  });

  it('generates 200 slices of 128 x 128 quickly', () => {
    const started = performance.now();
    const slices = generateCtPhantoms({ count: 200, size: 128, seed: 1 });
    expect(slices).toHaveLength(200);
    // About 2 ms a slice on a laptop; the bound leaves room for slow CI machines.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
