import { describe, expect, it } from 'vitest';
import { CtHemorrhageError } from '../errors/index.js';
import { stratifiedGroupKFold, stratifiedGroupSplit } from './index.js';
import type { SplitIndices } from './index.js';

type Groups = (string | undefined)[] | undefined;

/** `n` labels alternating 0/1, grouped four at a time per label (pure groups of two). */
function pairs(n: number) {
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const groups = Array.from({ length: n }, (_, i) => `g${Math.floor(i / 4)}-${i % 2}`);
  return { labels, groups };
}

/** `neg` normals then `pos` hemorrhages, no groups. */
function counts(neg: number, pos: number) {
  return { labels: [...Array<number>(neg).fill(0), ...Array<number>(pos).fill(1)], groups: undefined };
}

/** Groups of three with two samples of one label and one of the other (mixed-label groups). */
function mixed(nGroups: number) {
  const labels: number[] = [];
  const groups: string[] = [];
  for (let g = 0; g < nGroups; g++) {
    const major = g % 2;
    labels.push(major, major, 1 - major);
    groups.push(`m${g}`, `m${g}`, `m${g}`);
  }
  return { labels, groups };
}

/** Group sizes 5, 4, 3, 2, 1, 1, 1 for normals and 3, 2, 2, 1 x 8 for hemorrhages, some ungrouped. */
function uneven() {
  const labels: number[] = [];
  const groups: (string | undefined)[] = [];
  const add = (label: number, sizes: number[]) =>
    sizes.forEach((size, g) => {
      for (let j = 0; j < size; j++) {
        labels.push(label);
        groups.push(size === 1 && g % 2 === 0 ? undefined : `${label}-${g}`);
      }
    });
  add(0, [5, 4, 3, 2, 1, 1, 1]);
  add(1, [3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]);
  return { labels, groups };
}

const keyOf = (groups: Groups, i: number) => (groups?.[i] !== undefined ? `g:${groups[i]}` : `i:${i}`);
const labelCount = (idx: number[], labels: number[], cls: number) => idx.filter((i) => labels[i] === cls).length;

/** The checks every split must pass: sorted, disjoint, complete and grouped. */
function expectValid(split: SplitIndices, labels: number[], groups: Groups) {
  const { train, validation } = split;
  expect(train).toEqual([...train].sort((a, b) => a - b));
  expect(validation).toEqual([...validation].sort((a, b) => a - b));
  expect([...train, ...validation].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
  const trainGroups = new Set(train.map((i) => keyOf(groups, i)));
  expect(validation.filter((i) => trainGroups.has(keyOf(groups, i)))).toEqual([]);
}

describe('stratifiedGroupSplit', () => {
  it.each([
    { name: 'pure pairs, 0.25', data: pairs(80), fraction: 0.25, within: 1 },
    { name: 'pure pairs, 0.2', data: pairs(40), fraction: 0.2, within: 1 },
    { name: 'no groups, balanced', data: counts(20, 20), fraction: 0.25, within: 0 },
    { name: 'no groups, imbalanced 10/30', data: counts(10, 30), fraction: 0.2, within: 0 },
    { name: 'no groups, imbalanced 45/5', data: counts(45, 5), fraction: 0.3, within: 0.5 },
    { name: 'uneven group sizes', data: uneven(), fraction: 0.3, within: 1 },
    { name: 'mixed-label groups', data: mixed(20), fraction: 0.25, within: 1 },
  ])('$name: grouped, each label within $within of its share', ({ data, fraction, within }) => {
    const { labels, groups } = data;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const split = stratifiedGroupSplit(labels, fraction, seed, groups);
      expectValid(split, labels, groups);
      for (const cls of [0, 1]) {
        const ideal = labelCount(labels.map((_, i) => i), labels, cls) * fraction;
        expect(Math.abs(labelCount(split.validation, labels, cls) - ideal)).toBeLessThanOrEqual(within + 1e-9);
        expect(labelCount(split.train, labels, cls)).toBeGreaterThan(0);
      }
    }
  });

  it.each([
    { fraction: 0.01, side: 'validation' as const },
    { fraction: 0.99, side: 'train' as const },
  ])('a class with two or more groups gets a group on the $side side even at fraction $fraction', ({ fraction, side }) => {
    const { labels } = counts(10, 10);
    for (const seed of [1, 2, 3]) {
      const split = stratifiedGroupSplit(labels, fraction, seed);
      expect(labelCount(split[side], labels, 0)).toBeGreaterThanOrEqual(1);
      expect(labelCount(split[side], labels, 1)).toBeGreaterThanOrEqual(1);
    }
  });

  it('keeps a class with a single group whole, on the side nearer its share', () => {
    const labels = [0, 0, 0, 0, 0, ...Array<number>(10).fill(1)];
    const groups = ['n', 'n', 'n', 'n', 'n', ...Array<undefined>(10).fill(undefined)];
    const split = stratifiedGroupSplit(labels, 0.3, 4, groups);
    expectValid(split, labels, groups);
    expect(labelCount(split.train, labels, 0)).toBe(5);
    expect(labelCount(split.validation, labels, 1)).toBe(3);
  });

  it('is deterministic per seed and varies with the seed', () => {
    const { labels, groups } = pairs(40);
    expect(stratifiedGroupSplit(labels, 0.3, 9, groups)).toEqual(stratifiedGroupSplit(labels, 0.3, 9, groups));
    expect(stratifiedGroupSplit(labels, 0.3, 9, groups)).not.toEqual(stratifiedGroupSplit(labels, 0.3, 10, groups));
  });

  it('gives the output its TSDoc example shows', () => {
    const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    const groups = ['a', 'a', 'b', 'c', 'd', 'e', 'e', 'f', 'g', 'h'];
    expect(stratifiedGroupSplit(labels, 0.4, 3, groups)).toEqual({ train: [2, 3, 4, 7, 8, 9], validation: [0, 1, 5, 6] });
  });

  it.each([
    { name: 'fraction 1', labels: [0, 1], fraction: 1, groups: undefined, code: 'BAD_INPUT', option: 'validationSplit' },
    { name: 'fraction 0', labels: [0, 1], fraction: 0, groups: undefined, code: 'BAD_INPUT', option: 'validationSplit' },
    { name: 'fraction NaN', labels: [0, 1], fraction: Number.NaN, groups: undefined, code: 'BAD_INPUT', option: 'validationSplit' },
    { name: 'no labels', labels: [], fraction: 0.2, groups: undefined, code: 'EMPTY_DATASET', option: 'labels' },
    { name: 'label 2', labels: [0, 2, 1], fraction: 0.2, groups: undefined, code: 'BAD_INPUT', option: 'labels' },
    { name: 'label 0.5', labels: [0, 0.5], fraction: 0.2, groups: undefined, code: 'BAD_INPUT', option: 'labels' },
    { name: 'groups too short', labels: [0, 1, 1], fraction: 0.2, groups: ['a', 'b'], code: 'BAD_INPUT', option: 'groups' },
  ])('refuses $name with $code', ({ labels, fraction, groups, code, option }) => {
    const call = () => stratifiedGroupSplit(labels, fraction, 1, groups);
    expect(call).toThrow(CtHemorrhageError);
    expect(call).toThrow(expect.objectContaining({ code, details: expect.objectContaining({ option }) }));
  });
});

describe('stratifiedGroupKFold', () => {
  it.each([
    { name: 'no groups, 30/30', data: counts(30, 30), k: 5, within: 0 },
    { name: 'no groups, imbalanced 12/50', data: counts(12, 50), k: 5, within: 1 },
    { name: 'no groups, k = 2', data: counts(7, 9), k: 2, within: 0.5 },
    { name: 'pure pairs', data: pairs(80), k: 4, within: 1 },
    { name: 'uneven group sizes', data: uneven(), k: 3, within: 1 },
    // seven normal groups for seven folds: one each, so the group of 5 alone is 2.57 over 17 / 7
    { name: 'uneven group sizes, k = 7', data: uneven(), k: 7, within: 2.6 },
    { name: 'mixed-label groups', data: mixed(30), k: 5, within: 1 },
  ])('$name, k = $k: folds partition the indices, grouped, within $within of 1/k', ({ data, k, within }) => {
    const { labels, groups } = data;
    for (const seed of [1, 2, 3, 4, 5]) {
      const folds = stratifiedGroupKFold(labels, k, seed, groups);
      expect(folds).toHaveLength(k);
      const all = folds.flatMap((f) => f.validation).sort((a, b) => a - b);
      expect(all).toEqual(labels.map((_, i) => i));
      const foldOf = new Map<string, number>();
      folds.forEach((fold, f) => {
        expectValid(fold, labels, groups);
        for (const i of fold.validation) {
          expect(foldOf.get(keyOf(groups, i)) ?? f).toBe(f);
          foldOf.set(keyOf(groups, i), f);
        }
        for (const cls of [0, 1]) {
          const ideal = labelCount(all, labels, cls) / k;
          const n = labelCount(fold.validation, labels, cls);
          expect(n).toBeGreaterThan(0);
          expect(Math.abs(n - ideal)).toBeLessThanOrEqual(within + 1e-9);
        }
      });
    }
  });

  it('is deterministic per seed and varies with the seed', () => {
    const { labels, groups } = uneven();
    expect(stratifiedGroupKFold(labels, 3, 5, groups)).toEqual(stratifiedGroupKFold(labels, 3, 5, groups));
    const seen = new Set([1, 2, 3, 4, 5].map((s) => JSON.stringify(stratifiedGroupKFold(labels, 3, s, groups))));
    expect(seen.size).toBeGreaterThan(1);
  });

  it('gives the output its TSDoc example shows', () => {
    const labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    const groups = ['a', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'];
    const folds = stratifiedGroupKFold(labels, 3, 1, groups);
    expect(folds.map((f) => f.validation)).toEqual([
      [3, 5, 8, 10],
      [0, 1, 9, 11],
      [2, 4, 6, 7],
    ]);
    expect(folds[0]?.train).toEqual([0, 1, 2, 4, 6, 7, 9, 11]);
  });

  it('accepts a dataset of one class', () => {
    const folds = stratifiedGroupKFold([1, 1, 1, 1], 2, 1);
    expect(folds.map((f) => f.validation.length)).toEqual([2, 2]);
  });

  it.each([
    { name: 'k = 1', labels: [0, 1, 0, 1], k: 1, groups: undefined, code: 'BAD_INPUT', message: /integer >= 2/ },
    { name: 'k = 2.5', labels: [0, 1, 0, 1], k: 2.5, groups: undefined, code: 'BAD_INPUT', message: /integer >= 2/ },
    { name: 'k = NaN', labels: [0, 1, 0, 1], k: Number.NaN, groups: undefined, code: 'BAD_INPUT', message: /integer >= 2/ },
    { name: 'no labels', labels: [], k: 2, groups: undefined, code: 'EMPTY_DATASET', message: /no labels/ },
    { name: 'label -1', labels: [0, -1, 1], k: 2, groups: undefined, code: 'BAD_INPUT', message: /index 1 is -1/ },
    { name: 'groups too long', labels: [0, 1], k: 2, groups: ['a', 'b', 'c'], code: 'BAD_INPUT', message: /3 groups for 2 labels/ },
    {
      name: 'more folds than hemorrhage groups',
      labels: [0, 0, 0, 0, 1, 1, 1, 1],
      k: 3,
      groups: [undefined, undefined, undefined, undefined, 'p', 'p', 'q', 'q'],
      code: 'BAD_INPUT',
      message: /Class 1 \(hemorrhage\) has 2 groups, too few for 3 folds.*use k <= 2/,
    },
    {
      // the tied group m (one normal, one hemorrhage) counts as hemorrhage, so normals have one group
      name: 'a normal class of one group (ties go to hemorrhage)',
      labels: [0, 1, 0, 1, 1],
      k: 2,
      groups: ['m', 'm', 'x', 'y', 'z'],
      code: 'BAD_INPUT',
      message: /Class 0 \(normal\) has 1 group, too few for 2 folds/,
    },
  ])('refuses $name with $code', ({ labels, k, groups, code, message }) => {
    const call = () => stratifiedGroupKFold(labels, k, 1, groups);
    expect(call).toThrow(CtHemorrhageError);
    expect(call).toThrow(message);
    expect(call).toThrow(expect.objectContaining({ code }));
  });
});
