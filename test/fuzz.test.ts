// Reads shared data: mutates real PNG, JPEG and DICOM files from ../shared/data (head_ct/, dicom/).
// The short, seeded version of `npm run fuzz`: every decoder must decode or throw a
// CtHemorrhageError, within 1 s, on every case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCampaign } from '../scripts/fuzz/campaign.js';
import { loadCorpus } from '../scripts/fuzz/corpus.js';
import type { Seed, SeedKind } from '../scripts/fuzz/mutate.js';
import { FuzzPool } from '../scripts/fuzz/pool.js';
import { TARGETS } from '../scripts/fuzz/targets.js';
import { SHARED_DATA, requireSharedData } from './helpers.js';

const CASES: Record<string, number> = {
  'decodeImage:png': 150,
  'decodeImage:jpeg': 150,
  decodeSlice: 150,
  readDicom: 150,
  loadImageFolder: 30,
};

describe('fuzzing the decoders with mutated real files (reads shared data)', () => {
  let corpus: Record<SeedKind, Seed[]>;
  let pool: FuzzPool;

  beforeAll(async () => {
    requireSharedData('head_ct');
    requireSharedData('dicom');
    corpus = await loadCorpus(SHARED_DATA);
    pool = new FuzzPool(2, 1000);
  });

  afterAll(async () => {
    await pool?.close();
  });

  it.each(Object.entries(CASES))('%s: %i seeded cases, no crash and no hang', async (name, cases) => {
    const stats = await runCampaign(TARGETS[name]!, corpus, { cases, seed: 7, pool });
    const failures = stats.failures.map((f) => `case ${f.caseIndex} (${f.provenance.join(' | ')}): ${JSON.stringify(f.outcome)}`);
    expect(failures).toEqual([]);
    expect(stats.cases).toBe(cases);
    expect(stats.decoded + Object.values(stats.errors).reduce((a, b) => a + b, 0)).toBe(cases);
  });
});
