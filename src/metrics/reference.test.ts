import { describe, expect, it } from 'vitest';
import { createRng } from '../random/index.js';
import {
  averagePrecision,
  binaryCrossEntropy,
  binaryMetrics,
  bootstrapAucInterval,
  calibration,
  delongInterval,
  precisionRecallCurve,
  rocAuc,
  rocCurve,
  selectThreshold,
  wilsonInterval,
} from './index.js';

// Every expected value below was computed independently of this library, by scikit-learn 1.2.1
// (with numpy 1.24.2 and scipy 1.10.1, Debian bookworm packages): the literal is the verbatim
// output of `python3 scripts/reference-metrics.py`, whose docstring says how each value was
// produced. Regenerate it with that script after changing a vector.
// Printed by scripts/reference-metrics.py (values from scikit-learn, numpy and scipy).
const REFERENCE = {
  versions: {
    sklearn: "1.2.1",
    numpy: "1.24.2",
    scipy: "1.10.1",
  },
  binEdges: {
    "3": [0.0, 0.3333333333333333, 0.6666666666666666, 1.0],
    "7": [0.0, 0.14285714285714285, 0.2857142857142857, 0.42857142857142855, 0.5714285714285714, 0.7142857142857142, 0.8571428571428571, 1.0],
    "10": [0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9, 1.0],
  },
  cases: [{
      name: "ties, scores at the threshold",
      labels: [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0],
      scores: [0.1, 0.5, 0.5, 0.9, 0.3, 0.3, 0.7, 0.5, 0.8, 0.2, 0.65, 0.5],
      threshold: 0.5,
      rocAuc: 0.763888888888889,
      roc: {
        fpr: [0.0, 0.0, 0.0, 0.16666666666666666, 0.16666666666666666, 0.5, 0.6666666666666666, 0.8333333333333334, 1.0],
        tpr: [0.0, 0.16666666666666666, 0.3333333333333333, 0.3333333333333333, 0.5, 0.8333333333333334, 1.0, 1.0, 1.0],
        thresholds: [Infinity, 0.9, 0.8, 0.7, 0.65, 0.5, 0.3, 0.2, 0.1],
      },
      pr: {
        precision: [0.5, 0.5454545454545454, 0.6, 0.625, 0.75, 0.6666666666666666, 1.0, 1.0, 1.0],
        recall: [1.0, 1.0, 1.0, 0.8333333333333334, 0.5, 0.3333333333333333, 0.3333333333333333, 0.16666666666666666, 0.0],
        thresholds: [0.1, 0.2, 0.3, 0.5, 0.65, 0.7, 0.8, 0.9],
      },
      averagePrecision: 0.7666666666666666,
      brier: 0.19104166666666667,
      logLoss: 0.552083360405576,
      atThreshold: {
        confusionMatrix: {
          tp: 5,
          fp: 3,
          tn: 3,
          fn: 1,
        },
        accuracy: 0.6666666666666666,
        sensitivity: 0.8333333333333334,
        specificity: 0.5,
        ppv: 0.625,
        npv: 0.75,
        f1: 0.7142857142857143,
        balancedAccuracy: 0.6666666666666667,
        wilson: {
          accuracy: [0.39062208887279953, 0.8618799089087867],
          sensitivity: [0.43649717781352976, 0.9699466302516933],
          specificity: [0.18761630648265054, 0.8123836935173494],
          ppv: [0.3057423946026273, 0.8631557141764027],
          npv: [0.30064184258240184, 0.9544127391902995],
        },
      },
      youden: {
        threshold: 0.8,
        sensitivity: 0.3333333333333333,
        specificity: 1.0,
      },
      sensitivityTargets: [{
          target: 0.8,
          threshold: 0.5,
          sensitivity: 0.8333333333333334,
          specificity: 0.5,
        }, {
          target: 0.95,
          threshold: 0.3,
          sensitivity: 1.0,
          specificity: 0.33333333333333337,
        }],
      calibration: {
        counts: [1, 1, 2, 0, 4, 0, 2, 1, 1, 0],
        positiveRate: [0.0, 0.0, 0.5, 0.5, 0.5, 1.0, 1.0],
        meanScore: [0.1, 0.2, 0.3, 0.5, 0.675, 0.8, 0.9],
        ece: 0.1125,
      },
    }, {
      name: "imbalanced, 3 positives in 16, ties across classes",
      labels: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1],
      scores: [0.0, 0.05, 0.1, 0.1, 0.2, 0.25, 0.3, 0.3, 0.4, 0.45, 0.6, 0.7, 0.3, 0.3, 0.85, 1.0],
      threshold: 0.3,
      rocAuc: 0.8589743589743589,
      roc: {
        fpr: [0.0, 0.0, 0.0, 0.07692307692307693, 0.15384615384615385, 0.23076923076923078, 0.3076923076923077, 0.5384615384615384, 0.6153846153846154, 0.6923076923076923, 0.8461538461538461, 0.9230769230769231, 1.0],
        tpr: [0.0, 0.3333333333333333, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        thresholds: [Infinity, 1.0, 0.85, 0.7, 0.6, 0.45, 0.4, 0.3, 0.25, 0.2, 0.1, 0.05, 0.0],
      },
      pr: {
        precision: [0.1875, 0.2, 0.21428571428571427, 0.25, 0.2727272727272727, 0.3, 0.3333333333333333, 0.4, 0.5, 0.6666666666666666, 1.0, 1.0, 1.0],
        recall: [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 0.3333333333333333, 0.0],
        thresholds: [0.0, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.45, 0.6, 0.7, 0.85, 1.0],
      },
      averagePrecision: 0.7666666666666666,
      brier: 0.1325,
      logLoss: 0.40239267973942594,
      atThreshold: {
        confusionMatrix: {
          tp: 3,
          fp: 7,
          tn: 6,
          fn: 0,
        },
        accuracy: 0.5625,
        sensitivity: 1.0,
        specificity: 0.46153846153846156,
        ppv: 0.3,
        npv: 1.0,
        f1: 0.4615384615384615,
        balancedAccuracy: 0.7307692307692308,
        wilson: {
          accuracy: [0.331785563988119, 0.7690134759450765],
          sensitivity: [0.4385029682449546, 1.0],
          specificity: [0.23206067809538303, 0.70856204285494],
          ppv: [0.10779126740630102, 0.6032218525388546],
          npv: [0.6096657120978346, 1.0],
        },
      },
      youden: {
        threshold: 0.85,
        sensitivity: 0.6666666666666666,
        specificity: 1.0,
      },
      sensitivityTargets: [{
          target: 0.8,
          threshold: 0.3,
          sensitivity: 1.0,
          specificity: 0.46153846153846156,
        }, {
          target: 0.95,
          threshold: 0.3,
          sensitivity: 1.0,
          specificity: 0.46153846153846156,
        }],
      calibration: {
        counts: [4, 1, 5, 1, 1, 1, 1, 0, 1, 1],
        positiveRate: [0.0, 0.0, 0.2, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0],
        meanScore: [0.0625, 0.2, 0.29000000000000004, 0.4, 0.45, 0.6, 0.7, 0.85, 1.0],
        ece: 0.2,
      },
    }, {
      name: "scores on every bin edge, threshold equal to a score",
      labels: [0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1],
      scores: [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.6, 0.3, 0.7],
      threshold: 0.6,
      rocAuc: 0.7959183673469388,
      roc: {
        fpr: [0.0, 0.0, 0.0, 0.0, 0.14285714285714285, 0.2857142857142857, 0.42857142857142855, 0.5714285714285714, 0.5714285714285714, 0.7142857142857143, 0.8571428571428571, 1.0],
        tpr: [0.0, 0.14285714285714285, 0.2857142857142857, 0.42857142857142855, 0.5714285714285714, 0.7142857142857143, 0.7142857142857143, 0.7142857142857143, 1.0, 1.0, 1.0, 1.0],
        thresholds: [Infinity, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0],
      },
      pr: {
        precision: [0.5, 0.5384615384615384, 0.5833333333333334, 0.6363636363636364, 0.5555555555555556, 0.625, 0.7142857142857143, 0.8, 1.0, 1.0, 1.0, 1.0],
        recall: [1.0, 1.0, 1.0, 1.0, 0.7142857142857143, 0.7142857142857143, 0.7142857142857143, 0.5714285714285714, 0.42857142857142855, 0.2857142857142857, 0.14285714285714285, 0.0],
        thresholds: [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
      },
      averagePrecision: 0.8267161410018551,
      brier: 0.185,
      logLoss: 0.5183350607733359,
      atThreshold: {
        confusionMatrix: {
          tp: 5,
          fp: 2,
          tn: 5,
          fn: 2,
        },
        accuracy: 0.7142857142857143,
        sensitivity: 0.7142857142857143,
        specificity: 0.7142857142857143,
        ppv: 0.7142857142857143,
        npv: 0.7142857142857143,
        f1: 0.7142857142857143,
        balancedAccuracy: 0.7142857142857143,
        wilson: {
          accuracy: [0.4535091567010682, 0.8827862135542307],
          sensitivity: [0.3589344518326193, 0.9177810759959432],
          specificity: [0.3589344518326193, 0.9177810759959432],
          ppv: [0.3589344518326193, 0.9177810759959432],
          npv: [0.3589344518326193, 0.9177810759959432],
        },
      },
      youden: {
        threshold: 0.8,
        sensitivity: 0.42857142857142855,
        specificity: 1.0,
      },
      sensitivityTargets: [{
          target: 0.8,
          threshold: 0.3,
          sensitivity: 1.0,
          specificity: 0.4285714285714286,
        }, {
          target: 0.95,
          threshold: 0.3,
          sensitivity: 1.0,
          specificity: 0.4285714285714286,
        }],
      calibration: {
        counts: [2, 1, 2, 1, 1, 2, 2, 1, 1, 1],
        positiveRate: [0.0, 0.0, 1.0, 0.0, 0.0, 0.5, 0.5, 1.0, 1.0, 1.0],
        meanScore: [0.05, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
        ece: 0.24999999999999997,
      },
    }, {
      name: "realistic, 40 samples",
      labels: [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0],
      scores: [0.48, 0.42, 0.28, 0.49, 0.77, 0.35, 0.58, 0.43, 0.44, 0.71, 0.18, 0.7, 0.56, 0.58, 0.55, 0.41, 0.3, 0.28, 0.2, 0.82, 0.33, 0.3, 0.42, 0.18, 0.68, 0.26, 0.01, 0.21, 0.14, 0.73, 0.5, 0.29, 0.45, 0.34, 0.27, 0.87, 0.61, 0.22, 0.23, 0.12],
      threshold: 0.5,
      rocAuc: 0.8255494505494505,
      roc: {
        fpr: [0.0, 0.0, 0.0, 0.0, 0.038461538461538464, 0.07692307692307693, 0.07692307692307693, 0.07692307692307693, 0.07692307692307693, 0.07692307692307693, 0.07692307692307693, 0.11538461538461539, 0.15384615384615385, 0.19230769230769232, 0.23076923076923078, 0.2692307692307692, 0.2692307692307692, 0.2692307692307692, 0.34615384615384615, 0.38461538461538464, 0.4230769230769231, 0.46153846153846156, 0.46153846153846156, 0.5, 0.5, 0.5769230769230769, 0.6153846153846154, 0.6538461538461539, 0.6923076923076923, 0.7307692307692307, 0.7692307692307693, 0.8076923076923077, 0.8846153846153846, 0.9230769230769231, 0.9615384615384616, 1.0],
        tpr: [0.0, 0.07142857142857142, 0.14285714285714285, 0.21428571428571427, 0.21428571428571427, 0.21428571428571427, 0.2857142857142857, 0.35714285714285715, 0.42857142857142855, 0.5714285714285714, 0.6428571428571429, 0.6428571428571429, 0.6428571428571429, 0.6428571428571429, 0.6428571428571429, 0.6428571428571429, 0.7142857142857143, 0.7857142857142857, 0.7857142857142857, 0.7857142857142857, 0.7857142857142857, 0.7857142857142857, 0.8571428571428571, 0.9285714285714286, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        thresholds: [Infinity, 0.87, 0.82, 0.77, 0.73, 0.71, 0.7, 0.68, 0.61, 0.58, 0.56, 0.55, 0.5, 0.49, 0.48, 0.45, 0.44, 0.43, 0.42, 0.41, 0.35, 0.34, 0.33, 0.3, 0.29, 0.28, 0.27, 0.26, 0.23, 0.22, 0.21, 0.2, 0.18, 0.14, 0.12, 0.01],
      },
      pr: {
        precision: [0.35, 0.358974358974359, 0.3684210526315789, 0.3783783783783784, 0.4, 0.4117647058823529, 0.42424242424242425, 0.4375, 0.45161290322580644, 0.4666666666666667, 0.4827586206896552, 0.5185185185185185, 0.5, 0.5, 0.4782608695652174, 0.5, 0.5238095238095238, 0.55, 0.6111111111111112, 0.5882352941176471, 0.5625, 0.6, 0.6428571428571429, 0.6923076923076923, 0.75, 0.8181818181818182, 0.8, 0.75, 0.7142857142857143, 0.6666666666666666, 0.6, 0.75, 1.0, 1.0, 1.0, 1.0],
        recall: [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9285714285714286, 0.8571428571428571, 0.7857142857142857, 0.7857142857142857, 0.7857142857142857, 0.7857142857142857, 0.7857142857142857, 0.7142857142857143, 0.6428571428571429, 0.6428571428571429, 0.6428571428571429, 0.6428571428571429, 0.6428571428571429, 0.6428571428571429, 0.5714285714285714, 0.42857142857142855, 0.35714285714285715, 0.2857142857142857, 0.21428571428571427, 0.21428571428571427, 0.21428571428571427, 0.14285714285714285, 0.07142857142857142, 0.0],
        thresholds: [0.01, 0.12, 0.14, 0.18, 0.2, 0.21, 0.22, 0.23, 0.26, 0.27, 0.28, 0.29, 0.3, 0.33, 0.34, 0.35, 0.41, 0.42, 0.43, 0.44, 0.45, 0.48, 0.49, 0.5, 0.55, 0.56, 0.58, 0.61, 0.68, 0.7, 0.71, 0.73, 0.77, 0.82, 0.87],
      },
      averagePrecision: 0.7333570802058196,
      brier: 0.1691925,
      logLoss: 0.5107900048909076,
      atThreshold: {
        confusionMatrix: {
          tp: 9,
          fp: 4,
          tn: 22,
          fn: 5,
        },
        accuracy: 0.775,
        sensitivity: 0.6428571428571429,
        specificity: 0.8461538461538461,
        ppv: 0.6923076923076923,
        npv: 0.8148148148148148,
        f1: 0.6666666666666666,
        balancedAccuracy: 0.7445054945054945,
        wilson: {
          accuracy: [0.6249690325768997, 0.8768390867645925],
          sensitivity: [0.38764423103907397, 0.8365526824644587],
          specificity: [0.6646880067178653, 0.9384996627642166],
          ppv: [0.4236934318054904, 0.873192963442895],
          npv: [0.6330131638145157, 0.9181929285702347],
        },
      },
      youden: {
        threshold: 0.56,
        sensitivity: 0.6428571428571429,
        specificity: 0.9230769230769231,
      },
      sensitivityTargets: [{
          target: 0.8,
          threshold: 0.33,
          sensitivity: 0.8571428571428571,
          specificity: 0.5384615384615384,
        }, {
          target: 0.95,
          threshold: 0.29,
          sensitivity: 1.0,
          specificity: 0.5,
        }],
      calibration: {
        counts: [1, 5, 10, 3, 9, 4, 3, 3, 2, 0],
        positiveRate: [0.0, 0.0, 0.2, 0.3333333333333333, 0.2222222222222222, 0.75, 1.0, 0.3333333333333333, 1.0],
        meanScore: [0.01, 0.164, 0.26400000000000007, 0.34, 0.4488888888888889, 0.5675000000000001, 0.6633333333333332, 0.7366666666666667, 0.845],
        ece: 0.16975000000000004,
      },
    }],
};

/** Elementwise |a - b| <= tol, equal lengths, infinities equal. */
function expectCloseArray(actual: readonly number[], expected: readonly number[], tol = 1e-6) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i] as number;
    if (!Number.isFinite(e)) expect(a, `element ${i}`).toBe(e);
    else expect(Math.abs(a - e), `element ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(tol);
  });
}

describe.each(REFERENCE.cases)('against scikit-learn: $name', (c) => {
  const { labels, scores, threshold } = c;

  it('rocAuc = roc_auc_score', () => {
    expect(rocAuc(labels, scores)).toBeCloseTo(c.rocAuc, 6);
  });

  it('rocCurve = roc_curve(drop_intermediate=False), first threshold inf', () => {
    const roc = rocCurve(labels, scores);
    expectCloseArray(roc.fpr, c.roc.fpr);
    expectCloseArray(roc.tpr, c.roc.tpr);
    expectCloseArray(roc.thresholds, c.roc.thresholds);
  });

  it('precisionRecallCurve = precision_recall_curve', () => {
    const pr = precisionRecallCurve(labels, scores);
    expectCloseArray(pr.precision, c.pr.precision);
    expectCloseArray(pr.recall, c.pr.recall);
    expectCloseArray(pr.thresholds, c.pr.thresholds);
  });

  it('averagePrecision = average_precision_score', () => {
    expect(averagePrecision(labels, scores)).toBeCloseTo(c.averagePrecision, 6);
  });

  it('binaryMetrics at the threshold = sklearn scores of (scores >= threshold)', () => {
    const m = binaryMetrics(labels, scores, threshold);
    const r = c.atThreshold;
    expect(m.confusionMatrix).toEqual(r.confusionMatrix);
    expect(m.accuracy).toBeCloseTo(r.accuracy, 6);
    expect(m.sensitivity).toBeCloseTo(r.sensitivity, 6);
    expect(m.specificity).toBeCloseTo(r.specificity, 6);
    expect(m.ppv).toBeCloseTo(r.ppv, 6);
    expect(m.npv).toBeCloseTo(r.npv, 6);
    expect(m.f1).toBeCloseTo(r.f1, 6);
    expect(m.balancedAccuracy).toBeCloseTo(r.balancedAccuracy, 6);
    expect(m.rocAuc).toBeCloseTo(c.rocAuc, 6);
    expect(m.prAuc).toBeCloseTo(c.averagePrecision, 6);
    expect(m.brier).toBeCloseTo(c.brier, 6);
    expect(m.ece).toBeCloseTo(c.calibration.ece, 6);
    expect(m.loss).toBeCloseTo(c.logLoss, 6);
    expect(binaryCrossEntropy(labels, scores)).toBeCloseTo(c.logLoss, 6);
  });

  it('Wilson intervals = scipy binomtest(...).proportion_ci(method="wilson")', () => {
    const m = binaryMetrics(labels, scores, threshold);
    for (const key of ['accuracy', 'sensitivity', 'specificity', 'ppv', 'npv'] as const) {
      expectCloseArray([...m.intervals[key]], c.atThreshold.wilson[key]);
    }
  });

  it('selectThreshold youden = argmax(tpr - fpr), ties to the higher threshold', () => {
    const p = selectThreshold(labels, scores, { method: 'youden' });
    expect(p.threshold).toBe(c.youden.threshold);
    expect(p.sensitivity).toBeCloseTo(c.youden.sensitivity, 6);
    expect(p.specificity).toBeCloseTo(c.youden.specificity, 6);
  });

  it.each(c.sensitivityTargets)('selectThreshold sensitivity $target = first roc threshold with tpr >= target', (t) => {
    const p = selectThreshold(labels, scores, { method: 'sensitivity', target: t.target });
    expect(p.threshold).toBe(t.threshold);
    expect(p.sensitivity).toBeCloseTo(t.sensitivity, 6);
    expect(p.specificity).toBeCloseTo(t.specificity, 6);
  });

  it('calibration = calibration_curve(strategy="uniform", n_bins=10) and brier_score_loss', () => {
    const cal = calibration(labels, scores);
    expect(cal.bins.map((b) => b.count)).toEqual(c.calibration.counts);
    const full = cal.bins.filter((b) => b.count > 0);
    expectCloseArray(full.map((b) => b.positiveRate), c.calibration.positiveRate);
    expectCloseArray(full.map((b) => b.meanScore), c.calibration.meanScore);
    expect(cal.ece).toBeCloseTo(c.calibration.ece, 6);
    expect(cal.brier).toBeCloseTo(c.brier, 6);
    for (const b of cal.bins.filter((x) => x.count === 0)) {
      expect(b.meanScore).toBeNaN();
      expect(b.positiveRate).toBeNaN();
    }
  });
});

describe('calibration bin edges', () => {
  it.each(Object.entries(REFERENCE.binEdges))('%s bins have the edges of numpy.linspace', (bins, edges) => {
    const cal = calibration([0, 1], [0.2, 0.9], Number(bins));
    expect([...cal.bins.map((b) => b.lower), 1]).toEqual(edges);
    expect(cal.bins.map((b) => b.upper)).toEqual(edges.slice(1));
  });
});

describe('wilsonInterval', () => {
  it('matches scipy on the reference proportions', () => {
    // 5 of 8 (PPV of the first case), from scipy.stats.binomtest(5, 8).proportion_ci(method='wilson').
    const [lo, hi] = wilsonInterval(5, 8);
    expect(lo).toBeCloseTo(REFERENCE.cases[0]!.atThreshold.wilson.ppv[0]!, 6);
    expect(hi).toBeCloseTo(REFERENCE.cases[0]!.atThreshold.wilson.ppv[1]!, 6);
  });
});

describe('bootstrapAucInterval on the 40-sample vector', () => {
  const c = REFERENCE.cases[3]!;
  const { labels, scores } = c;

  it('is deterministic by seed, and the seed matters', () => {
    const a = bootstrapAucInterval(labels, scores, { seed: 5, rounds: 500 });
    expect(bootstrapAucInterval(labels, scores, { seed: 5, rounds: 500 })).toEqual(a);
    expect(bootstrapAucInterval(labels, scores, { seed: 6, rounds: 500 })).not.toEqual(a);
    expect(bootstrapAucInterval(labels, scores)).toEqual(
      bootstrapAucInterval(labels, scores, { rounds: 2000, seed: 1, level: 0.95 }),
    );
  });

  it('contains the AUC and agrees with DeLong within 0.05', () => {
    const [lo, hi] = bootstrapAucInterval(labels, scores);
    expect(lo).toBeLessThan(c.rocAuc);
    expect(hi).toBeGreaterThan(c.rocAuc);
    const delong = delongInterval(labels, scores).interval;
    expect(Math.abs(lo - delong[0])).toBeLessThan(0.05);
    expect(Math.abs(hi - delong[1])).toBeLessThan(0.05);
  });

  it('narrows as the level falls', () => {
    const wide = bootstrapAucInterval(labels, scores, { level: 0.99 });
    const narrow = bootstrapAucInterval(labels, scores, { level: 0.5 });
    expect(wide[0]).toBeLessThan(narrow[0]);
    expect(wide[1]).toBeGreaterThan(narrow[1]);
  });

  it('equals a naive stratified bootstrap with the same draws (rocAuc of each resample, numpy linear percentiles)', () => {
    const rounds = 300;
    const pos = scores.filter((_, i) => labels[i] === 1);
    const neg = scores.filter((_, i) => labels[i] === 0);
    const rng = createRng(9);
    const aucs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const p = pos.map(() => pos[Math.floor(rng() * pos.length)]!);
      const n = neg.map(() => neg[Math.floor(rng() * neg.length)]!);
      aucs.push(rocAuc([...p.map(() => 1), ...n.map(() => 0)], [...p, ...n]));
    }
    aucs.sort((a, b) => a - b);
    const q = (x: number) => {
      const h = (rounds - 1) * x;
      const lo = Math.floor(h);
      return aucs[lo]! + (h - lo) * (aucs[lo + 1]! - aucs[lo]!);
    };
    const [lo, hi] = bootstrapAucInterval(labels, scores, { rounds, seed: 9 });
    expect(lo).toBeCloseTo(q(0.025), 12);
    expect(hi).toBeCloseTo(q(0.975), 12);
  });
});
