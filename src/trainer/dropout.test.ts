import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers.js';
import { buildLargerCnn } from '../models/index.js';
import { dropoutMasks, dropoutSites } from './dropout.js';

beforeAll(useCpu);

describe('dropout masks', () => {
  const sites = [{ name: 'd', rate: 0.4, features: 64 }];

  it('depend on the sample, not on the batch it sits in', () => {
    const whole = dropoutMasks(sites, [3, 7, 11], 2, 9)[0]!;
    const parts = [[3], [7, 11]].map((s) => dropoutMasks(sites, s, 2, 9)[0]!);
    expect(Array.from(whole)).toEqual([...parts[0]!, ...parts[1]!]);
  });

  it('differ between epochs, samples and seeds', () => {
    const a = Array.from(dropoutMasks(sites, [1], 0, 1)[0]!);
    expect(Array.from(dropoutMasks(sites, [1], 1, 1)[0]!)).not.toEqual(a);
    expect(Array.from(dropoutMasks(sites, [2], 0, 1)[0]!)).not.toEqual(a);
    expect(Array.from(dropoutMasks(sites, [1], 0, 2)[0]!)).not.toEqual(a);
  });

  it('drop about `rate` of the features and scale the rest by 1 / (1 - rate)', () => {
    const mask = dropoutMasks(sites, Array.from({ length: 200 }, (_, i) => i), 0, 5)[0]!;
    const kept = mask.filter((v) => v > 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.6)]));
    expect(1 - kept.length / mask.length).toBeGreaterThan(0.37);
    expect(1 - kept.length / mask.length).toBeLessThan(0.43);
  });

  it('finds the dropout layer of the seed CNNs', () => {
    const model = buildLargerCnn({ inputSize: 32 });
    expect(dropoutSites(model)).toEqual([{ name: 'dropout', rate: 0.4, features: 32 }]);
    model.dispose();
  });
});
