import type { ModelInfo } from '../metadata/index.js';
import type { BinaryMetrics, Interval } from '../metrics/index.js';
import type { Preprocessing, ResizeMode } from '../preprocessing/index.js';
import type { WindowSpec } from '../windowing/index.js';
import { VERSION } from '../version/index.js';
import type { TrainHistoryLike } from './specs.js';
import { DISCLAIMER, metricEntries, type MetricEntry, type ReportSummary } from './summary.js';

/** An image a Markdown report links to. */
export interface ReportImage {
  /** Heading of the image. */
  readonly title: string;
  /** Link, relative to the report (e.g. `'roc.png'`). */
  readonly path: string;
  /** A sentence under the image saying how to read it. */
  readonly caption?: string;
}

/** A free section appended to a Markdown report (for example a Grad-CAM figure added later). */
export interface ReportSection {
  /** Section heading. */
  readonly heading: string;
  /** Markdown body. */
  readonly body: string;
}

/** Options of {@link reportMarkdown}. */
export interface ReportMarkdownOptions {
  /** Plots to link, in order, under "Plots". */
  readonly images?: readonly ReportImage[];
  /** Sections appended after the plots. */
  readonly sections?: readonly ReportSection[];
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const dec = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

function valueText(e: Pick<MetricEntry, 'value' | 'percent'>): string {
  return e.percent ? pct(e.value) : dec(e.value);
}

function intervalText(interval: Interval | null, percent: boolean): string {
  if (interval === null) return '';
  const [lo, hi] = interval;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return 'n/a';
  const f = percent ? pct : dec;
  return `${f(lo)} to ${f(hi)}`;
}

/** Escapes the characters that break a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

function windowText(w: WindowSpec): string {
  return typeof w === 'string' ? w : `${w.level}/${w.width} HU`;
}

const RESIZE_TEXT: Readonly<Record<ResizeMode, string>> = Object.freeze({
  stretch: 'stretch: bilinear to exactly the input size whatever the aspect ratio, so the original size never reaches the model',
  crop: "crop: the largest centred region of the input's aspect ratio, then bilinear to the input size (a wide slice loses its edges)",
  pad: "pad: centred on black (HU slices: air) to the input's aspect ratio, then bilinear to the input size",
});

function preprocessingRows(p: Preprocessing): string[][] {
  return [
    ['Input size', `${p.inputSize[0]} x ${p.inputSize[1]} pixels, ${p.channels} channel${p.channels === 1 ? '' : 's'}`],
    [
      'Input',
      p.windows
        ? `slices in Hounsfield units, one channel per CT window: ${p.windows.map(windowText).join(', ')}`
        : `display images (8-bit), converted to grey (${p.colorConversion}: ITU-R BT.601 luma) and multiplied by ${p.scale.toPrecision(4)}`,
    ],
    ['Resize', RESIZE_TEXT[p.resize]],
    ['Classes', `0 = ${p.classNames[0]}, 1 = ${p.classNames[1]}`],
    ['Decision threshold', `${p.threshold} (score >= threshold predicts ${p.classNames[1]})`],
  ];
}

function metricTable(entries: readonly MetricEntry[]): string[] {
  return table(
    ['Metric', 'Value', '95% CI', 'Method'],
    entries.map((e) => [e.name, valueText(e), intervalText(e.interval, e.percent) || '-', e.method]),
  );
}

function confusionTable(cm: BinaryMetrics['confusionMatrix'], classNames: readonly [string, string]): string[] {
  const [neg, pos] = classNames;
  return table(
    ['True \\ predicted', neg, pos, 'Total'],
    [
      [neg, String(cm.tn), String(cm.fp), String(cm.tn + cm.fp)],
      [pos, String(cm.fn), String(cm.tp), String(cm.fn + cm.tp)],
    ],
  );
}

function historyLine(h: TrainHistoryLike, label: string): string {
  const epochs = h.epoch.length;
  const last = (k: string) => h.history[k]?.[epochs - 1];
  const best = h.bestEpoch !== undefined && h.bestEpoch >= 0 ? `, best epoch ${h.bestEpoch + 1}` : '';
  const auc = last('val_auc');
  const valLoss = last('val_loss');
  return (
    `- ${label}: ${epochs} epoch${epochs === 1 ? '' : 's'}${best}; last loss ${dec(last('loss') ?? Number.NaN)}` +
    (valLoss !== undefined ? `, val_loss ${dec(valLoss)}` : '') +
    (auc !== undefined ? `, val_auc ${dec(auc)}` : '')
  );
}

/**
 * Builds a human-readable Markdown report from a {@link ReportSummary}: the disclaimer, the data
 * and how it was split, the model and its preprocessing, training, every metric with its 95%
 * interval and method, the threshold, the confusion matrix, the per-fold table of a
 * cross-validation, links to plots, and any extra sections (e.g. a Grad-CAM heading).
 *
 * @example
 * ```ts
 * const md = reportMarkdown(reportSummary(input), { images: [{ title: 'ROC curve', path: 'roc.png' }] });
 * md.split('\n')[0]; // '# Cross-validation report'
 * ```
 */
export function reportMarkdown(summary: ReportSummary, options: ReportMarkdownOptions = {}): string {
  const s = summary;
  const [neg, pos] = s.classNames;
  const cv = s.crossValidation;
  const lines: string[] = [`# ${s.title}`, '', `> **${DISCLAIMER}**`, '', `Generated by ${s.generatedBy}.`, ''];

  lines.push('## Data', '', s.dataset, '');
  lines.push(
    ...table(
      ['', 'Count'],
      [
        ['Samples', String(s.samples.count)],
        [`${pos} (positive, label 1)`, String(s.samples.positives)],
        [`${neg} (negative, label 0)`, String(s.samples.negatives)],
        ['Prevalence', pct(s.samples.prevalence)],
      ],
    ),
    '',
  );

  lines.push('## Split', '', s.split, '');
  if (cv) {
    lines.push(
      (cv.groups !== null
        ? `Grouped, stratified ${cv.folds}-fold cross-validation (seed ${cv.seed}): all samples of a group (${cv.groups} groups) ` +
          'are in one fold, each fold holds its share of each class, and each fold is scored by a model trained on the other '
        : `Stratified ${cv.folds}-fold cross-validation (seed ${cv.seed}) without groups: near-duplicate slices of one ` +
          'patient may sit on both sides and inflate the results. Each fold holds its share of each class and is scored by a model trained on the other ') +
        'folds only (any early stopping watched a validation split of those training folds, never the held-out ' +
        `fold). Every sample is scored exactly once; the metrics below pool those ${s.samples.count} out-of-fold scores.`,
      '',
    );
  }

  if (s.model) {
    lines.push('## Model', '');
    lines.push(
      ...table(
        ['', ''],
        [
          ['Architecture', s.model.architecture],
          ...(s.model.parameterCount !== undefined ? [['Parameters', s.model.parameterCount.toLocaleString('en-US')]] : []),
          ['Built with', `ct-hemorrhage ${s.model.libraryVersion}`],
          ...preprocessingRows(s.model.preprocessing),
        ],
      ),
      '',
    );
  }

  if (s.training || s.histories.length > 0) {
    lines.push('## Training', '');
    if (s.training) {
      lines.push(...table(['Setting', 'Value'], Object.entries(s.training).map(([k, v]) => [k, String(v)])), '');
    }
    s.histories.forEach((h, i) => lines.push(historyLine(h, s.histories.length > 1 ? `Fold ${i + 1}` : 'Training')));
    if (s.histories.length > 0) lines.push('');
  }

  lines.push(cv ? '## Results (pooled out-of-fold scores)' : '## Results', '');
  lines.push(`Threshold: **${s.threshold}** (a score at or above it predicts ${pos}).`, '');
  lines.push(...metricTable(s.metrics), '');
  if (cv) {
    lines.push(
      `Fold ROC AUC: **${dec(cv.meanAuc)} ± ${dec(cv.sdAuc)}** (mean ± sample standard deviation over ${cv.folds} folds). ` +
        'The pooled AUC also compares scores of different fold models with each other, so it differs from the fold mean, ' +
        'usually downwards when the fold models are calibrated differently.',
      '',
    );
  }
  lines.push('### Confusion matrix', '', ...confusionTable(s.confusionMatrix, s.classNames), '');

  if (cv) {
    lines.push('## Per-fold results', '');
    const get = (entries: readonly MetricEntry[], key: string) => entries.find((e) => e.key === key) as MetricEntry;
    lines.push(
      ...table(
        ['Fold', 'Train', 'Test', 'ROC AUC (95% CI, DeLong)', 'Accuracy', 'Sensitivity', 'Specificity', 'Epochs', 'Best epoch'],
        cv.perFold.map((f) => {
          const auc = get(f.metrics, 'rocAuc');
          return [
            String(f.fold),
            String(f.trainCount),
            String(f.testCount),
            `${valueText(auc)} (${intervalText(auc.interval, false)})`,
            valueText(get(f.metrics, 'accuracy')),
            valueText(get(f.metrics, 'sensitivity')),
            valueText(get(f.metrics, 'specificity')),
            String(f.training.epochs),
            `${f.training.bestEpoch}${f.training.stoppedEarly ? ' (stopped early)' : ''}`,
          ];
        }),
      ),
      '',
    );
  }

  const images = options.images ?? [];
  if (images.length > 0) {
    lines.push('## Plots', '');
    for (const image of images) {
      lines.push(`### ${image.title}`, '', `![${image.title}](${image.path})`, '');
      if (image.caption) lines.push(image.caption, '');
    }
  }
  for (const section of options.sections ?? []) {
    lines.push(`## ${section.heading}`, '', section.body.trim(), '');
  }

  lines.push(
    '## How to read these numbers',
    '',
    '- Intervals are 95% confidence intervals: Wilson score for proportions (accuracy, sensitivity, specificity, ' +
      'PPV, NPV), DeLong for ROC AUC' +
      (s.metrics.some((m) => m.key === 'rocAucBootstrap') ? ', plus a stratified bootstrap percentile interval' : '') +
      '. They describe sampling noise on this data only, not how the model would do elsewhere.',
    '- PPV and NPV depend on the prevalence of this data set; at another prevalence they change.',
    `- The threshold ${s.threshold} was not chosen for any clinical operating point.`,
    '- No external validation: all numbers come from one data source.',
    '',
    `_${DISCLAIMER}_`,
    '',
  );
  return lines.join('\n');
}

/** What {@link modelCardMarkdown} (and `writeModelCard` in Node) needs to describe a model. */
export interface ModelCardInput {
  /** Card title. Default `'Model card: <architecture>'`. */
  readonly title?: string;
  /** The model's saved facts (`getModelInfo(model)`). */
  readonly modelInfo: ModelInfo;
  /** Parameters of the model (`model.countParams()`). */
  readonly parameterCount?: number;
  /** The training data. */
  readonly data: {
    /** Where the data comes from (folder, data set name, generator and seed). */
    readonly source: string;
    /** Samples in all. */
    readonly count: number;
    /** Positive (hemorrhage) samples. */
    readonly positives: number;
    /** Distinct groups (patients, scans), if known. */
    readonly groups?: number;
    /** Anything else about the data (image kind, labelling, licence). */
    readonly description?: string;
  };
  /** How the data was split into training and validation. */
  readonly split: string;
  /** Metrics of the saved model on held-out data, with their intervals (an `Evaluation` fits). */
  readonly metrics?: BinaryMetrics;
  /** What `metrics` were measured on. Default `'the held-out validation split'`. */
  readonly metricsOn?: string;
  /** Training settings (epochs, batch size, learning rate, augmentation, ...). */
  readonly training?: Readonly<Record<string, string | number | boolean>>;
  /** The training history (what `train` returned). */
  readonly history?: TrainHistoryLike & { readonly stoppedEarly?: boolean; readonly restoredBestWeights?: boolean; readonly monitor?: string };
  /** Further known limits, added to the standard ones. */
  readonly limitations?: readonly string[];
}

/** The known limits every model card lists. */
export const MODEL_CARD_LIMITS: readonly string[] = Object.freeze([
  'Small data: models trained on a few hundred slices or fewer have wide confidence intervals and unstable ' +
    'results from run to run; read the intervals, not just the point estimates.',
  'Phantoms are not patients: a model trained or measured on generated phantom slices learns phantom features, ' +
    'and its numbers say nothing about real CT scans.',
  'Shortcuts in public data: in the Kaggle "Head CT - hemorrhage" set, image size, aspect ratio, colour maps and ' +
    'burnt-in text or arrows differ between classes. Preprocessing converts to grey and brings every image to ' +
    'one size (stretched, or cropped or padded to the input\'s aspect ratio), but cropping, annotations and source publication can still leak the label.',
  'Near-duplicate slices of one patient inflate results on random splits; only grouped splits (by patient or scan) ' +
    'give honest estimates, and only when the groups are right.',
  'No external validation: the metrics come from the same source as the training data. Expect lower performance ' +
    'on other scanners, protocols, hospitals and populations.',
  'One 2D slice at a time: no 3D context, no localisation, no hemorrhage subtype, no severity.',
  'The decision threshold was not chosen for a clinical operating point, and scores are not calibrated ' +
    'probabilities unless the calibration (ECE, reliability diagram) says so.',
]);

/**
 * Builds a model card in Markdown: what the model is (architecture, parameters), the data it
 * was trained on (source, counts per class, groups), how it was split, its metrics with 95%
 * intervals, the threshold, preprocessing, training settings, intended use (research and
 * education, not diagnosis) and known limits.
 *
 * @example
 * ```ts
 * const md = modelCardMarkdown({
 *   modelInfo: getModelInfo(model),
 *   parameterCount: model.countParams(),
 *   data: { source: '../shared/data/head_ct', count: 160, positives: 80, groups: 111 },
 *   split: 'grouped, stratified 80/20 split (seed 42)',
 *   metrics: validation,
 * });
 * md.split('\n')[0]; // '# Model card: larger-cnn'
 * ```
 */
export function modelCardMarkdown(card: ModelCardInput): string {
  const info = card.modelInfo;
  const p = info.preprocessing;
  const [neg, pos] = p.classNames;
  const lines: string[] = [`# ${card.title ?? `Model card: ${info.architecture}`}`, '', `> **${DISCLAIMER}**`, ''];

  lines.push('## Model', '');
  lines.push(
    ...table(
      ['', ''],
      [
        ['Architecture', info.architecture],
        ...(card.parameterCount !== undefined ? [['Parameters', card.parameterCount.toLocaleString('en-US')]] : []),
        ['Task', `binary classification of one head CT slice: ${neg} (0) or ${pos} (1)`],
        ['Output', `probability of ${pos} (sigmoid)`],
        ['Built with', `ct-hemorrhage ${info.libraryVersion} (card written by ${VERSION})`],
      ],
    ),
    '',
  );

  lines.push('## Intended use', '');
  lines.push(
    'Research and education: learning how CNNs for head CT work, how to evaluate them honestly, and how they ' +
      'fail. **Not for diagnosis**, triage, screening, or any decision about a patient; not a medical device ' +
      'and not validated as one.',
    '',
  );

  lines.push('## Data', '', card.data.source, '');
  if (card.data.description) lines.push(card.data.description, '');
  lines.push(
    ...table(
      ['', 'Count'],
      [
        ['Samples', String(card.data.count)],
        [pos, String(card.data.positives)],
        [neg, String(card.data.count - card.data.positives)],
        ...(card.data.groups !== undefined ? [['Groups (patients/scans)', String(card.data.groups)]] : []),
      ],
    ),
    '',
  );

  lines.push('## Split', '', card.split, '');

  lines.push('## Preprocessing', '', ...table(['', ''], preprocessingRows(p)), '');

  if (card.training || card.history) {
    lines.push('## Training', '');
    if (card.training) lines.push(...table(['Setting', 'Value'], Object.entries(card.training).map(([k, v]) => [k, String(v)])), '');
    const h = card.history;
    if (h) {
      lines.push(historyLine(h, 'History'));
      if (h.monitor) lines.push(`- Early stopping and best weights watched ${h.monitor}.`);
      if (h.stoppedEarly) lines.push('- Training stopped early.');
      if (h.restoredBestWeights) lines.push('- The weights of the best epoch were restored.');
      lines.push('- The full history is in `history.json` next to the model.', '');
    }
  }

  lines.push('## Metrics', '');
  if (card.metrics) {
    lines.push(
      `Measured on ${card.metricsOn ?? 'the held-out validation split'}, ${card.metrics.count} images, at threshold ` +
        `**${card.metrics.threshold}**.`,
      '',
      ...metricTable(metricEntries(card.metrics)),
      '',
      ...confusionTable(card.metrics.confusionMatrix, p.classNames),
      '',
    );
  } else {
    lines.push('Not measured when this card was written. Run `ct-hemorrhage evaluate --report <dir>` on held-out data.', '');
  }
  lines.push(`Decision threshold saved with the model: **${p.threshold}**.`, '');

  lines.push('## Known limits', '', ...[...MODEL_CARD_LIMITS, ...(card.limitations ?? [])].map((l) => `- ${l}`), '');
  lines.push(`_${DISCLAIMER}_`, '');
  return lines.join('\n');
}
