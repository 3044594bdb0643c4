import { describe, expect, it } from 'vitest';
import { binaryCrossEntropy, binaryMetrics, rocAuc } from './index.js';

describe('rocAuc', () => {
  // Expected values worked out by hand from the pairwise definition:
  // AUC = P(score_pos > score_neg) + 0.5 P(score_pos = score_neg).
  it.each([
    [[0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.75],
    [[0, 1], [0.2, 0.9], 1],
    [[0, 1], [0.9, 0.2], 0],
    [[0, 0, 1, 1], [0.5, 0.5, 0.5, 0.5], 0.5],
    // pos {0.3, 0.7, 0.2} vs neg {0.3, 0.1}: 0.5 + 1 + 1 + 1 + 0 + 1 = 4.5 of 6 pairs
    [[0, 1, 0, 1, 1], [0.3, 0.3, 0.1, 0.7, 0.2], 4.5 / 6],
  ])('labels %j scores %j -> %f', (labels, scores, expected) => {
    expect(rocAuc(labels, scores)).toBeCloseTo(expected, 12);
  });

  it('is NaN when a class is missing', () => {
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });
});

describe('binaryMetrics', () => {
  it('counts the confusion matrix at the threshold (>= is positive)', () => {
    const m = binaryMetrics([0, 0, 1, 1, 1], [0.1, 0.5, 0.5, 0.9, 0.2], 0.5);
    expect(m.confusionMatrix).toEqual({ tp: 2, fp: 1, tn: 1, fn: 1 });
    expect(m.accuracy).toBeCloseTo(3 / 5, 12);
    expect(m.sensitivity).toBeCloseTo(2 / 3, 12);
    expect(m.specificity).toBeCloseTo(1 / 2, 12);
    expect(m.count).toBe(5);
  });

  it('loss is the Keras binary cross-entropy with clipping', () => {
    const expected = -(Math.log(0.9) + Math.log(1 - 0.2) + Math.log(1e-7)) / 3;
    expect(binaryCrossEntropy([1, 0, 1], [0.9, 0.2, 0])).toBeCloseTo(expected, 6);
  });

  it('sensitivity is NaN without positives', () => {
    expect(binaryMetrics([0, 0], [0.1, 0.7]).sensitivity).toBeNaN();
  });

  it('refuses mismatched lengths', () => {
    expect(() => binaryMetrics([0, 1], [0.5])).toThrow(/as many scores as labels/);
  });
});
