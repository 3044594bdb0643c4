import type { BinaryMetrics } from '../metrics/index.js';

const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const num = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(4));

/** Human-readable block of metrics, with the confusion matrix. */
export function formatMetrics(m: BinaryMetrics, classNames: readonly [string, string]): string {
  const { tp, fp, tn, fn } = m.confusionMatrix;
  const [neg, pos] = classNames;
  const w = Math.max(neg.length, pos.length, 10);
  return [
    `samples      ${m.count}`,
    `threshold    ${m.threshold}`,
    `accuracy     ${pct(m.accuracy)}`,
    `ROC AUC      ${num(m.rocAuc)}`,
    `sensitivity  ${pct(m.sensitivity)}`,
    `specificity  ${pct(m.specificity)}`,
    `loss         ${num(m.loss)}`,
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
