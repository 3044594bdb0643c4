import { describe, expect, it } from 'vitest';
import { CtHemorrhageError } from '../errors/index.js';
import { stratifiedGroupSplit } from './index.js';

function fixture(n: number) {
  const labels = Array.from({ length: n }, (_, i) => (i % 2));
  const groups = Array.from({ length: n }, (_, i) => `g${Math.floor(i / 4)}-${i % 2}`);
  return { labels, groups };
}

describe('stratifiedGroupSplit', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: no group on both sides, classes on both sides', (seed) => {
    const { labels, groups } = fixture(80);
    const { train, validation } = stratifiedGroupSplit(labels, 0.25, seed, groups);
    expect(train.length + validation.length).toBe(80);
    const trainGroups = new Set(train.map((i) => groups[i]));
    expect(validation.some((i) => trainGroups.has(groups[i]))).toBe(false);
    for (const cls of [0, 1]) {
      expect(validation.some((i) => labels[i] === cls)).toBe(true);
      expect(train.some((i) => labels[i] === cls)).toBe(true);
    }
    expect(validation.length).toBeGreaterThanOrEqual(16);
    expect(validation.length).toBeLessThanOrEqual(24);
  });

  it('is deterministic per seed', () => {
    const { labels, groups } = fixture(40);
    expect(stratifiedGroupSplit(labels, 0.3, 9, groups)).toEqual(stratifiedGroupSplit(labels, 0.3, 9, groups));
    expect(stratifiedGroupSplit(labels, 0.3, 9, groups)).not.toEqual(stratifiedGroupSplit(labels, 0.3, 10, groups));
  });

  it('without groups splits samples one by one, stratified', () => {
    const labels = [...Array(10).fill(0), ...Array(30).fill(1)];
    const { validation } = stratifiedGroupSplit(labels, 0.2, 1);
    expect(validation.filter((i) => labels[i] === 0)).toHaveLength(2);
    expect(validation.filter((i) => labels[i] === 1)).toHaveLength(6);
  });

  it('refuses a fraction outside (0, 1)', () => {
    expect(() => stratifiedGroupSplit([0, 1], 1, 1)).toThrow(CtHemorrhageError);
  });
});
