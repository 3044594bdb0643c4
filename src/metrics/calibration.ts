import { CtHemorrhageError } from '../errors/index.js';
import { checkLabelsAndScores } from './validate.js';

/** One bin of a reliability diagram ({@link calibration}). */
export interface CalibrationBin {
  /** Lower edge of the bin (excluded, except 0 in the first bin). */
  lower: number;
  /** Upper edge of the bin (included). */
  upper: number;
  /** Samples whose score falls in the bin. */
  count: number;
  /** Mean score of those samples (the predicted rate); NaN when the bin is empty. */
  meanScore: number;
  /** Share of those samples that are positive (the observed rate); NaN when the bin is empty. */
  positiveRate: number;
}

/** What {@link calibration} returns. */
export interface Calibration {
  /** Expected calibration error: sum over non-empty bins of count / n * |positiveRate - meanScore|. */
  ece: number;
  /** Brier score: mean (score - label)^2; 0 is perfect, 0.25 is a constant 0.5. */
  brier: number;
  /** Every bin, empty ones included (count 0, NaN means), lowest scores first. */
  bins: CalibrationBin[];
}

/** Default number of equal-width bins of {@link calibration} (and of `ece` in `binaryMetrics`). */
export const CALIBRATION_BINS = 10;

/**
 * How well probability `scores` match observed rates: Brier score, expected calibration error
 * (ECE) and the bins of a reliability diagram.
 *
 * The bins split [0, 1] into `bins` equal widths. Their edges are those of
 * `numpy.linspace(0, 1, bins + 1)` and each bin is closed on the right, `(lower, upper]`, the
 * first one also taking 0: exactly the binning of scikit-learn's
 * `calibration_curve(strategy='uniform')` (1.1 and later) and of Guo et al. (2017), so a score
 * of 1.0 goes in the last bin and a score on an edge, such as 0.5, in the bin below it.
 * ECE = sum over non-empty bins of (count / n) * |positiveRate - meanScore|; it depends on the
 * number of bins and is biased upwards on small samples, so compare ECEs only at equal bins and
 * similar n. Brier = mean (score - label)^2, as scikit-learn's `brier_score_loss`.
 *
 * @param bins - Number of equal-width bins, an integer >= 1. Default {@link CALIBRATION_BINS}.
 * @throws {@link CtHemorrhageError} `SHAPE_MISMATCH` when the lengths differ, `EMPTY_DATASET`
 * when there are no samples, `BAD_INPUT` for a label other than 0/1, a score outside [0, 1] or
 * a bad `bins`.
 *
 * @example
 * ```ts
 * const c = calibration([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 2);
 * c.brier; // 0.1581 = (0.01 + 0.16 + 0.4225 + 0.04) / 4
 * c.ece;   // 0.0875 = 3/4 * |1/3 - 0.2833| + 1/4 * |1 - 0.8|
 * c.bins;  // [{ lower: 0, upper: 0.5, count: 3, meanScore: 0.2833, positiveRate: 0.3333 },
 *          //  { lower: 0.5, upper: 1, count: 1, meanScore: 0.8, positiveRate: 1 }]
 * ```
 */
export function calibration(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  bins: number = CALIBRATION_BINS,
): Calibration {
  if (!(Number.isInteger(bins) && bins >= 1)) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `calibration takes a whole number of bins, at least 1 (10 is usual); got ${String(bins)}.`,
      { option: 'bins', expected: 'an integer >= 1', received: bins },
    );
  }
  checkLabelsAndScores('calibration', labels, scores, 'probability');
  return calibrationUnchecked(labels, scores, bins);
}

/** {@link calibration} of checked input. @internal */
export function calibrationUnchecked(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  bins: number,
): Calibration {
  const n = labels.length;
  // numpy.linspace(0, 1, bins + 1): k * (1 / bins), the last edge exactly 1.
  const step = 1 / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? 1 : k * step));
  const counts = new Float64Array(bins);
  const scoreSums = new Float64Array(bins);
  const positives = new Float64Array(bins);
  let brier = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i] as number;
    const y = labels[i] as number;
    brier += (s - y) ** 2;
    // The number of inner edges strictly below s (numpy.searchsorted(edges[1:-1], s, 'left')).
    let b = Math.min(bins - 1, Math.max(0, Math.ceil(s * bins) - 1));
    while (b > 0 && (edges[b] as number) >= s) b--;
    while (b < bins - 1 && (edges[b + 1] as number) < s) b++;
    counts[b] = (counts[b] as number) + 1;
    scoreSums[b] = (scoreSums[b] as number) + s;
    positives[b] = (positives[b] as number) + y;
  }
  let ece = 0;
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const count = counts[b] as number;
    const meanScore = count > 0 ? (scoreSums[b] as number) / count : Number.NaN;
    const positiveRate = count > 0 ? (positives[b] as number) / count : Number.NaN;
    if (count > 0) ece += (count / n) * Math.abs(positiveRate - meanScore);
    out.push({ lower: edges[b] as number, upper: edges[b + 1] as number, count, meanScore, positiveRate });
  }
  return { ece, brier: brier / n, bins: out };
}
