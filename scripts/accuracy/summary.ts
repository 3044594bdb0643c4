// Summary of one architecture's cross-validation runs (one per seed) for npm run accuracy.
import type { CrossValidation } from '../../src/crossval/index.js';
import { binaryMetrics, delongInterval, wilsonInterval, type Interval } from '../../src/metrics/index.js';
import type { Recipe } from './recipe.js';

export interface SeedRun {
  readonly seed: number;
  readonly cv: CrossValidation;
  readonly seconds: number;
}

/** A metric: mean over seeds, its 95% interval, and the per-seed values. */
export interface Estimate {
  readonly mean: number;
  readonly interval: Interval;
  readonly perSeed: number[];
}

export interface ModelSummary {
  readonly arch: string;
  readonly recipe: Recipe;
  readonly accuracy: Estimate;
  readonly sensitivity: Estimate;
  readonly specificity: Estimate;
  readonly auc: Estimate;
  /** Accuracy of the same out-of-fold scores at a fixed 0.5, for comparison with the chosen thresholds. */
  readonly accuracyAtHalf: Estimate;
  /** Every fold's chosen threshold, over all seeds. */
  readonly thresholds: number[];
  /** Mean and range of the fold AUCs over all seeds. */
  readonly foldAucs: number[];
  readonly minutesPerRun: number;
  readonly line: string;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Every image is scored once per seed, by the fold model that did not train on it, at that
 * fold's threshold (chosen on the fold's own validation split). Accuracy, sensitivity and
 * specificity pool those calls over the folds of a seed; their intervals are Wilson intervals
 * for the mean over seeds with the data's own n (seeds reuse the same images, so they add no
 * samples). The AUC is the pooled out-of-fold AUC; its interval is DeLong's, averaged over seeds.
 */
export function summarise(arch: string, recipe: Recipe, runs: readonly SeedRun[]): ModelSummary {
  const per = runs.map(({ cv }) => {
    const c = cv.folds.reduce(
      (acc, f) => ({
        tp: acc.tp + f.metrics.confusionMatrix.tp,
        fp: acc.fp + f.metrics.confusionMatrix.fp,
        tn: acc.tn + f.metrics.confusionMatrix.tn,
        fn: acc.fn + f.metrics.confusionMatrix.fn,
      }),
      { tp: 0, fp: 0, tn: 0, fn: 0 },
    );
    return {
      accuracy: (c.tp + c.tn) / (c.tp + c.tn + c.fp + c.fn),
      sensitivity: c.tp / (c.tp + c.fn),
      specificity: c.tn / (c.tn + c.fp),
      positives: c.tp + c.fn,
      negatives: c.tn + c.fp,
      accuracyAtHalf: binaryMetrics(cv.labels, cv.scores, 0.5).accuracy,
      auc: cv.pooled.rocAuc,
      aucInterval: delongInterval(cv.labels, cv.scores).interval,
    };
  });
  const proportion = (key: 'accuracy' | 'sensitivity' | 'specificity' | 'accuracyAtHalf', n: number): Estimate => {
    const values = per.map((p) => p[key]);
    const m = mean(values);
    return { mean: m, interval: wilsonInterval(Math.round(m * n), n), perSeed: values };
  };
  const first = per[0] as (typeof per)[number];
  const auc: Estimate = {
    mean: mean(per.map((p) => p.auc)),
    interval: [mean(per.map((p) => p.aucInterval[0])), mean(per.map((p) => p.aucInterval[1]))],
    perSeed: per.map((p) => p.auc),
  };
  const s = {
    accuracy: proportion('accuracy', first.positives + first.negatives),
    sensitivity: proportion('sensitivity', first.positives),
    specificity: proportion('specificity', first.negatives),
    auc,
    accuracyAtHalf: proportion('accuracyAtHalf', first.positives + first.negatives),
  };
  const pct = (e: Estimate) => `${(100 * e.mean).toFixed(1)}% (${(100 * e.interval[0]).toFixed(1)}-${(100 * e.interval[1]).toFixed(1)})`;
  const minutesPerRun = mean(runs.map((r) => r.seconds)) / 60;
  const thresholds = runs.flatMap((r) => r.cv.folds.map((f) => f.metrics.threshold));
  return {
    arch,
    recipe,
    ...s,
    thresholds,
    foldAucs: runs.flatMap((r) => r.cv.folds.map((f) => f.metrics.rocAuc)),
    minutesPerRun,
    line:
      `${arch}: accuracy ${pct(s.accuracy)}, sensitivity ${pct(s.sensitivity)}, specificity ${pct(s.specificity)}, ` +
      `AUC ${auc.mean.toFixed(3)} (${auc.interval[0].toFixed(3)}-${auc.interval[1].toFixed(3)}); at a fixed 0.5 accuracy ${pct(s.accuracyAtHalf)}; ` +
      `thresholds ${thresholds.map((t) => t.toFixed(2)).join(' ')}; ${runs.length} seed(s), ${minutesPerRun.toFixed(1)} min per run`,
  };
}
