import { checkLabelsAndScores, hasNaN } from './validate.js';

/** z of a two-sided 95% normal interval. */
export const Z95 = 1.959963984540054;

/** A confidence interval `[lower, upper]`. */
export type Interval = readonly [number, number];

/**
 * Wilson score interval of a proportion `successes / n` (95% by default): better than the
 * normal approximation for small `n` and proportions near 0 or 1. `[NaN, NaN]` when `n` is 0.
 *
 * @example
 * ```ts
 * wilsonInterval(8, 10); // [0.4902, 0.9433]
 * ```
 */
export function wilsonInterval(successes: number, n: number, z = Z95): Interval {
  if (n === 0) return [Number.NaN, Number.NaN];
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Mid-ranks (1-based, ties share the mean rank) of `values`. */
function midRanks(values: readonly number[]): Float64Array {
  const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1] as number] === values[order[i] as number]) j++;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

function sampleVariance(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xs[i] as number;
  mean /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += ((xs[i] as number) - mean) ** 2;
  return s / (n - 1);
}

/**
 * ROC AUC with DeLong's variance (DeLong, DeLong & Clarke-Pearson 1988, computed with mid-ranks
 * as Sun & Xu 2014) and its 95% normal interval, clipped to [0, 1]. NaN unless both classes
 * are present, or when a score is NaN. For a resampling interval without the normal
 * approximation see {@link bootstrapAucInterval}.
 *
 * @throws {@link CtHemorrhageError} `SHAPE_MISMATCH` when the lengths differ, `EMPTY_DATASET`
 * when there are no samples, `BAD_INPUT` for a label other than 0/1.
 *
 * @example
 * ```ts
 * delongInterval([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // { auc: 0.75, variance: 0.125, interval: [0.057, 1] }
 * ```
 */
export function delongInterval(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  z = Z95,
): { auc: number; variance: number; interval: Interval } {
  checkLabelsAndScores('delongInterval', labels, scores, 'any');
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === 1 ? pos : neg).push(scores[i] as number);
  const m = pos.length;
  const n = neg.length;
  if (m === 0 || n === 0 || hasNaN(scores)) return { auc: Number.NaN, variance: Number.NaN, interval: [Number.NaN, Number.NaN] };
  const all = midRanks([...pos, ...neg]);
  const posRanks = midRanks(pos);
  const negRanks = midRanks(neg);
  const v10 = Float64Array.from(pos, (_, i) => ((all[i] as number) - (posRanks[i] as number)) / n);
  const v01 = Float64Array.from(neg, (_, j) => 1 - ((all[m + j] as number) - (negRanks[j] as number)) / m);
  let auc = 0;
  for (const v of v10) auc += v;
  auc /= m;
  const variance = sampleVariance(v10) / m + sampleVariance(v01) / n;
  const half = z * Math.sqrt(variance);
  return { auc, variance, interval: [Math.max(0, auc - half), Math.min(1, auc + half)] };
}
