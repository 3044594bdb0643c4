import { describe, expect, it } from 'vitest';
import { CtHemorrhageError } from '../errors/index.js';
import { createRng } from '../random/index.js';
import { selectThreshold, type ThresholdOptions } from './index.js';

const balancedAccuracy = (labels: number[], scores: number[], threshold: number) => {
  const p = labels.filter((y) => y === 1).length;
  const tp = labels.filter((y, i) => y === 1 && (scores[i] as number) >= threshold).length;
  const tn = labels.filter((y, i) => y === 0 && (scores[i] as number) < threshold).length;
  return { sensitivity: tp / p, specificity: tn / (labels.length - p), balanced: (tp / p + tn / (labels.length - p)) / 2 };
};

/** Every distinct cut of the data: the calls of any threshold in (lower, upper]. */
const cuts = (scores: number[]) => {
  const distinct = [...new Set(scores)].sort((a, b) => b - a);
  return distinct.map((upper, k) => ({ upper, lower: distinct[k + 1] ?? Number.NEGATIVE_INFINITY }));
};

describe("selectThreshold { method: 'youden-1se' }", () => {
  // 10 positives, 10 negatives. At 0.5: 8 of 10 each side (balanced accuracy 0.80). Youden's
  // best cut is at 0.9 (positives 0.95-0.91 and the nine negatives below it: 0.85 balanced).
  const labels = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const scores = [0.99, 0.98, 0.97, 0.96, 0.95, 0.94, 0.93, 0.6, 0.3, 0.2, 0.92, 0.48, 0.65, 0.45, 0.4, 0.35, 0.3, 0.2, 0.1, 0.05];

  it('keeps 0.5 when its cut is within one standard error of the best, where Youden moves far', () => {
    const youden = selectThreshold(labels, scores, { method: 'youden', placement: 'midway' });
    expect(youden.threshold).toBeGreaterThan(0.9);
    const best = balancedAccuracy(labels, scores, youden.threshold);
    const se = 0.5 * Math.sqrt((best.sensitivity * (1 - best.sensitivity)) / 10 + (best.specificity * (1 - best.specificity)) / 10);
    expect(balancedAccuracy(labels, scores, 0.5).balanced).toBeGreaterThanOrEqual(best.balanced - se);
    const rule = selectThreshold(labels, scores, { method: 'youden-1se' });
    expect(rule.threshold).toBe(0.5);
    const at = balancedAccuracy(labels, scores, 0.5);
    expect(rule).toEqual({ threshold: 0.5, sensitivity: at.sensitivity, specificity: at.specificity });
  });

  it('follows scores that are really shifted: no cut near 0.5 comes close', () => {
    // Every score above 0.9, separated at 0.95: the 0.5 cut calls everything positive (0.5 balanced).
    const shifted = [0.99, 0.985, 0.98, 0.97, 0.96, 0.94, 0.93, 0.92, 0.915, 0.91];
    const y = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    const rule = selectThreshold(y, shifted, { method: 'youden-1se', placement: 'midway' });
    expect(rule).toEqual(selectThreshold(y, shifted, { method: 'youden', placement: 'midway' }));
    expect(rule.threshold).toBeGreaterThan(0.94);
    expect(rule.threshold).toBeLessThan(0.96);
  });

  it('honours placement when 0.5 lies outside the chosen cut, and a prior other than 0.5', () => {
    const y = [1, 1, 0, 0];
    const s = [0.9, 0.8, 0.7, 0.6];
    // Perfect separation: the standard error is 0, so only the 0.8 cut qualifies.
    expect(selectThreshold(y, s, { method: 'youden-1se' })).toEqual({ threshold: 0.8, sensitivity: 1, specificity: 1 });
    expect(selectThreshold(y, s, { method: 'youden-1se', placement: 'midway' }).threshold).toBeCloseTo(
      selectThreshold(y, s, { method: 'youden', placement: 'midway' }).threshold,
      12,
    );
    expect(selectThreshold(y, s, { method: 'youden-1se', prior: 0.75 }).threshold).toBe(0.75);
    // With prior 0.3 the cuts around 0.3 fall short (0.60 balanced): the nearest qualifying one is
    // the cut 0.5 gives, at its score 0.6.
    const low = selectThreshold(labels, scores, { method: 'youden-1se', prior: 0.3 });
    expect(low).toEqual({ threshold: 0.6, sensitivity: 0.8, specificity: 0.8 });
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('random data %i: within one standard error of the best, and no qualifying cut nearer the prior', (seed) => {
    const rng = createRng(seed);
    const n = 12 + Math.floor(rng() * 40);
    const y = Array.from({ length: n }, (_, i) => (i < 2 ? i : rng() < 0.5 ? 1 : 0));
    const s = y.map((v) => Math.min(1, Math.max(0, Math.round((rng() * 0.8 + v * 0.3 + 0.1 * rng()) * 40) / 40)));
    const prior = [0.5, 0.3, 0.7][seed % 3] as number;
    for (const placement of ['score', 'midway'] as const) {
      const rule = selectThreshold(y, s, { method: 'youden-1se', prior, placement });
      const youden = selectThreshold(y, s, { method: 'youden' });
      const best = balancedAccuracy(y, s, youden.threshold);
      const p = y.filter((v) => v === 1).length;
      const se = 0.5 * Math.sqrt((best.sensitivity * (1 - best.sensitivity)) / p + (best.specificity * (1 - best.specificity)) / (n - p));
      const got = balancedAccuracy(y, s, rule.threshold);
      expect(got.sensitivity).toBe(rule.sensitivity);
      expect(got.specificity).toBe(rule.specificity);
      expect(got.balanced).toBeGreaterThanOrEqual(best.balanced - se - 1e-12);
      const inside = (c: { upper: number; lower: number }) => prior > c.lower && prior <= c.upper;
      const distance = (c: { upper: number; lower: number }) => (inside(c) ? 0 : prior > c.upper ? prior - c.upper : c.lower - prior);
      const qualifying = cuts(s).filter((c) => balancedAccuracy(y, s, c.upper).balanced >= best.balanced - se - 1e-12);
      const nearest = Math.min(...qualifying.map(distance));
      const mine = cuts(s).find((c) => rule.threshold > c.lower && rule.threshold <= c.upper);
      expect(mine).toBeDefined();
      expect(distance(mine as { upper: number; lower: number })).toBe(nearest);
      // The prior itself wherever its own cut qualifies.
      expect(rule.threshold === prior).toBe(qualifying.some(inside));
    }
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, '0.5'])('refuses prior %s with a BAD_INPUT error naming it', (prior) => {
    let error: unknown;
    try {
      selectThreshold([0, 1], [0.2, 0.8], { method: 'youden-1se', prior } as unknown as ThresholdOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CtHemorrhageError);
    expect((error as CtHemorrhageError).code).toBe('BAD_INPUT');
    expect((error as CtHemorrhageError).message).toContain('prior');
  });
});
