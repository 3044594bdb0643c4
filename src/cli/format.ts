import type { BinaryMetrics } from '../metrics/index.js';

const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const num = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(4));
const ci = (i: readonly [number, number], f: (x: number) => string) =>
  Number.isNaN(i[0]) ? '' : `  (95% CI ${f(i[0])} to ${f(i[1])})`;

/**
 * Human-readable block of metrics: the threshold metrics and ROC AUC first (as before), then
 * PR AUC, PPV, NPV, F1, balanced accuracy, Brier score and ECE, then the confusion matrix.
 * Undefined metrics print as `n/a`.
 */
export function formatMetrics(m: BinaryMetrics, classNames: readonly [string, string]): string {
  const { tp, fp, tn, fn } = m.confusionMatrix;
  const [neg, pos] = classNames;
  const w = Math.max(neg.length, pos.length, 10);
  return [
    `samples      ${m.count}`,
    `threshold    ${m.threshold}`,
    `accuracy     ${pct(m.accuracy)}${ci(m.intervals.accuracy, pct)}`,
    `ROC AUC      ${num(m.rocAuc)}${ci(m.intervals.rocAuc, num)}`,
    `sensitivity  ${pct(m.sensitivity)}${ci(m.intervals.sensitivity, pct)}`,
    `specificity  ${pct(m.specificity)}${ci(m.intervals.specificity, pct)}`,
    `loss         ${num(m.loss)}`,
    `PR AUC       ${num(m.prAuc)}${Number.isNaN(m.prAuc) ? '' : '  (average precision)'}`,
    `PPV          ${pct(m.ppv)}${ci(m.intervals.ppv, pct)}`,
    `NPV          ${pct(m.npv)}${ci(m.intervals.npv, pct)}`,
    `F1           ${num(m.f1)}`,
    `balanced acc ${pct(m.balancedAccuracy)}`,
    `Brier        ${num(m.brier)}`,
    `ECE          ${num(m.ece)}${Number.isNaN(m.ece) ? '' : '  (10 equal-width bins)'}`,
    'intervals: Wilson score for proportions, DeLong for ROC AUC',
    'confusion matrix (rows: true class, columns: predicted)',
    `  ${''.padEnd(w)}  ${neg.padStart(w)}  ${pos.padStart(w)}`,
    `  ${neg.padEnd(w)}  ${String(tn).padStart(w)}  ${String(fp).padStart(w)}`,
    `  ${pos.padEnd(w)}  ${String(fn).padStart(w)}  ${String(tp).padStart(w)}`,
  ].join('\n');
}

/** Formats epoch logs as `loss=0.6931 acc=0.5000 ...`. */
export function formatLogs(logs: Record<string, number>): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k}=${v.toFixed(4)}`)
    .join(' ');
}
