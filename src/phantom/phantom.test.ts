import { describe, expect, it } from 'vitest';
import { CtHemorrhageError } from '../errors/index.js';
import type { HuImage } from '../preprocessing/hu-image.js';
import { applyWindow, WINDOW_PRESETS } from '../windowing/index.js';
import { generateCtPhantoms, generatePhantoms, PHANTOM_DEFAULTS } from './index.js';

describe('generatePhantoms', () => {
  it('is seeded: the same seed gives the same slices, another seed others', () => {
    const a = generatePhantoms({ count: 6, size: 24, seed: 3 });
    const b = generatePhantoms({ count: 6, size: 24, seed: 3 });
    const c = generatePhantoms({ count: 6, size: 24, seed: 4 });
    expect(b).toEqual(a);
    expect(c.map((s) => Array.from(s.image.data))).not.toEqual(a.map((s) => Array.from(s.image.data)));
  });

  it('gives 8-bit one-channel images of the default size by default, balanced as asked', () => {
    const defaults = generatePhantoms({ count: 4 });
    for (const s of defaults) {
      expect(s.image.data).toBeInstanceOf(Uint8Array);
      expect(s.image).toMatchObject({ width: PHANTOM_DEFAULTS.size, height: PHANTOM_DEFAULTS.size, channels: 1 });
      expect(s.image.data).toHaveLength(PHANTOM_DEFAULTS.size ** 2);
    }
    const slices = generatePhantoms({ count: 20, size: 32, positiveFraction: 0.25 });
    expect(slices.filter((s) => s.label === 1)).toHaveLength(5);
    for (const s of slices) expect(s.image).toMatchObject({ width: 32, height: 32, channels: 1 });
    expect(slices.map((s) => s.id)).toEqual(Array.from({ length: 20 }, (_, i) => `phantom-${String(i).padStart(4, '0')}`));
  });

  it("with units 'hu' gives the HU slices, and by default those slices through the brain window", () => {
    const hu = generatePhantoms({ count: 6, size: 40, seed: 8, units: 'hu' });
    const pixels = generatePhantoms({ count: 6, size: 40, seed: 8 });
    hu.forEach((s, i) => {
      const image: HuImage = s.image;
      expect(image.hu).toBeInstanceOf(Float32Array);
      expect(image).toMatchObject({ width: 40, height: 40, window: WINDOW_PRESETS.brain });
      expect(Math.min(...image.hu)).toBe(-1000);
      expect(Math.max(...image.hu)).toBeGreaterThan(300);
      const windowed = Array.from(applyWindow(image.hu, WINDOW_PRESETS.brain), (v) => Math.round(255 * v));
      expect(Array.from(pixels[i]!.image.data)).toEqual(windowed);
      expect(pixels[i]!.label).toBe(s.label);
    });
    const bone = generatePhantoms({ count: 1, size: 40, seed: 8, window: 'bone' })[0]!;
    const windowed = Array.from(applyWindow(hu[0]!.image.hu, WINDOW_PRESETS.bone), (v) => Math.round(255 * v));
    expect(Array.from(bone.image.data)).toEqual(windowed);
  });

  it('draws its slices from generateCtPhantoms with the legacy defaults', () => {
    const options = { count: 8, size: 32, seed: 5, lesionSize: [0.15, 0.2] as const };
    const legacy = generatePhantoms({ ...options, units: 'hu' });
    const ct = generateCtPhantoms({ ...options, contrast: PHANTOM_DEFAULTS.contrast, kinds: PHANTOM_DEFAULTS.kinds });
    legacy.forEach((s, i) => {
      expect(s.image.hu).toEqual(ct[i]!.hu);
      expect(s.label).toBe(ct[i]!.label);
    });
  });

  it('draws by default one large intraparenchymal blob per positive, clearly denser than brain', () => {
    const slices = generatePhantoms({ count: 16, seed: 3, units: 'hu' });
    const size = PHANTOM_DEFAULTS.size;
    // Blood pixels: +55..+100 HU with no bone (>= 300 HU) among their 8 neighbours.
    const blood = (hu: ArrayLike<number>) => {
      let n = 0;
      for (let y = 1; y < size - 1; y++) {
        for (let x = 1; x < size - 1; x++) {
          const v = hu[y * size + x]!;
          if (v < 55 || v > 100) continue;
          let nearBone = false;
          for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (hu[(y + dy) * size + x + dx]! >= 300) nearBone = true;
          if (!nearBone) n++;
        }
      }
      return n;
    };
    for (const s of slices) {
      if (s.label === 1) expect(blood(s.image.hu)).toBeGreaterThan(40);
      else expect(blood(s.image.hu)).toBeLessThan(12);
    }
    expect(PHANTOM_DEFAULTS.kinds).toEqual(['intraparenchymal']);
  });

  it('maps lesionRadius to the lesion size: negatives stay the same, positives change', () => {
    const small = generatePhantoms({ count: 10, size: 48, seed: 2, lesionRadius: [0.04, 0.05], units: 'hu' });
    const large = generatePhantoms({ count: 10, size: 48, seed: 2, lesionRadius: [0.15, 0.2], units: 'hu' });
    // Blood is at least 25 HU above the brain; count pixels between +55 and +100 HU inside the head.
    const dense = (image: HuImage) => image.hu.filter((v) => v > 58 && v < 100).length;
    let grew = 0;
    small.forEach((s, i) => {
      const l = large[i]!;
      expect(l.label).toBe(s.label);
      if (s.label === 0) expect(l.image.hu).toEqual(s.image.hu);
      else if (dense(l.image) > dense(s.image)) grew++;
    });
    expect(grew).toBe(small.filter((s) => s.label === 1).length);
  });

  it.each([
    ['count', { count: 0 }],
    ['size', { size: 8 }],
    ['positiveFraction', { positiveFraction: 2 }],
    ['lesionRadius', { lesionRadius: [0.2, 0.1] as const }],
    ['units', { units: 'mm' }],
    ['window', { window: 'file' }],
    ['window', { window: 'lung' }],
    ['window', { window: { level: 40, width: 0 } }],
    ['kinds', { kinds: ['stroke'] }],
  ])('refuses a bad %s (%j) with BAD_INPUT naming the option', (option, options) => {
    expect(() => generatePhantoms(options as never)).toThrow(CtHemorrhageError);
    expect(() => generatePhantoms(options as never)).toThrow(expect.objectContaining({ code: 'BAD_INPUT', details: expect.objectContaining({ option }) }));
  });
});
