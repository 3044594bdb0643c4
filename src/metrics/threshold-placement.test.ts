import { describe, expect, it } from 'vitest';
import { CtHemorrhageError } from '../errors/index.js';
import { createRng } from '../random/index.js';
import { binaryMetrics, selectThreshold, type ThresholdOptions } from './index.js';

const calls = (scores: number[], threshold: number) => scores.map((s) => (s >= threshold ? 1 : 0));
const logit = (p: number) => Math.log(p / (1 - p));

describe("selectThreshold placement: 'midway'", () => {
  it('puts the threshold midway in log-odds between the scores either side of the cut', () => {
    const labels = [0, 0, 1, 1, 0, 1];
    const scores = [0.1, 0.4, 0.35, 0.8, 0.6, 0.9];
    const at = selectThreshold(labels, scores, { method: 'youden' });
    const mid = selectThreshold(labels, scores, { method: 'youden', placement: 'midway' });
    expect(at.threshold).toBe(0.8);
    expect(logit(mid.threshold)).toBeCloseTo((logit(0.8) + logit(0.6)) / 2, 12);
    expect(mid.sensitivity).toBe(at.sensitivity);
    expect(mid.specificity).toBe(at.specificity);
  });

  it('a confident model separated at 0.99 / 0.01 gets 0.5, not 0.99', () => {
    const labels = [1, 1, 1, 0, 0, 0];
    const scores = [0.999, 0.995, 0.99, 0.01, 0.004, 0.001];
    expect(selectThreshold(labels, scores, { method: 'youden' }).threshold).toBe(0.99);
    expect(selectThreshold(labels, scores, { method: 'youden', placement: 'midway' }).threshold).toBeCloseTo(0.5, 12);
  });

  it('goes arithmetic when scores are not probabilities inside (0, 1)', () => {
    const labels = [1, 1, 0, 0];
    expect(selectThreshold(labels, [3, 2, -1, -4], { method: 'youden', placement: 'midway' }).threshold).toBe(0.5);
    expect(selectThreshold(labels, [1, 1, 0, 0], { method: 'youden', placement: 'midway' }).threshold).toBe(0.5);
  });

  it('keeps the lowest score when the cut is below every score', () => {
    // Sensitivity 1 needs every image called positive: nothing lies below the lowest score.
    const labels = [0, 1, 0, 1];
    const scores = [0.9, 0.2, 0.5, 0.7];
    expect(selectThreshold(labels, scores, { method: 'sensitivity', target: 1, placement: 'midway' }).threshold).toBe(0.2);
  });

  it('keeps the calls exact for scores one rounding step apart', () => {
    const upper = 0.3;
    const lower = 0.3 - 2 ** -54; // the next double below 0.3
    const t = selectThreshold([1, 0], [upper, lower], { method: 'youden', placement: 'midway' }).threshold;
    expect(t).toBeGreaterThan(lower);
    expect(t).toBeLessThanOrEqual(upper);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('random data %i: same calls on the data as the score itself, strictly inside the gap', (seed) => {
    const rng = createRng(seed);
    const n = 10 + Math.floor(rng() * 40);
    const labels = Array.from({ length: n }, (_, i) => (i < 2 ? i : rng() < 0.5 ? 1 : 0));
    // Rounded scores: ties happen; some exactly 0 or 1 (sigmoid saturation).
    const scores = labels.map((y) => Math.min(1, Math.max(0, Math.round((rng() * 0.8 + y * 0.3) * 40) / 40)));
    const options: ThresholdOptions[] = [
      { method: 'youden' },
      { method: 'sensitivity', target: 0.9 },
      { method: 'sensitivity', target: 0.5 },
    ];
    for (const o of options) {
      const at = selectThreshold(labels, scores, o);
      const mid = selectThreshold(labels, scores, { ...o, placement: 'midway' });
      expect(calls(scores, mid.threshold)).toEqual(calls(scores, at.threshold));
      expect([mid.sensitivity, mid.specificity]).toEqual([at.sensitivity, at.specificity]);
      const below = scores.filter((s) => s < at.threshold);
      if (below.length > 0) {
        expect(mid.threshold).toBeLessThan(at.threshold);
        expect(mid.threshold).toBeGreaterThan(Math.max(...below));
      } else {
        expect(mid.threshold).toBe(at.threshold);
      }
      const m = binaryMetrics(labels, scores, mid.threshold);
      expect(m.sensitivity).toBe(mid.sensitivity);
    }
  });

  it('refuses an unknown placement with BAD_INPUT', () => {
    const bad = { method: 'youden', placement: 'middle' } as unknown as ThresholdOptions;
    expect(() => selectThreshold([0, 1], [0.2, 0.8], bad)).toThrow(CtHemorrhageError);
    expect(() => selectThreshold([0, 1], [0.2, 0.8], bad)).toThrow(/placement is 'score' or 'midway'/);
  });
});
