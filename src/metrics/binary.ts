import { CtHemorrhageError } from '../errors/index.js';
import { delongInterval, wilsonInterval, type Interval } from './intervals.js';

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

/** Binary classification metrics at one threshold. */
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
  /** 95% Wilson intervals of accuracy, sensitivity and specificity, and DeLong's of ROC AUC. */
  readonly intervals: {
    readonly accuracy: Interval;
    readonly sensitivity: Interval;
    readonly specificity: Interval;
    readonly rocAuc: Interval;
  };
}

const EPSILON = 1e-7;

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
 * random negative, ties counting half. NaN when a class is missing.
 *
 * @example
 * ```ts
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * ```
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
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
 * Accuracy, loss, confusion matrix, sensitivity, specificity and ROC AUC of probability
 * `scores` against 0/1 `labels` at `threshold`, with 95% intervals (Wilson for proportions,
 * DeLong for the AUC).
 *
 * @example
 * ```ts
 * const m = binaryMetrics([0, 0, 1, 1], [0.1, 0.6, 0.7, 0.9], 0.5);
 * m.accuracy; // 0.75
 * m.confusionMatrix; // { tp: 2, fp: 1, tn: 1, fn: 0 }
 * ```
 */
export function binaryMetrics(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold = 0.5,
): BinaryMetrics {
  if (labels.length !== scores.length || labels.length === 0) {
    throw new CtHemorrhageError(
      'SHAPE_MISMATCH',
      `Metrics need as many scores as labels, at least one; got ${labels.length} labels and ${scores.length} scores.`,
      { expected: labels.length, received: scores.length },
    );
  }
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
  return {
    count: labels.length,
    threshold,
    accuracy: (tp + tn) / labels.length,
    loss: binaryCrossEntropy(labels, scores),
    sensitivity: tp + fn > 0 ? tp / (tp + fn) : Number.NaN,
    specificity: tn + fp > 0 ? tn / (tn + fp) : Number.NaN,
    rocAuc: rocAuc(labels, scores),
    confusionMatrix: { tp, fp, tn, fn },
    intervals: {
      accuracy: wilsonInterval(tp + tn, labels.length),
      sensitivity: wilsonInterval(tp, tp + fn),
      specificity: wilsonInterval(tn, tn + fp),
      rocAuc: delongInterval(labels, scores).interval,
    },
  };
}
