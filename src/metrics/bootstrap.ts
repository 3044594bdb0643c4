import { CtHemorrhageError } from '../errors/index.js';
import { createRng } from '../random/index.js';
import type { Interval } from './intervals.js';
import { checkLabelsAndScores } from './validate.js';

/** Options of {@link bootstrapAucInterval}; defaults in {@link BOOTSTRAP_AUC_DEFAULTS}. */
export interface BootstrapAucOptions {
  /** Bootstrap resamples, an integer >= 1. Default `2000`. */
  rounds?: number;
  /** Seed of the resampling; the same seed gives the same interval. Default `1`. */
  seed?: number;
  /** Confidence level, in (0, 1). Default `0.95`. */
  level?: number;
}

/** Defaults of {@link BootstrapAucOptions}. */
export const BOOTSTRAP_AUC_DEFAULTS = Object.freeze({ rounds: 2000, seed: 1, level: 0.95 });

/** numpy's default (`'linear'`) quantile of sorted `xs`. */
export function quantileSorted(xs: Float64Array, q: number): number {
  const h = (xs.length - 1) * q;
  const lo = Math.floor(h);
  const a = xs[lo] as number;
  const b = xs[Math.min(lo + 1, xs.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/**
 * Stratified bootstrap percentile interval of the ROC AUC. Each of `rounds` resamples draws,
 * with replacement, as many positives from the positives and as many negatives from the
 * negatives as the data holds (so every resample keeps the class balance and has both classes),
 * and computes the AUC (Mann-Whitney, ties counting half, as {@link rocAuc}); the interval runs
 * from the `(1 - level) / 2` to the `(1 + level) / 2` quantile of those AUCs (numpy's default
 * linear interpolation). Resampling uses the library's seeded generator, so a seed always gives
 * the same interval. It makes no normality assumption, unlike {@link delongInterval} (which
 * `binaryMetrics` reports); on small samples it tends to be a little narrower than it should.
 * `[NaN, NaN]` unless both classes are present. Costs `rounds` passes over the data.
 *
 * @throws {@link CtHemorrhageError} `SHAPE_MISMATCH`, `EMPTY_DATASET` or `BAD_INPUT` for the
 * data as {@link rocCurve}, and `BAD_INPUT` for bad options.
 *
 * @example
 * ```ts
 * const labels = [0, 0, 0, 0, 1, 1, 1, 1];
 * const scores = [0.1, 0.3, 0.35, 0.6, 0.4, 0.7, 0.8, 0.9];
 * rocAuc(labels, scores);                            // 0.9375
 * bootstrapAucInterval(labels, scores);              // [0.625, 1]
 * bootstrapAucInterval(labels, scores, { seed: 2 }); // [0.75, 1]: 8 samples say little
 * ```
 */
export function bootstrapAucInterval(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: BootstrapAucOptions = {},
): Interval {
  const { rounds, seed, level } = { ...BOOTSTRAP_AUC_DEFAULTS, ...definedOnly(options) };
  if (!(Number.isInteger(rounds) && rounds >= 1)) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `bootstrapAucInterval takes a whole number of rounds, at least 1 (2000 is usual); got ${String(rounds)}.`,
      { option: 'rounds', expected: 'an integer >= 1', received: rounds },
    );
  }
  if (!(typeof seed === 'number' && Number.isFinite(seed))) {
    throw new CtHemorrhageError('BAD_INPUT', `bootstrapAucInterval takes a numeric seed; got ${String(seed)}.`, {
      option: 'seed',
      expected: 'a finite number',
      received: seed,
    });
  }
  if (!(typeof level === 'number' && level > 0 && level < 1)) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `bootstrapAucInterval takes a confidence level in (0, 1), such as 0.95; got ${String(level)}.`,
      { option: 'level', expected: '(0, 1)', received: level },
    );
  }
  const m = checkLabelsAndScores('bootstrapAucInterval', labels, scores, 'finite');
  const n = labels.length - m;
  if (m === 0 || n === 0) return [Number.NaN, Number.NaN];

  // Rank every sample's score among the distinct scores once; a resample is then a pair of
  // multiplicity vectors over those groups, and its AUC one ascending sweep.
  const distinct = Float64Array.from(scores).sort();
  let groups = 0;
  for (let i = 0; i < distinct.length; i++) {
    if (i === 0 || distinct[i] !== distinct[groups - 1]) distinct[groups++] = distinct[i] as number;
  }
  const groupOf = (s: number) => {
    let lo = 0;
    let hi = groups - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((distinct[mid] as number) < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const posGroup = new Int32Array(m);
  const negGroup = new Int32Array(n);
  for (let i = 0, p = 0, q = 0; i < labels.length; i++) {
    if (labels[i] === 1) posGroup[p++] = groupOf(scores[i] as number);
    else negGroup[q++] = groupOf(scores[i] as number);
  }

  const rng = createRng(seed);
  const posCount = new Float64Array(groups);
  const negCount = new Float64Array(groups);
  const aucs = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) {
    posCount.fill(0);
    negCount.fill(0);
    for (let i = 0; i < m; i++) {
      const g = posGroup[Math.floor(rng() * m)] as number;
      posCount[g] = (posCount[g] as number) + 1;
    }
    for (let j = 0; j < n; j++) {
      const g = negGroup[Math.floor(rng() * n)] as number;
      negCount[g] = (negCount[g] as number) + 1;
    }
    let below = 0;
    let u = 0;
    for (let g = 0; g < groups; g++) {
      const neg = negCount[g] as number;
      u += (posCount[g] as number) * (below + neg / 2);
      below += neg;
    }
    aucs[r] = u / (m * n);
  }
  aucs.sort();
  const alpha = (1 - level) / 2;
  return [quantileSorted(aucs, alpha), quantileSorted(aucs, 1 - alpha)];
}

function definedOnly(options: BootstrapAucOptions): BootstrapAucOptions {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined));
}
