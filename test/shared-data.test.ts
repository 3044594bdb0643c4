// Reads the real Kaggle head CT slices from the shared data folder (../shared/data/head_ct).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadImageFolder, stratifiedGroupSplit } from '../src/node.js';
import { requireSharedData, useCpu } from './helpers.js';

beforeAll(useCpu);

describe('shared data: head_ct (real Kaggle slices)', () => {
  it('loads 160 labelled slices with their groups, and a grouped split keeps scans apart', async () => {
    const dir = requireSharedData('head_ct');
    const { samples, skipped, layout } = await loadImageFolder(dir);
    expect(layout).toBe('labels-csv');
    expect(skipped).toEqual([]);
    expect(samples).toHaveLength(160);
    expect(samples.filter((s) => s.label === 1)).toHaveLength(80);
    expect(new Set(samples.map((s) => s.group)).size).toBe(111);
    const { train, validation } = stratifiedGroupSplit(
      samples.map((s) => s.label),
      0.2,
      42,
      samples.map((s) => s.group),
    );
    const trainGroups = new Set(train.map((i) => samples[i]!.group));
    expect(validation.filter((i) => trainGroups.has(samples[i]!.group))).toEqual([]);
    const valPos = validation.filter((i) => samples[i]!.label === 1).length;
    expect(valPos).toBeGreaterThanOrEqual(14);
    expect(validation.length - valPos).toBeGreaterThanOrEqual(14);
  }, 120_000);
});
