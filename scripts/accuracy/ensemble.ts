// Seed ensembles from the out-of-fold scores npm run accuracy writes (--scores <csv>): every
// seed's score for an image comes from a fold model that never saw the image's group, so their
// mean is the out-of-fold score of an ensemble of those models, with no training again.
import { parseCsv } from '../../src/data/index.js';
import { binaryMetrics, type Interval } from '../../src/metrics/index.js';
import { SCORES_HEADER } from './scores.js';

export interface ScoreRow {
  readonly model: string;
  readonly seed: number;
  readonly id: string;
  readonly label: number;
  readonly score: number;
  readonly threshold: number;
}

/** The rows of a scores CSV; an error naming the line for anything but the header's 8 fields. */
export function parseScores(text: string): ScoreRow[] {
  const [header, ...lines] = parseCsv(text);
  if (header?.join(',') !== SCORES_HEADER) throw new Error(`not a scores file of npm run accuracy: its first line must be ${SCORES_HEADER}`);
  return lines.map((f, i) => {
    const [model, seed, id, , label, , score, threshold] = f;
    const row = { model: model ?? '', seed: Number(seed), id: id ?? '', label: Number(label), score: Number(score), threshold: threshold ? Number(threshold) : 0.5 };
    if (f.length !== 8 || !Number.isFinite(row.score) || !(row.label === 0 || row.label === 1) || !(row.threshold > 0 && row.threshold < 1)) {
      throw new Error(`line ${i + 2} of the scores file is not model,seed,id,group,label,fold,score,threshold: ${f.join(',')}`);
    }
    return row;
  });
}

const logit = (p: number) => {
  const q = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
  return Math.log(q / (1 - q));
};

/**
 * A score moved on the logit scale so that the fold model's own threshold lands on 0.5: the
 * calls stay the same, and models that chose different thresholds become comparable.
 */
export function centredScore(score: number, threshold: number): number {
  return 1 / (1 + Math.exp(-(logit(score) - logit(threshold))));
}

export interface EnsembleMetrics {
  readonly seeds: number[];
  readonly images: number;
  readonly accuracy: number;
  readonly accuracyInterval: Interval;
  readonly sensitivity: number;
  readonly specificity: number;
  readonly auc: number;
  readonly aucInterval: Interval;
}

/**
 * The ensemble of `model`'s seeds: each image's centred scores averaged over the seeds, called
 * at 0.5 (each member at its own threshold, weighted by its confidence). Only images every seed
 * scored count.
 */
export function seedEnsemble(rows: readonly ScoreRow[], model: string, seeds?: readonly number[]): EnsembleMetrics {
  const mine = rows.filter((r) => r.model === model && (seeds === undefined || seeds.includes(r.seed)));
  const used = [...new Set(mine.map((r) => r.seed))].sort((a, b) => a - b);
  if (used.length === 0) throw new Error(`the scores file has no rows of model ${model}${seeds ? ` with seeds ${seeds.join(', ')}` : ''}`);
  const byImage = new Map<string, { label: number; sum: number; n: number }>();
  for (const r of mine) {
    const e = byImage.get(r.id) ?? { label: r.label, sum: 0, n: 0 };
    e.sum += centredScore(r.score, r.threshold);
    e.n += 1;
    byImage.set(r.id, e);
  }
  const complete = [...byImage.values()].filter((e) => e.n === used.length);
  const labels = Float32Array.from(complete, (e) => e.label);
  const scores = Float32Array.from(complete, (e) => e.sum / e.n);
  const m = binaryMetrics(labels, scores, 0.5);
  return {
    seeds: used,
    images: complete.length,
    accuracy: m.accuracy,
    accuracyInterval: m.intervals.accuracy,
    sensitivity: m.sensitivity,
    specificity: m.specificity,
    auc: m.rocAuc,
    aucInterval: m.intervals.rocAuc,
  };
}
