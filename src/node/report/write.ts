import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CtHemorrhageError } from '../../errors/index.js';
import {
  modelCardMarkdown,
  reportMarkdown,
  reportPlots,
  reportSummary,
  type ModelCardInput,
  type ReportInput,
  type ReportSection,
  type ReportSummary,
  type TrainHistoryLike,
} from '../../report/index.js';
import { renderPlot } from './render.js';

/** File name of a report's numbers. */
export const REPORT_JSON = 'report.json';
/** File name of a report's Markdown. */
export const REPORT_MD = 'report.md';
/** File name of a model card, next to `model.json`. */
export const MODEL_CARD_MD = 'MODEL_CARD.md';
/** File name of the training history, next to `model.json`. */
export const HISTORY_JSON = 'history.json';

/** What {@link writeReport} takes: a {@link ReportInput} plus extra sections and the PNG scale. */
export interface WriteReportInput extends ReportInput {
  /** Sections appended to `report.md` after the plots (e.g. `{ heading: 'Grad-CAM', body: '...' }`). */
  readonly sections?: readonly ReportSection[];
  /** Pixels per SVG unit of the PNGs. Default `2`. */
  readonly scale?: number;
}

/** What {@link writeReport} wrote. */
export interface WrittenReport {
  /** Paths of the files written, `report.json` and `report.md` first. */
  readonly files: readonly string[];
  /** The numbers in `report.json`. */
  readonly summary: ReportSummary;
}

/** JSON with NaN and infinities as `null`, two-space indented, ending in a newline. */
function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/**
 * Writes an evaluation or cross-validation report to the folder `dir` (created if needed):
 * `report.json` (every number: counts, metrics with intervals and methods, folds, histories,
 * every sample's score), `report.md` (human-readable, with the disclaimer) and one PNG per plot
 * (`roc.png`, `roc-folds.png` for a cross-validation, `precision-recall.png`, `calibration.png`,
 * `confusion-matrix.png`, and `training-curves.png` when a history is given). Existing files of
 * those names are replaced; other files in `dir` are left alone.
 *
 * @throws {@link CtHemorrhageError} `BAD_INPUT` as {@link reportSummary}, and
 * `FILE_NOT_FOUND` when the folder cannot be written.
 *
 * @example
 * ```ts
 * const result = await evaluate(model, images);
 * const { files } = await writeReport('reports/val', {
 *   evaluation: result,
 *   modelInfo: getModelInfo(model),
 *   dataset: 'head_ct: 160 Kaggle PNG slices (80 hemorrhage, 80 normal)',
 *   split: 'all images; the model was trained on other data',
 * });
 * // ['reports/val/report.json', 'reports/val/report.md', 'reports/val/roc.png', ...]
 * ```
 */
export async function writeReport(dir: string, input: WriteReportInput): Promise<WrittenReport> {
  const summary = reportSummary(input);
  const plots = reportPlots(input);
  const rendered = await Promise.all(
    plots.map(async (p) => ({ ...p, png: await renderPlot(p.spec, { scale: input.scale ?? 2 }) })),
  );
  const markdown = reportMarkdown(summary, {
    images: plots.map((p) => ({ title: p.title, path: `${p.name}.png`, caption: p.caption })),
    ...(input.sections ? { sections: input.sections } : {}),
  });
  try {
    await mkdir(dir, { recursive: true });
    const files = [join(dir, REPORT_JSON), join(dir, REPORT_MD)];
    await writeFile(files[0] as string, toJson(summary));
    await writeFile(files[1] as string, markdown);
    for (const p of rendered) {
      const path = join(dir, `${p.name}.png`);
      await writeFile(path, p.png);
      files.push(path);
    }
    return { files, summary };
  } catch (cause) {
    throw new CtHemorrhageError(
      'FILE_NOT_FOUND',
      `Could not write the report to ${dir}: ${cause instanceof Error ? cause.message : String(cause)}. Check the path and its permissions.`,
      { file: dir },
      { cause },
    );
  }
}

/**
 * Writes `MODEL_CARD.md` (see {@link modelCardMarkdown}) into the model folder `dir`, and, when
 * the card has a `history`, `history.json` beside it so that reports can plot the training
 * curves later ({@link readTrainHistory}).
 *
 * @example
 * ```ts
 * await saveModel(model, 'runs/larger');
 * await writeModelCard('runs/larger', {
 *   modelInfo: getModelInfo(model),
 *   parameterCount: model.countParams(),
 *   data: { source: '../shared/data/head_ct', count: 160, positives: 80, groups: 111 },
 *   split: 'grouped, stratified 80/20 split (seed 42)',
 *   metrics: validation,
 *   history,
 * });
 * // runs/larger/MODEL_CARD.md, runs/larger/history.json
 * ```
 */
export async function writeModelCard(dir: string, card: ModelCardInput): Promise<string[]> {
  const markdown = modelCardMarkdown(card);
  try {
    await mkdir(dir, { recursive: true });
    const files = [join(dir, MODEL_CARD_MD)];
    await writeFile(files[0] as string, markdown);
    if (card.history) {
      const path = join(dir, HISTORY_JSON);
      await writeFile(path, toJson(card.history));
      files.push(path);
    }
    return files;
  } catch (cause) {
    throw new CtHemorrhageError(
      'FILE_NOT_FOUND',
      `Could not write the model card to ${dir}: ${cause instanceof Error ? cause.message : String(cause)}. Check the path and its permissions.`,
      { file: dir },
      { cause },
    );
  }
}

/**
 * Reads `history.json` from a model folder (written by {@link writeModelCard} and by the CLI's
 * `train`), or returns `undefined` when there is none.
 *
 * @throws {@link CtHemorrhageError} `MODEL_FORMAT` when the file exists but is not a history.
 *
 * @example
 * ```ts
 * const history = await readTrainHistory('runs/larger');
 * history?.history.val_auc; // e.g. [0.61, 0.72, ...]
 * ```
 */
export async function readTrainHistory(dir: string): Promise<TrainHistoryLike | undefined> {
  const path = join(dir, HISTORY_JSON);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new CtHemorrhageError('MODEL_FORMAT', `${path} is not valid JSON; delete it or retrain the model.`, { file: path }, { cause });
  }
  const h = parsed as Partial<TrainHistoryLike> | null;
  const ok =
    h !== null &&
    typeof h === 'object' &&
    Array.isArray(h.epoch) &&
    typeof h.history === 'object' &&
    h.history !== null &&
    Object.values(h.history).every((v) => Array.isArray(v));
  if (!ok) {
    throw new CtHemorrhageError(
      'MODEL_FORMAT',
      `${path} is not a training history ({ epoch: [...], history: { loss: [...], ... } }); delete it or retrain the model.`,
      { file: path },
    );
  }
  // JSON wrote NaN as null; read it back as NaN.
  const history = Object.fromEntries(
    Object.entries(h.history as Record<string, unknown[]>).map(([k, v]) => [k, v.map((x) => (typeof x === 'number' ? x : Number.NaN))]),
  );
  return { ...(h as TrainHistoryLike), history };
}
