// Seed ensembles of npm run accuracy's out-of-fold scores, with no training:
//   npm run accuracy:ensemble -- --scores <csv> [--models deep] [--seeds 1,2,3]
// For each model, prints every seed alone and the ensemble of all of them (each image's scores,
// centred on their fold model's threshold, averaged over the seeds and called at 0.5).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseScores, seedEnsemble, type EnsembleMetrics } from './accuracy/ensemble.js';

const { values } = parseArgs({ options: { scores: { type: 'string' }, models: { type: 'string' }, seeds: { type: 'string' } } });
if (!values.scores) throw new Error('give --scores <csv>, the file npm run accuracy -- --scores <csv> wrote');
const rows = parseScores(await readFile(values.scores, 'utf8'));
const models = values.models ? values.models.split(',') : [...new Set(rows.map((r) => r.model))];
const seeds = values.seeds ? values.seeds.split(',').map(Number) : undefined;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const line = (label: string, m: EnsembleMetrics) =>
  `${label}: accuracy ${pct(m.accuracy)} (${pct(m.accuracyInterval[0])}-${pct(m.accuracyInterval[1])}), sensitivity ${pct(m.sensitivity)}, ` +
  `specificity ${pct(m.specificity)}, AUC ${m.auc.toFixed(3)} (${m.aucInterval[0].toFixed(3)}-${m.aucInterval[1].toFixed(3)}); ${m.images} images`;
for (const model of models) {
  const all = seedEnsemble(rows, model, seeds);
  for (const seed of all.seeds) console.log(line(`${model} seed ${seed}`, seedEnsemble(rows, model, [seed])));
  console.log(line(`${model} ensemble of seeds ${all.seeds.join(', ')}`, all));
}
