// Property tests of the seeded, stratified, grouped split and k-fold: on the real head CT labels
// and groups from the shared data folder (../shared/data/head_ct), and on random synthetic data.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { idKey, parseCsv } from '../src/data/csv.js';
import { stratifiedGroupKFold, stratifiedGroupSplit } from '../src/data/index.js';
import type { SplitIndices } from '../src/data/index.js';
import { CtHemorrhageError } from '../src/errors/index.js';
import { createRng, mixSeed } from '../src/random/index.js';
import { requireSharedData } from './helpers.js';

interface Dataset {
  readonly labels: number[];
  readonly groups: (string | undefined)[];
}

/** The group key of sample `i`: its group, or the sample itself when it has none. */
const keyOf = (data: Dataset, i: number) => (data.groups[i] !== undefined ? `g:${data.groups[i]}` : `i:${i}`);
const labelCount = (idx: readonly number[], data: Dataset, cls: number) => idx.filter((i) => data.labels[i] === cls).length;
const allIndices = (data: Dataset) => data.labels.map((_, i) => i);

/** (a) and (b) for a split: sides partition the indices, no group on both sides. */
function expectGroupedSplit(split: SplitIndices, data: Dataset) {
  expect([...split.train, ...split.validation].sort((a, b) => a - b)).toEqual(allIndices(data));
  const trainGroups = new Set(split.train.map((i) => keyOf(data, i)));
  expect(split.validation.filter((i) => trainGroups.has(keyOf(data, i)))).toEqual([]);
}

/** (a) and (b) for k folds: validations partition the indices, each group in one fold, train = the rest. */
function expectGroupedFolds(folds: SplitIndices[], data: Dataset, k: number) {
  expect(folds).toHaveLength(k);
  expect(folds.flatMap((f) => f.validation).sort((a, b) => a - b)).toEqual(allIndices(data));
  const foldOf = new Map<string, number>();
  const split: string[] = [];
  folds.forEach((fold, f) => {
    expect(fold.train.length + fold.validation.length).toBe(data.labels.length);
    for (const i of fold.validation) {
      const key = keyOf(data, i);
      if ((foldOf.get(key) ?? f) !== f) split.push(key);
      foldOf.set(key, f);
    }
  });
  expect(split).toEqual([]); // no group in two folds
}

/** Sizes of the groups whose class (majority label, ties to 1) is `cls`. */
function groupSizes(data: Dataset, cls: number): Map<string, number> {
  const members = new Map<string, number[]>();
  data.labels.forEach((_, i) => members.set(keyOf(data, i), [...(members.get(keyOf(data, i)) ?? []), i]));
  const out = new Map<string, number>();
  for (const [key, idx] of members) {
    const pos = labelCount(idx, data, 1);
    if ((pos * 2 >= idx.length ? 1 : 0) === cls) out.set(key, idx.length);
  }
  return out;
}

describe('splits on real shared data: head_ct labels.csv and groups.csv (160 slices, 111 groups)', () => {
  let data: Dataset;
  beforeAll(() => {
    const dir = requireSharedData('head_ct');
    const labelRows = parseCsv(readFileSync(`${dir}/labels.csv`, 'utf8'));
    const groupRows = parseCsv(readFileSync(`${dir}/groups.csv`, 'utf8'));
    expect(labelRows[0]).toEqual(['id', 'hemorrhage']);
    expect(groupRows[0]).toEqual(['id', 'group']);
    const groupOf = new Map(groupRows.slice(1).map(([id, group]) => [idKey(id ?? ''), group]));
    const rows = labelRows.slice(1);
    data = { labels: rows.map((r) => Number(r[1])), groups: rows.map((r) => groupOf.get(idKey(r[0] ?? ''))) };
  });

  it('holds 160 labelled slices, 80 of each class, in 111 label-pure groups', () => {
    expect(data.labels).toHaveLength(160);
    expect(data.groups.every((g) => g !== undefined)).toBe(true);
    expect(labelCount(allIndices(data), data, 1)).toBe(80);
    expect(new Set(data.groups).size).toBe(111);
    expect(groupSizes(data, 0).size + groupSizes(data, 1).size).toBe(111);
    expect(Math.max(...groupSizes(data, 0).values())).toBe(16);
  });

  it.each([0.2, 0.25])('split at %f over 200 seeds: grouped, each class within one slice of its share', (fraction) => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const split = stratifiedGroupSplit(data.labels, fraction, seed, data.groups);
      expectGroupedSplit(split, data);
      for (const cls of [0, 1]) {
        expect(Math.abs(labelCount(split.validation, data, cls) - 80 * fraction)).toBeLessThanOrEqual(1);
      }
      seen.add(split.validation.join(','));
    }
    expect(seen.size).toBeGreaterThan(150); // (d) seeds give different splits
  });

  it.each([3, 5, 10])('%i-fold over 100 seeds: partition, grouped, each class within one slice of its share where possible', (k) => {
    // Where a group alone exceeds a fold's share by more than one (k = 10: the normal groups of
    // 16 and 11 against 8), no assignment is within one; such a group must then fill its fold
    // alone, and the other folds must be within one of the share of what is left.
    const bounds = [0, 1].map((cls) => {
      const sizes = [...groupSizes(data, cls).values()].sort((a, b) => b - a);
      let rest = sizes.reduce((a, b) => a + b, 0);
      let folds = k;
      const oversized = new Set<number>();
      for (const size of sizes) {
        if (size <= rest / folds + 1) break;
        oversized.add(size);
        rest -= size;
        folds--;
      }
      return { ideal: rest / folds, oversized };
    });
    if (k !== 10) expect(bounds.every((b) => b.oversized.size === 0)).toBe(true);
    const sizeOf = [groupSizes(data, 0), groupSizes(data, 1)];
    const seen = new Set<string>();
    for (let seed = 0; seed < 100; seed++) {
      const folds = stratifiedGroupKFold(data.labels, k, seed, data.groups);
      expectGroupedFolds(folds, data, k);
      for (const fold of folds) {
        for (const cls of [0, 1]) {
          const { ideal, oversized } = bounds[cls]!;
          const n = labelCount(fold.validation, data, cls);
          const keys = new Set(fold.validation.filter((i) => data.labels[i] === cls).map((i) => keyOf(data, i)));
          const big = [...keys].map((key) => sizeOf[cls]!.get(key) ?? 0).find((s) => oversized.has(s));
          if (big !== undefined) expect(n).toBe(big);
          else expect(Math.abs(n - ideal)).toBeLessThanOrEqual(1);
        }
      }
      seen.add(folds.map((f) => f.validation.join(',')).join('|'));
    }
    expect(seen.size).toBeGreaterThan(75); // (d) seeds give different folds
  });
});

/** A random dataset: per class, a random number of groups of random sizes, some mixed-label. */
function synthetic(trial: number): Dataset & { allSingletons: boolean } {
  const rng = createRng(mixSeed(trial, 7));
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const allSingletons = rng() < 0.35;
  const labels: number[] = [];
  const groups: (string | undefined)[] = [];
  for (const cls of [0, 1]) {
    const nGroups = int(1, 30);
    for (let g = 0; g < nGroups; g++) {
      const size = allSingletons ? 1 : rng() < 0.5 ? 1 : int(1, rng() < 0.2 ? 15 : 5);
      const mixed = !allSingletons && size > 1 && rng() < 0.2;
      for (let j = 0; j < size; j++) {
        labels.push(mixed && j === 0 ? 1 - cls : cls);
        groups.push(size === 1 && rng() < 0.5 ? undefined : `c${cls}g${g}`);
      }
    }
  }
  return { labels, groups, allSingletons };
}

describe('splits on random synthetic datasets (seeded generator)', () => {
  it('split and k-fold over 400 datasets: always grouped partitions; within one when groups are single samples', () => {
    let singletonRuns = 0;
    let refused = 0;
    for (let trial = 0; trial < 400; trial++) {
      const data = synthetic(trial);
      const totals = [0, 1].map((cls) => labelCount(allIndices(data), data, cls));
      const fraction = 0.1 + 0.4 * createRng(trial)();
      const split = stratifiedGroupSplit(data.labels, fraction, trial, data.groups);
      expectGroupedSplit(split, data);
      const k = 2 + (trial % 5);
      const classGroups = [0, 1].map((cls) => groupSizes(data, cls).size);
      let folds: SplitIndices[] | undefined;
      try {
        folds = stratifiedGroupKFold(data.labels, k, trial, data.groups);
      } catch (error) {
        expect(error).toBeInstanceOf(CtHemorrhageError);
        expect((error as CtHemorrhageError).code).toBe('BAD_INPUT');
        expect(classGroups.some((n) => n > 0 && n < k)).toBe(true);
        refused++;
      }
      if (folds !== undefined) {
        expect(classGroups.every((n) => n === 0 || n >= k)).toBe(true);
        expectGroupedFolds(folds, data, k);
      }
      if (data.allSingletons) {
        singletonRuns++;
        for (const cls of [0, 1]) {
          expect(Math.abs(labelCount(split.validation, data, cls) - totals[cls]! * fraction)).toBeLessThanOrEqual(1);
          for (const fold of folds ?? []) {
            expect(Math.abs(labelCount(fold.validation, data, cls) - totals[cls]! / k)).toBeLessThanOrEqual(1);
          }
        }
      }
    }
    expect(singletonRuns).toBeGreaterThan(80);
    expect(refused).toBeLessThan(200);
  });
});
