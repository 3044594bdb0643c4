import { CALIBRATION_BINS, calibrationUnchecked } from './calibration.js';
import { averagePrecisionUnchecked } from './curves.js';
import { delongInterval, wilsonInterval, type Interval } from './intervals.js';
import { allProbabilities, checkLabelsAndScores, hasNaN } from './validate.js';

/** Counts at a threshold; "positive" is the hemorrhage class. */
export interface ConfusionMatrix {
  /** Positives predicted positive. */
  readonly tp: number;
  /** Negatives predicted positive. */
  readonly fp: number;
  /** Negatives predicted negative. */
  readonly tn: number;
  /** Positives predicted negative. */
  readonly fn: number;
}

/**
 * Binary classification metrics at one threshold. A metric that is undefined on the data given
 * (a ratio with nothing to divide by, an AUC with one class) is NaN rather than 0 or 1; JSON
 * writes NaN as `null`.
 */
export interface BinaryMetrics {
  /** Number of samples. */
  readonly count: number;
  /** Threshold at or above which a score counts as positive. */
  readonly threshold: number;
  /** (tp + tn) / count. */
  readonly accuracy: number;
  /** Mean binary cross-entropy of the scores (probabilities clipped to [1e-7, 1 - 1e-7], as Keras). */
  readonly loss: number;
  /** tp / (tp + fn): the share of hemorrhages found; NaN without positives. */
  readonly sensitivity: number;
  /** tn / (tn + fp): the share of normals passed; NaN without negatives. */
  readonly specificity: number;
  /** Area under the ROC curve (ties count half); NaN unless both classes are present. */
  readonly rocAuc: number;
  /** Counts at the threshold. */
  readonly confusionMatrix: ConfusionMatrix;
  /**
   * Positive predictive value (precision), tp / (tp + fp): the share of hemorrhage calls that
   * are right; NaN when nothing is called positive. Depends on the prevalence of the data.
   */
  readonly ppv: number;
  /** Negative predictive value, tn / (tn + fn); NaN when nothing is called negative. Depends on prevalence. */
  readonly npv: number;
  /** F1 = 2 tp / (2 tp + fp + fn), the harmonic mean of PPV and sensitivity; NaN when tp + fp + fn is 0. */
  readonly f1: number;
  /** (sensitivity + specificity) / 2; NaN unless both classes are present. */
  readonly balancedAccuracy: number;
  /**
   * Area under the precision-recall curve as average precision (step-wise, no interpolation;
   * see `averagePrecision`); NaN unless both classes are present, and NaN when a score is NaN.
   */
  readonly prAuc: number;
  /** Brier score, mean (score - label)^2; NaN when a score lies outside [0, 1] (or is NaN). */
  readonly brier: number;
  /** Expected calibration error over 10 equal-width bins (see `calibration`); NaN as `brier`. */
  readonly ece: number;
  /**
   * 95% intervals: Wilson score for the proportions accuracy, sensitivity, specificity, PPV and
   * NPV, DeLong's for ROC AUC. Balanced accuracy has none: it averages two proportions with
   * different denominators, which no single binomial interval covers. `[NaN, NaN]` where the
   * metric is undefined.
   */
  readonly intervals: {
    /** Wilson interval of accuracy. */
    readonly accuracy: Interval;
    /** Wilson interval of sensitivity (tp of tp + fn). */
    readonly sensitivity: Interval;
    /** Wilson interval of specificity (tn of tn + fp). */
    readonly specificity: Interval;
    /** DeLong interval of ROC AUC. */
    readonly rocAuc: Interval;
    /** Wilson interval of PPV (tp of tp + fp). */
    readonly ppv: Interval;
    /** Wilson interval of NPV (tn of tn + fn). */
    readonly npv: Interval;
  };
}

const EPSILON = 1e-7;

/** Confusion counts at `threshold` (a score at or above it is positive); inputs unchecked. */
export function confusionAt(labels: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): ConfusionMatrix {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const predicted = (scores[i] as number) >= threshold;
    if (labels[i] === 1) {
      if (predicted) tp++;
      else fn++;
    } else if (predicted) fp++;
    else tn++;
  }
  return { tp, fp, tn, fn };
}

/**
 * Mean binary cross-entropy of probabilities `scores` against 0/1 `labels`.
 *
 * @example
 * ```ts
 * binaryCrossEntropy([1, 0], [0.9, 0.2]); // 0.1643 = -(ln 0.9 + ln 0.8) / 2
 * ```
 */
export function binaryCrossEntropy(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - EPSILON, Math.max(EPSILON, scores[i] as number));
    sum += labels[i] === 1 ? -Math.log(p) : -Math.log(1 - p);
  }
  return sum / labels.length;
}

/**
 * ROC AUC as the Mann-Whitney statistic: the chance that a random positive scores above a
 * random negative, ties counting half (equal to scikit-learn's `roc_auc_score`). NaN when a
 * class is missing or a score is NaN.
 *
 * @throws {@link CtHemorrhageError} `SHAPE_MISMATCH` when the lengths differ, `EMPTY_DATASET`
 * when there are no samples, `BAD_INPUT` for a label other than 0/1.
 *
 * @example
 * ```ts
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * ```
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  checkLabelsAndScores('rocAuc', labels, scores, 'any');
  if (hasNaN(scores)) return Number.NaN;
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  // Mid-ranks over ties.
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = rank;
    i = j + 1;
  }
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] === 1) {
      pos++;
      rankSum += ranks[i] as number;
    }
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Metrics of probability `scores` against 0/1 `labels` at `threshold` (a score `>= threshold`
 * counts as hemorrhage): accuracy, loss, confusion matrix, sensitivity, specificity, PPV, NPV,
 * F1 and balanced accuracy at the threshold; ROC AUC, PR AUC (average precision), Brier score
 * and ECE (10 bins) over all thresholds; with 95% intervals (Wilson for proportions, DeLong for
 * the AUC). Undefined metrics are NaN, never 0: see {@link BinaryMetrics}. NaN scores (a
 * diverged model) are counted as negative calls and make the score-based metrics NaN rather
 * than throwing, so a training run can log them. Every value agrees with scikit-learn to 1e-6
 * on the reference vectors of `scripts/reference-metrics.py`.
 *
 * @throws {@link CtHemorrhageError} `SHAPE_MISMATCH` when the lengths differ, `EMPTY_DATASET`
 * when there are no samples, `BAD_INPUT` for a label other than 0/1.
 *
 * @example
 * ```ts
 * const m = binaryMetrics([0, 0, 1, 1], [0.1, 0.6, 0.7, 0.9], 0.5);
 * m.accuracy; // 0.75
 * m.confusionMatrix; // { tp: 2, fp: 1, tn: 1, fn: 0 }
 * m.ppv; // 0.6667
 * m.npv; // 1
 * m.prAuc; // 1
 * ```
 */
export function binaryMetrics(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold = 0.5,
): BinaryMetrics {
  const positives = checkLabelsAndScores('binaryMetrics', labels, scores, 'any');
  const n = labels.length;
  const { tp, fp, tn, fn } = confusionAt(labels, scores, threshold);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
  const sensitivity = ratio(tp, tp + fn);
  const specificity = ratio(tn, tn + fp);
  const anyNaN = hasNaN(scores);
  const calibrated = allProbabilities(scores) ? calibrationUnchecked(labels, scores, CALIBRATION_BINS) : undefined;
  return {
    count: n,
    threshold,
    accuracy: (tp + tn) / n,
    loss: binaryCrossEntropy(labels, scores),
    sensitivity,
    specificity,
    rocAuc: rocAuc(labels, scores),
    confusionMatrix: { tp, fp, tn, fn },
    ppv: ratio(tp, tp + fp),
    npv: ratio(tn, tn + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    balancedAccuracy: (sensitivity + specificity) / 2,
    prAuc: anyNaN ? Number.NaN : averagePrecisionUnchecked(labels, scores, positives),
    brier: calibrated?.brier ?? Number.NaN,
    ece: calibrated?.ece ?? Number.NaN,
    intervals: {
      accuracy: wilsonInterval(tp + tn, n),
      sensitivity: wilsonInterval(tp, tp + fn),
      specificity: wilsonInterval(tn, tn + fp),
      rocAuc: delongInterval(labels, scores).interval,
      ppv: wilsonInterval(tp, tp + fp),
      npv: wilsonInterval(tn, tn + fn),
    },
  };
}
