// Writes docs/results.md for npm run accuracy.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ResizeMode } from '../../src/preprocessing/index.js';
import type { ModelSummary } from './summary.js';

export interface RunFacts {
  readonly folds: number;
  readonly seeds: readonly number[];
  readonly seconds: number;
  readonly backend: string;
  readonly images: number;
  /** `grouped` (by groups.csv) or `random` (every image its own group: leaks). */
  readonly split: 'grouped' | 'random';
  /** Shortcuts check: slices made grey and square (padded or cropped) before resizing. */
  readonly square?: 'pad' | 'crop';
  /** `--resize`: the resize mode every model used in place of its recipe's. */
  readonly resize?: ResizeMode;
  /** Table rows of other models kept from the file this run replaces (`--merge`), as written there. */
  readonly keptRows?: readonly string[];
}

/** The header of the measured table; `--merge` keeps rows only from a table with this header. */
export const TABLE_HEADER = '| model | input | seeds | accuracy (95% CI) | sensitivity | specificity | ROC AUC (95% CI) | fold AUCs | min per CV run |';

/**
 * The rows of `previous` (an earlier results file) for models other than `models`: what
 * `--merge` keeps, so one model can be rerun without rerunning the others. Rows of a table
 * with other columns are not kept (their numbers would land under the wrong headings).
 */
export function keptRows(previous: string, models: readonly string[]): string[] {
  const lines = previous.split('\n');
  const start = lines.indexOf(TABLE_HEADER);
  if (start < 0) return [];
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('| ')) break;
    if (!models.includes(rowModel(line))) rows.push(line);
  }
  return rows;
}

/** The model named in the first cell of a table row. */
function rowModel(row: string): string {
  return row.slice(2, row.indexOf(' |', 2));
}

/** How the table's input column names a resize mode (stretch, the usual one, is left unnamed). */
const RESIZE_WORDS: Readonly<Record<ResizeMode, string>> = { stretch: 'stretched', crop: 'centre square', pad: 'padded square' };
/** What `--resize` did to every slice, for the run's settings. */
const RESIZE_RUN: Readonly<Record<ResizeMode, string>> = {
  stretch: 'stretched every slice to its input size',
  crop: 'took the centre square of every slice',
  pad: 'padded every slice with black to a square',
};

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const range = (i: readonly [number, number], f: (x: number) => string) => `${f(i[0])}-${f(i[1])}`;

/** The measured table, the settings and how to read it; the comparison text is in RESULTS_TEXT. */
export function resultsMarkdown(summaries: readonly ModelSummary[], facts: RunFacts, text: string): string {
  const rows = summaries.map(
    (s) =>
      `| ${s.arch} | ${s.recipe.inputSize}², ${s.recipe.resize === 'stretch' ? '' : `${RESIZE_WORDS[s.recipe.resize]}, `}${s.recipe.convBlocks} blocks | ${facts.seeds.join(', ')} | ${pct(s.accuracy.mean)} (${range(s.accuracy.interval, pct)}) | ` +
      `${pct(s.sensitivity.mean)} (${range(s.sensitivity.interval, pct)}) | ${pct(s.specificity.mean)} (${range(s.specificity.interval, pct)}) | ` +
      `${s.auc.mean.toFixed(3)} (${range(s.auc.interval, (x) => x.toFixed(3))}) | ` +
      `${Math.min(...s.foldAucs).toFixed(2)}-${Math.max(...s.foldAucs).toFixed(2)} | ${s.minutesPerRun.toFixed(1)} |`,
  );
  const kept = facts.keptRows ?? [];
  const keptModels = kept.map(rowModel);
  return [
    '# Results on real data: grouped cross-validation of the head CT slices',
    '',
    '_Written by `npm run accuracy`. For research and education, not for diagnosis._',
    '',
    `${facts.split === 'grouped' ? 'Grouped' : 'Random (NOT grouped: slices of one scan on both sides)'}, stratified ${facts.folds}-fold cross-validation on the ${facts.images} Kaggle head CT slices in ` +
      `\`../shared/data/head_ct\`${facts.split === 'grouped' ? ' (groups from \`groups.csv\`)' : ''}, seeds ${facts.seeds.join(', ')}; ` +
      `backend ${facts.backend}; run time ${(facts.seconds / 60).toFixed(0)} min.` +
      (facts.square === 'pad' ? ' Shortcuts check: every slice made one grey channel and padded with black to a square before resizing.' : '') +
      (facts.square === 'crop' ? ' Shortcuts check: every slice made one grey channel and cropped to its centre square before resizing.' : '') +
      (facts.resize ? ` Every model ${RESIZE_RUN[facts.resize]} (\`--resize ${facts.resize}\`).` : '') +
      (kept.length > 0
        ? ` The row${kept.length > 1 ? 's' : ''} of ${keptModels.join(', ')} ${kept.length > 1 ? 'are' : 'is'} kept from an earlier run (\`--merge\`; same data, folds and recipe, the seeds in the row).`
        : ''),
    '',
    TABLE_HEADER,
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    ...kept,
    '',
    text,
    '',
  ].join('\n');
}

/** Writes the results file; with `merge`, keeps the rows of the models this run did not measure from the file at `path`. */
export async function writeResults(path: string, summaries: readonly ModelSummary[], facts: RunFacts, merge = false): Promise<void> {
  const { RESULTS_TEXT, SHORTCUTS_TEXT } = await import('./text.js');
  const withKept = merge
    ? { ...facts, keptRows: keptRows(await readFile(path, 'utf8').catch(() => ''), summaries.map((s) => s.arch)) }
    : facts;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, resultsMarkdown(summaries, withKept, facts.square ? SHORTCUTS_TEXT : RESULTS_TEXT));
}
