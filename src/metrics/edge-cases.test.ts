import { describe, expect, it } from 'vitest';
import { CtHemorrhageError } from '../errors/index.js';
import {
  averagePrecision,
  binaryMetrics,
  bootstrapAucInterval,
  calibration,
  delongInterval,
  precisionRecallCurve,
  rocAuc,
  rocCurve,
  selectThreshold,
} from './index.js';

type Metric = (labels: number[], scores: number[]) => unknown;

/** Every metric taking (labels, scores), with whether it refuses NaN scores. */
const METRICS: [string, Metric, boolean][] = [
  ['rocAuc', rocAuc, false],
  ['delongInterval', delongInterval, false],
  ['binaryMetrics', (l, s) => binaryMetrics(l, s, 0.5), false],
  ['rocCurve', rocCurve, true],
  ['precisionRecallCurve', precisionRecallCurve, true],
  ['averagePrecision', averagePrecision, true],
  ['selectThreshold', (l, s) => selectThreshold(l, s, { method: 'youden' }), true],
  ['calibration', (l, s) => calibration(l, s), true],
  ['bootstrapAucInterval', (l, s) => bootstrapAucInterval(l, s, { rounds: 10 }), true],
];

function thrown(f: () => unknown): CtHemorrhageError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(CtHemorrhageError);
    return error as CtHemorrhageError;
  }
  throw new Error('expected a CtHemorrhageError');
}

describe.each(METRICS)('%s input checks', (name, metric, refusesNaN) => {
  it.each([
    { what: 'empty input', labels: [], scores: [], code: 'EMPTY_DATASET', option: 'labels' },
    { what: 'more labels than scores', labels: [0, 1, 1], scores: [0.2, 0.8], code: 'SHAPE_MISMATCH', option: 'scores' },
    { what: 'more scores than labels', labels: [0], scores: [0.2, 0.8], code: 'SHAPE_MISMATCH', option: 'scores' },
    { what: 'label 2', labels: [0, 2, 1], scores: [0.1, 0.2, 0.3], code: 'BAD_INPUT', option: 'labels' },
    { what: 'label 0.5', labels: [0, 0.5], scores: [0.1, 0.2], code: 'BAD_INPUT', option: 'labels' },
    { what: 'label NaN', labels: [1, Number.NaN], scores: [0.1, 0.2], code: 'BAD_INPUT', option: 'labels' },
    { what: 'label -1', labels: [-1, 1], scores: [0.1, 0.2], code: 'BAD_INPUT', option: 'labels' },
  ])('$what -> $code', ({ labels, scores, code, option }) => {
    const error = thrown(() => metric(labels, scores));
    expect(error.code).toBe(code);
    expect(error.details.option).toBe(option);
    expect(error.message).toContain(name);
  });

  it(refusesNaN ? 'refuses a NaN score (BAD_INPUT)' : 'turns a NaN score into NaN, without throwing', () => {
    const call = () => metric([0, 1, 0, 1], [0.1, Number.NaN, 0.3, 0.8]);
    if (refusesNaN) {
      const error = thrown(call);
      expect(error.code).toBe('BAD_INPUT');
      expect(error.details).toMatchObject({ option: 'scores', index: 1 });
    } else expect(call).not.toThrow();
  });
});

describe('NaN scores in the lenient metrics', () => {
  const labels = [0, 1, 0, 1];
  const scores = [0.1, Number.NaN, 0.3, 0.8];

  it('make the score-based metrics NaN and count as negative calls', () => {
    expect(rocAuc(labels, scores)).toBeNaN();
    expect(delongInterval(labels, scores).interval).toEqual([Number.NaN, Number.NaN]);
    const m = binaryMetrics(labels, scores, 0.5);
    for (const v of [m.loss, m.rocAuc, m.prAuc, m.brier, m.ece]) expect(v).toBeNaN();
    expect(m.confusionMatrix).toEqual({ tp: 1, fp: 0, tn: 2, fn: 1 });
  });
});

describe('scores outside [0, 1]', () => {
  it.each([1.2, -0.1, Number.POSITIVE_INFINITY])('calibration refuses %f', (s) => {
    const error = thrown(() => calibration([0, 1], [0.5, s]));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.details).toMatchObject({ option: 'scores', index: 1 });
  });

  it('are fine for the ranking metrics, and make brier and ece NaN in binaryMetrics', () => {
    const labels = [0, 0, 1, 1];
    const logits = [-2, 0.5, 0.3, 3];
    expect(rocAuc(labels, logits)).toBe(0.75);
    expect(averagePrecision(labels, logits)).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 12);
    const m = binaryMetrics(labels, logits, 0);
    expect(m.brier).toBeNaN();
    expect(m.ece).toBeNaN();
    expect(m.prAuc).toBeCloseTo(0.8333333333333334, 12);
  });

  it('rocCurve refuses infinite scores, as scikit-learn', () => {
    expect(thrown(() => rocCurve([0, 1], [0, Number.POSITIVE_INFINITY])).code).toBe('BAD_INPUT');
  });
});

describe('single class', () => {
  const onlyNegatives = { labels: [0, 0, 0], scores: [0.2, 0.6, 0.6] };
  const onlyPositives = { labels: [1, 1, 1], scores: [0.2, 0.6, 0.6] };

  it.each([
    ['only negatives', onlyNegatives],
    ['only positives', onlyPositives],
  ])('%s: AUC, AP and their intervals are NaN', (_, { labels, scores }) => {
    expect(rocAuc(labels, scores)).toBeNaN();
    expect(averagePrecision(labels, scores)).toBeNaN();
    expect(bootstrapAucInterval(labels, scores)).toEqual([Number.NaN, Number.NaN]);
    expect(delongInterval(labels, scores).interval).toEqual([Number.NaN, Number.NaN]);
    const m = binaryMetrics(labels, scores, 0.5);
    expect(m.rocAuc).toBeNaN();
    expect(m.prAuc).toBeNaN();
    expect(m.balancedAccuracy).toBeNaN();
    expect(Number.isFinite(m.brier)).toBe(true);
    expect(Number.isFinite(m.ece)).toBe(true);
  });

  it('only negatives: rocCurve tpr and PR recall are NaN, fpr is not; sensitivity NaN, ppv 0', () => {
    const { labels, scores } = onlyNegatives;
    const roc = rocCurve(labels, scores);
    expect(roc.fpr).toEqual([0, 2 / 3, 1]);
    expect(roc.tpr.every(Number.isNaN)).toBe(true);
    const pr = precisionRecallCurve(labels, scores);
    expect(pr.precision).toEqual([0, 0, 1]);
    expect(pr.recall.slice(0, -1).every(Number.isNaN)).toBe(true);
    expect(pr.recall.at(-1)).toBe(0);
    const m = binaryMetrics(labels, scores, 0.5);
    expect(m.sensitivity).toBeNaN();
    expect(m.ppv).toBe(0);
    expect(m.f1).toBe(0);
  });

  it('only positives: rocCurve fpr is NaN; specificity and npv NaN', () => {
    const { labels, scores } = onlyPositives;
    const roc = rocCurve(labels, scores);
    expect(roc.fpr.every(Number.isNaN)).toBe(true);
    expect(roc.tpr).toEqual([0, 2 / 3, 1]);
    const m = binaryMetrics(labels, scores, 0.5);
    expect(m.specificity).toBeNaN();
    expect(m.npv).toBe(0);
    expect(m.intervals.specificity).toEqual([Number.NaN, Number.NaN]);
  });

  it.each([
    ['only negatives', onlyNegatives],
    ['only positives', onlyPositives],
  ])('%s: selectThreshold refuses (EMPTY_DATASET)', (_, { labels, scores }) => {
    const error = thrown(() => selectThreshold(labels, scores, { method: 'sensitivity', target: 0.9 }));
    expect(error.code).toBe('EMPTY_DATASET');
  });
});

describe('all scores equal', () => {
  // Values as scikit-learn 1.2.1 gives them for labels [0, 1, 0, 1], scores [0.5] * 4.
  const labels = [0, 1, 0, 1];
  const scores = [0.5, 0.5, 0.5, 0.5];

  it('is chance level everywhere', () => {
    expect(rocAuc(labels, scores)).toBe(0.5);
    expect(rocCurve(labels, scores)).toEqual({ fpr: [0, 1], tpr: [0, 1], thresholds: [Number.POSITIVE_INFINITY, 0.5] });
    expect(precisionRecallCurve(labels, scores)).toEqual({ precision: [0.5, 1], recall: [1, 0], thresholds: [0.5] });
    expect(averagePrecision(labels, scores)).toBe(0.5);
    expect(selectThreshold(labels, scores, { method: 'youden' })).toEqual({ threshold: 0.5, sensitivity: 1, specificity: 0 });
    expect(bootstrapAucInterval(labels, scores, { rounds: 50 })).toEqual([0.5, 0.5]);
    const cal = calibration(labels, scores);
    expect(cal.bins[4]).toEqual({ lower: 0.4, upper: 0.5, count: 4, meanScore: 0.5, positiveRate: 0.5 });
    expect(cal.ece).toBe(0);
    expect(cal.brier).toBe(0.25);
  });
});

describe('undefined ratios are NaN, not 0', () => {
  it('ppv is NaN with no positive calls, npv with no negative calls, f1 with nothing to count', () => {
    const none = binaryMetrics([0, 1], [0.1, 0.2], 0.5);
    expect(none.ppv).toBeNaN();
    expect(none.intervals.ppv).toEqual([Number.NaN, Number.NaN]);
    expect(none.npv).toBe(0.5);
    expect(none.f1).toBe(0);
    const all = binaryMetrics([0, 1], [0.6, 0.7], 0.5);
    expect(all.npv).toBeNaN();
    expect(all.intervals.npv).toEqual([Number.NaN, Number.NaN]);
    expect(binaryMetrics([0, 0], [0.1, 0.2], 0.5).f1).toBeNaN();
  });
});

describe('option checks', () => {
  const labels = [0, 1];
  const scores = [0.2, 0.8];

  it.each([
    { what: 'unknown method', call: () => selectThreshold(labels, scores, { method: 'best' } as never), option: 'method' },
    { what: 'target 0', call: () => selectThreshold(labels, scores, { method: 'sensitivity', target: 0 }), option: 'target' },
    { what: 'target 95', call: () => selectThreshold(labels, scores, { method: 'sensitivity', target: 95 }), option: 'target' },
    { what: 'target NaN', call: () => selectThreshold(labels, scores, { method: 'sensitivity', target: Number.NaN }), option: 'target' },
    { what: 'bins 0', call: () => calibration(labels, scores, 0), option: 'bins' },
    { what: 'bins 2.5', call: () => calibration(labels, scores, 2.5), option: 'bins' },
    { what: 'rounds 0', call: () => bootstrapAucInterval(labels, scores, { rounds: 0 }), option: 'rounds' },
    { what: 'level 1', call: () => bootstrapAucInterval(labels, scores, { level: 1 }), option: 'level' },
    { what: 'level 95', call: () => bootstrapAucInterval(labels, scores, { level: 95 }), option: 'level' },
    { what: 'seed NaN', call: () => bootstrapAucInterval(labels, scores, { seed: Number.NaN }), option: 'seed' },
  ])('$what -> BAD_INPUT', ({ call, option }) => {
    const error = thrown(call);
    expect(error.code).toBe('BAD_INPUT');
    expect(error.details.option).toBe(option);
  });

  it('target 1 is the highest threshold with every positive found', () => {
    expect(selectThreshold([0, 1, 1, 0], [0.1, 0.4, 0.9, 0.5], { method: 'sensitivity', target: 1 })).toEqual({
      threshold: 0.4,
      sensitivity: 1,
      specificity: 0.5,
    });
  });

  it('bootstrap options left undefined take the defaults', () => {
    const l = [0, 0, 1, 1, 0, 1];
    const s = [0.1, 0.5, 0.4, 0.9, 0.3, 0.6];
    expect(bootstrapAucInterval(l, s, { rounds: undefined, seed: undefined })).toEqual(bootstrapAucInterval(l, s));
  });
});

describe('documented examples', () => {
  const labels = [0, 0, 1, 1];
  const scores = [0.1, 0.4, 0.35, 0.8];

  it('rocCurve, precisionRecallCurve, averagePrecision', () => {
    expect(rocCurve(labels, scores)).toEqual({
      fpr: [0, 0, 0.5, 0.5, 1],
      tpr: [0, 0.5, 0.5, 1, 1],
      thresholds: [Number.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1],
    });
    const pr = precisionRecallCurve(labels, scores);
    expect(pr.precision).toEqual([0.5, 2 / 3, 0.5, 1, 1]);
    expect(pr.recall).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(pr.thresholds).toEqual([0.1, 0.35, 0.4, 0.8]);
    expect(averagePrecision(labels, scores)).toBeCloseTo(0.8333, 4);
  });

  it('selectThreshold', () => {
    const l = [0, 0, 1, 1, 0, 1];
    const s = [0.1, 0.4, 0.35, 0.8, 0.6, 0.9];
    expect(selectThreshold(l, s, { method: 'youden' })).toEqual({ threshold: 0.8, sensitivity: 2 / 3, specificity: 1 });
    expect(selectThreshold(l, s, { method: 'sensitivity', target: 0.95 })).toEqual({
      threshold: 0.35,
      sensitivity: 1,
      specificity: 1 / 3,
    });
  });

  it('calibration', () => {
    const c = calibration(labels, scores, 2);
    expect(c.brier).toBeCloseTo(0.1581, 4);
    expect(c.ece).toBeCloseTo(0.0875, 4);
    expect(c.bins.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [0, 0.5, 3],
      [0.5, 1, 1],
    ]);
    expect(c.bins[0]!.meanScore).toBeCloseTo(0.2833, 4);
    expect(c.bins[0]!.positiveRate).toBeCloseTo(1 / 3, 12);
  });

  it('bootstrapAucInterval', () => {
    const l = [0, 0, 0, 0, 1, 1, 1, 1];
    const s = [0.1, 0.3, 0.35, 0.6, 0.4, 0.7, 0.8, 0.9];
    expect(rocAuc(l, s)).toBe(0.9375);
    expect(bootstrapAucInterval(l, s)).toEqual([0.625, 1]);
    expect(bootstrapAucInterval(l, s, { seed: 2 })).toEqual([0.75, 1]);
  });

  it('binaryMetrics', () => {
    const m = binaryMetrics([0, 0, 1, 1], [0.1, 0.6, 0.7, 0.9], 0.5);
    expect(m.ppv).toBeCloseTo(2 / 3, 12);
    expect(m.npv).toBe(1);
    expect(m.prAuc).toBe(1);
  });
});
