import { CtHemorrhageError } from '../errors/index.js';
import { checkLabelsAndScores } from './validate.js';

/** The ROC curve of {@link rocCurve}: one point per threshold, thresholds descending. */
export interface RocCurve {
  /** False-positive rate (1 - specificity) at each threshold; all NaN without negatives. */
  fpr: number[];
  /** True-positive rate (sensitivity) at each threshold; all NaN without positives. */
  tpr: number[];
  /** `+Infinity` (nothing predicted positive), then every distinct score, descending. */
  thresholds: number[];
}

/** The precision-recall curve of {@link precisionRecallCurve}, recall decreasing. */
export interface PrecisionRecallCurve {
  /** Precision at each threshold, then a final `1` (the curve's start at recall 0). */
  precision: number[];
  /** Recall at each threshold, then a final `0`; all but that final 0 NaN without positives. */
  recall: number[];
  /** Every distinct score, ascending; one fewer than precision and recall. */
  thresholds: number[];
}

/**
 * Where in the gap between two neighbouring scores {@link selectThreshold} puts the threshold:
 * `'score'` (default) on the higher score itself, as scikit-learn reports it; `'midway'` halfway
 * to the next lower score (in log-odds when both are probabilities strictly inside (0, 1),
 * else arithmetically). Both give the same calls on the data given; `'midway'` leaves a margin
 * on both sides, so new scores near the edge of the gap are called as the nearer class. Use it
 * when the threshold is applied to new data, as after choosing it on a validation split.
 */
export type ThresholdPlacement = 'score' | 'midway';

/** How {@link selectThreshold} picks the operating point. */
export type ThresholdOptions =
  /** Maximise Youden's J = sensitivity + specificity - 1. */
  | { method: 'youden'; placement?: ThresholdPlacement }
  /**
   * Youden's J with the one-standard-error rule: of the cuts whose balanced accuracy is within one
   * standard error of the best cut's, the one nearest `prior` (default 0.5).
   */
  | { method: 'youden-1se'; prior?: number; placement?: ThresholdPlacement }
  /** The highest threshold whose sensitivity reaches `target` (a fraction in (0, 1], e.g. 0.95). */
  | { method: 'sensitivity'; target: number; placement?: ThresholdPlacement };

/** An operating point picked by {@link selectThreshold}. */
export interface OperatingPoint {
  /**
   * Predict hemorrhage when `score >= threshold`: a score from the data, or with
   * `placement: 'midway'` a value between two neighbouring scores.
   */
  threshold: number;
  /** Sensitivity (tp / positives) at the threshold, on the data given. */
  sensitivity: number;
  /** Specificity (tn / negatives) at the threshold, on the data given. */
  specificity: number;
}

/**
 * Cumulative counts at every distinct score, descending (scikit-learn's `_binary_clf_curve`):
 * `tps[k]` and `fps[k]` are the positives and negatives scoring `>= thresholds[k]`.
 */
interface Sweep {
  thresholds: number[];
  tps: number[];
  fps: number[];
  positives: number;
  negatives: number;
}

function sweep(labels: ArrayLike<number>, scores: ArrayLike<number>, positives: number): Sweep {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number),
  );
  const thresholds: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    if (labels[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      thresholds.push(scores[i] as number);
      tps.push(tp);
      fps.push(fp);
    }
  }
  return { thresholds, tps, fps, positives, negatives: n - positives };
}

/**
 * The ROC curve of probability (or any finite) `scores` against 0/1 `labels`, with
 * scikit-learn's `roc_curve(labels, scores, drop_intermediate=False)` semantics: a point at
 * every distinct score, thresholds descending, predicting positive when `score >= threshold`,
 * and a first point `(0, 0)` at threshold `+Infinity`. (scikit-learn 1.3 and later also put
 * `inf` there; 1.2 puts `max(score) + 1`.) Without negatives `fpr` is all NaN, without positives
 * `tpr` is, as in scikit-learn.
 *
 * @throws {@link CtHemorrhageError} `SHAPE_MISMATCH` when the lengths differ, `EMPTY_DATASET`
 * when there are no samples, `BAD_INPUT` for a label other than 0/1 or a non-finite score.
 *
 * @example
 * ```ts
 * rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // { fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1],
 * //   thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1] }
 * ```
 */
export function rocCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): RocCurve {
  const positives = checkLabelsAndScores('rocCurve', labels, scores, 'finite');
  const s = sweep(labels, scores, positives);
  const rate = (counts: number[], total: number) =>
    [0, ...counts].map((c) => (total > 0 ? c / total : Number.NaN));
  return {
    fpr: rate(s.fps, s.negatives),
    tpr: rate(s.tps, s.positives),
    thresholds: [Number.POSITIVE_INFINITY, ...s.thresholds],
  };
}

/**
 * The precision-recall curve of `scores` against 0/1 `labels`, with the semantics of
 * scikit-learn 1.2's `precision_recall_curve` (1.2.1, as in Debian bookworm): thresholds are
 * every distinct score, ascending, predicting positive when `score >= threshold`; `precision`
 * and `recall` hold one value per threshold and then a final `(precision 1, recall 0)` point,
 * so recall decreases along the arrays. One difference: without positives scikit-learn sets
 * recall to 1 (with a warning); here it is NaN, since recall is undefined.
 *
 * @throws {@link CtHemorrhageError} `SHAPE_MISMATCH`, `EMPTY_DATASET` or `BAD_INPUT`, as
 * {@link rocCurve}.
 *
 * @example
 * ```ts
 * precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // { precision: [0.5, 0.6667, 0.5, 1, 1], recall: [1, 1, 0.5, 0.5, 0],
 * //   thresholds: [0.1, 0.35, 0.4, 0.8] }
 * ```
 */
export function precisionRecallCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): PrecisionRecallCurve {
  const positives = checkLabelsAndScores('precisionRecallCurve', labels, scores, 'finite');
  const s = sweep(labels, scores, positives);
  const precision = s.tps.map((tp, k) => tp / (tp + (s.fps[k] as number))).reverse();
  const recall = s.tps.map((tp) => (positives > 0 ? tp / positives : Number.NaN)).reverse();
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds: s.thresholds.slice().reverse() };
}

/**
 * Average precision: the area under the precision-recall curve as a step function,
 * `sum_k (R_k - R_(k-1)) * P_k` over the thresholds of {@link precisionRecallCurve}, exactly
 * as scikit-learn's `average_precision_score` (no interpolation). This is the PR AUC the
 * library reports (`prAuc` of {@link binaryMetrics}): the trapezoidal rule draws straight lines
 * between PR points, but precision does not vary linearly between them, and the lines
 * overestimate the area, most where positives are rare (Davis & Goadrich 2006). Its baseline is
 * the positive rate, not 0.5. NaN unless both classes are present (scikit-learn returns 0
 * without positives and 1 without negatives, neither of which measures anything).
 *
 * @throws {@link CtHemorrhageError} `SHAPE_MISMATCH`, `EMPTY_DATASET` or `BAD_INPUT`, as
 * {@link rocCurve}.
 *
 * @example
 * ```ts
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333 = 0.5 * 1 + 0.5 * 2/3
 * ```
 */
export function averagePrecision(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const positives = checkLabelsAndScores('averagePrecision', labels, scores, 'finite');
  return averagePrecisionUnchecked(labels, scores, positives);
}

/** {@link averagePrecision} of checked input. @internal */
export function averagePrecisionUnchecked(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  positives: number,
): number {
  if (positives === 0 || positives === labels.length) return Number.NaN;
  const s = sweep(labels, scores, positives);
  let ap = 0;
  let previous = 0;
  s.tps.forEach((tp, k) => {
    ap += ((tp - previous) / positives) * (tp / (tp + (s.fps[k] as number)));
    previous = tp;
  });
  return ap;
}

/**
 * Picks a decision threshold from the data's own scores (predict hemorrhage when
 * `score >= threshold`), with the sensitivity and specificity it gives on that data.
 *
 * - `{ method: 'youden' }`: the threshold maximising Youden's J = sensitivity + specificity - 1
 *   over the points of {@link rocCurve}. Ties go to the higher threshold (fewer positive
 *   calls); J is compared exactly, in integer counts, so ties are real ties.
 * - `{ method: 'youden-1se', prior }`: Youden's J with the one-standard-error rule, for small
 *   validation sets. The best cut's balanced accuracy, (sensitivity + specificity) / 2, has a
 *   standard error of `0.5 * sqrt(se(1 - se) / positives + sp(1 - sp) / negatives)`; of the cuts
 *   whose balanced accuracy is at least the best minus that error, the one whose range of
 *   thresholds lies nearest `prior` (default 0.5, the natural cut of a model trained with
 *   balanced class weights) wins. The threshold is `prior` itself when it gives that cut's
 *   calls, else the cut's threshold by `placement`. On 30 images the best cut is often luck; a
 *   cut that is as good within the noise but nearer the trained cut holds better on new data,
 *   and a model whose scores really are shifted (no cut near `prior` comes close) still gets
 *   its shifted threshold.
 * - `{ method: 'sensitivity', target }`: the highest threshold whose sensitivity is at least
 *   `target` (in (0, 1], e.g. 0.95). Sensitivity only falls as the threshold rises, so this is
 *   the point that reaches the target with the best specificity, i.e. the lowest false-positive
 *   rate; any lower threshold adds false positives without being needed to reach the target.
 *   (Read "the lowest threshold reaching the target" in that sense: the threshold at which the
 *   target is first reached when lowering it from the top.) It always exists: the lowest score
 *   gives sensitivity 1.
 *
 * The threshold is that score itself, or with `placement: 'midway'` the point halfway (in
 * log-odds for probabilities) to the next lower distinct score: the same calls on this data,
 * with a margin on both sides for new data. A model whose validation scores are 0.99 and 0.01
 * either side of the gap gets 0.5 rather than 0.99. The lowest score has nothing below it and
 * stays as it is.
 *
 * A threshold chosen on data and then measured on the same data is optimistic: choose it on
 * validation data and report metrics on a separate test set.
 *
 * @throws {@link CtHemorrhageError} `EMPTY_DATASET` unless both classes are present,
 * `BAD_INPUT` for an unknown method or placement, or a target outside (0, 1], and as
 * {@link rocCurve}.
 *
 * @example
 * ```ts
 * const labels = [0, 0, 1, 1, 0, 1];
 * const scores = [0.1, 0.4, 0.35, 0.8, 0.6, 0.9];
 * selectThreshold(labels, scores, { method: 'youden' });
 * // { threshold: 0.8, sensitivity: 0.6667, specificity: 1 }
 * selectThreshold(labels, scores, { method: 'youden', placement: 'midway' });
 * // { threshold: 0.7101 (between 0.8 and 0.6), sensitivity: 0.6667, specificity: 1 }
 * selectThreshold(labels, scores, { method: 'sensitivity', target: 0.95 });
 * // { threshold: 0.35, sensitivity: 1, specificity: 0.3333 }
 * selectThreshold(labels, scores, { method: 'youden-1se' });
 * // { threshold: 0.8, sensitivity: 0.6667, specificity: 1 }: no cut nearer 0.5 comes within
 * // one standard error (0.14) of the best balanced accuracy (0.83)
 * ```
 */
export function selectThreshold(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: ThresholdOptions,
): OperatingPoint {
  const method = (options as { method?: unknown } | undefined)?.method;
  if (method !== 'youden' && method !== 'youden-1se' && method !== 'sensitivity') {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `selectThreshold takes { method: 'youden' }, { method: 'youden-1se', prior } or { method: 'sensitivity', target }; got method ${String(method)}.`,
      { option: 'method', expected: ['youden', 'youden-1se', 'sensitivity'], received: method },
    );
  }
  const prior = options.method === 'youden-1se' ? (options.prior ?? 0.5) : 0.5;
  if (!(typeof prior === 'number' && Number.isFinite(prior))) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `selectThreshold's prior is the threshold to stay near, a finite number such as 0.5; got ${String(prior)}.`,
      { option: 'prior', expected: 'a finite number', received: prior },
    );
  }
  const placement = options.placement ?? 'score';
  if (placement !== 'score' && placement !== 'midway') {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `selectThreshold's placement is 'score' or 'midway'; got ${String(placement)}.`,
      { option: 'placement', expected: ['score', 'midway'], received: placement },
    );
  }
  const target = options.method === 'sensitivity' ? options.target : 1;
  if (!(typeof target === 'number' && target > 0 && target <= 1)) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `selectThreshold's sensitivity target is a fraction in (0, 1], such as 0.95; got ${String(target)}.`,
      { option: 'target', expected: '(0, 1]', received: target },
    );
  }
  const positives = checkLabelsAndScores('selectThreshold', labels, scores, 'finite');
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new CtHemorrhageError(
      'EMPTY_DATASET',
      `selectThreshold needs both classes; got ${positives} positives and ${negatives} negatives. Choose the threshold on data with both.`,
      { option: 'labels', expected: 'both classes', received: { positives, negatives } },
    );
  }
  const s = sweep(labels, scores, positives);
  const { cut: best, atPrior } =
    method === 'youden-1se'
      ? oneStandardError(s, prior)
      : { cut: method === 'youden' ? youdenIndex(s) : s.tps.findIndex((tp) => tp / positives >= target), atPrior: false };
  const upper = s.thresholds[best] as number;
  const lower = s.thresholds[best + 1];
  return {
    threshold: atPrior ? prior : placement === 'midway' && lower !== undefined ? midway(upper, lower) : upper,
    sensitivity: (s.tps[best] as number) / positives,
    specificity: (negatives - (s.fps[best] as number)) / negatives,
  };
}

/** The best cut by Youden's J (ties to the higher threshold), as an index into the sweep. */
function youdenIndex(s: Sweep): number {
  // J * positives * negatives, an integer: exact comparison, so ties are real ties.
  let best = 0;
  let bestJ = Number.NEGATIVE_INFINITY;
  s.tps.forEach((tp, k) => {
    const j = tp * s.negatives - (s.fps[k] as number) * s.positives;
    if (j > bestJ) {
      bestJ = j;
      best = k;
    }
  });
  return best;
}

/**
 * `{ method: 'youden-1se' }` of {@link selectThreshold}: the sweep index of the chosen cut, and
 * whether `prior` itself gives its calls.
 */
function oneStandardError(s: Sweep, prior: number): { cut: number; atPrior: boolean } {
  const sens = (k: number) => (s.tps[k] as number) / s.positives;
  const spec = (k: number) => (s.negatives - (s.fps[k] as number)) / s.negatives;
  const balanced = (k: number) => (sens(k) + spec(k)) / 2;
  const best = youdenIndex(s);
  const se = 0.5 * Math.sqrt((sens(best) * (1 - sens(best))) / s.positives + (spec(best) * (1 - spec(best))) / s.negatives);
  // Rounding must not drop the best cut itself, or cuts as good as it.
  const floor = balanced(best) - se - 1e-12;
  let chosen = best;
  let chosenInside = false;
  let chosenDistance = Number.POSITIVE_INFINITY;
  s.thresholds.forEach((upper, k) => {
    if (balanced(k) < floor) return;
    // Thresholds in (lower, upper] give this cut's calls on the data.
    const lower = s.thresholds[k + 1] ?? Number.NEGATIVE_INFINITY;
    const inside = prior > lower && prior <= upper;
    const distance = inside ? 0 : prior > upper ? prior - upper : lower - prior;
    const nearer = distance < chosenDistance || (distance === chosenDistance && inside && !chosenInside);
    const asNear = distance === chosenDistance && inside === chosenInside;
    if (nearer || (asNear && balanced(k) > balanced(chosen))) {
      chosen = k;
      chosenInside = inside;
      chosenDistance = distance;
    }
  });
  return { cut: chosen, atPrior: chosenInside };
}

/** A value in (lower, upper]: halfway in log-odds when both are in (0, 1), else arithmetically. */
function midway(upper: number, lower: number): number {
  const logit = (p: number) => Math.log(p / (1 - p));
  const mid =
    lower > 0 && upper < 1 ? 1 / (1 + Math.exp(-(logit(upper) + logit(lower)) / 2)) : lower + (upper - lower) / 2;
  // Scores one rounding step apart can round the midpoint onto `lower`: keep the calls exact.
  return mid > lower && mid <= upper ? mid : upper;
}
