import { describe, expect, it } from 'vitest';
import { createRng } from '../random/index.js';
import { binaryMetrics, delongInterval, wilsonInterval } from './index.js';

describe('wilsonInterval', () => {
  // Reference values: Newcombe (1998), Table I, method 3 (Wilson score without continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i -> [%f, %f]', (k, n, lo, hi) => {
    const [a, b] = wilsonInterval(k, n);
    expect(a).toBeCloseTo(lo, 4);
    expect(b).toBeCloseTo(hi, 4);
  });

  it('is NaN without observations', () => {
    expect(wilsonInterval(0, 0)).toEqual([Number.NaN, Number.NaN]);
  });
});

/** DeLong's variance from its pairwise definition (an independent, quadratic implementation). */
function bruteForceDelong(labels: number[], scores: number[]) {
  const x = scores.filter((_, i) => labels[i] === 1);
  const y = scores.filter((_, i) => labels[i] === 0);
  const psi = (a: number, b: number) => (a > b ? 1 : a === b ? 0.5 : 0);
  const v10 = x.map((xi) => y.reduce((s, yj) => s + psi(xi, yj), 0) / y.length);
  const v01 = y.map((yj) => x.reduce((s, xi) => s + psi(xi, yj), 0) / x.length);
  const auc = v10.reduce((a, b) => a + b, 0) / x.length;
  const variance = (v: number[]) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return v.reduce((s, e) => s + (e - mean) ** 2, 0) / (v.length - 1);
  };
  return { auc, variance: variance(v10) / x.length + variance(v01) / y.length };
}

describe('delongInterval', () => {
  it('works the hand example: AUC 0.75, variance 0.125', () => {
    const r = delongInterval([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(r.auc).toBeCloseTo(0.75, 12);
    expect(r.variance).toBeCloseTo(0.125, 12);
    expect(r.interval[0]).toBeCloseTo(0.75 - 1.959963984540054 * Math.sqrt(0.125), 10);
    expect(r.interval[1]).toBe(1);
  });

  it.each([1, 2, 3, 4, 5])('matches the pairwise definition on random scores with ties (seed %i)', (seed) => {
    const rng = createRng(seed);
    const labels = Array.from({ length: 60 }, () => (rng() < 0.4 ? 1 : 0));
    const scores = labels.map((l) => Math.round((rng() + 0.3 * l) * 20) / 20); // coarse: many ties
    const fast = delongInterval(labels, scores);
    const slow = bruteForceDelong(labels, scores);
    expect(fast.auc).toBeCloseTo(slow.auc, 12);
    expect(fast.variance).toBeCloseTo(slow.variance, 12);
  });

  it('binaryMetrics carries the intervals', () => {
    const m = binaryMetrics([0, 0, 1, 1, 1], [0.1, 0.5, 0.5, 0.9, 0.2], 0.5);
    expect(m.intervals.accuracy).toEqual(wilsonInterval(3, 5));
    expect(m.intervals.sensitivity).toEqual(wilsonInterval(2, 3));
    expect(m.intervals.specificity).toEqual(wilsonInterval(1, 2));
    expect(m.intervals.rocAuc).toEqual(delongInterval([0, 0, 1, 1, 1], [0.1, 0.5, 0.5, 0.9, 0.2]).interval);
  });
});
