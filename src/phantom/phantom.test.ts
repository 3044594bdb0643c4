import { describe, expect, it } from 'vitest';
import { CtHemorrhageError } from '../errors/index.js';
import { generatePhantoms } from './index.js';

describe('generatePhantoms', () => {
  it('is seeded: the same seed gives the same slices, another seed others', () => {
    const a = generatePhantoms({ count: 6, size: 24, seed: 3 });
    const b = generatePhantoms({ count: 6, size: 24, seed: 3 });
    const c = generatePhantoms({ count: 6, size: 24, seed: 4 });
    expect(b).toEqual(a);
    expect(c.map((s) => Array.from(s.image.data))).not.toEqual(a.map((s) => Array.from(s.image.data)));
  });

  it('balances the classes as asked and gives one-channel images of the asked size', () => {
    const slices = generatePhantoms({ count: 20, size: 32, positiveFraction: 0.25 });
    expect(slices.filter((s) => s.label === 1)).toHaveLength(5);
    for (const s of slices) expect(s.image).toMatchObject({ width: 32, height: 32, channels: 1 });
    expect(new Set(slices.map((s) => s.id)).size).toBe(20);
  });

  it('draws a lesion brighter than brain in positives only', () => {
    // Brain renders at about 90 of 255, lesions at 150-200, skull at about 250.
    const lesionPixels = (data: ArrayLike<number>) => Array.from(data).filter((v) => v >= 130 && v <= 215).length;
    const slices = generatePhantoms({ count: 20, size: 64, seed: 2, lesionRadius: [0.1, 0.12] });
    for (const s of slices) {
      if (s.label === 1) expect(lesionPixels(s.image.data as Uint8Array)).toBeGreaterThan(40);
      else expect(lesionPixels(s.image.data as Uint8Array)).toBeLessThan(40);
    }
  });

  it.each([
    [{ count: 0 }],
    [{ size: 8 }],
    [{ positiveFraction: 2 }],
    [{ lesionRadius: [0.2, 0.1] as const }],
  ])('refuses %j', (options) => {
    expect(() => generatePhantoms(options)).toThrow(CtHemorrhageError);
  });
});
