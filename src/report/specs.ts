import { CtHemorrhageError } from '../errors/index.js';
import type { ConfusionMatrix } from '../metrics/index.js';
import {
  averagePrecision,
  calibration,
  CALIBRATION_BINS,
  confusionAt,
  delongInterval,
  precisionRecallCurve,
  quantileSorted,
  rocCurve,
} from '../metrics/index.js';
import { createRng } from '../random/index.js';

/**
 * A Vega-Lite specification (a plain JSON object, schema v6). Render it with `vega-embed` in a
 * browser, or to PNG/SVG in Node with `renderPlot` from `ct-hemorrhage/node`.
 */
export interface VegaLiteSpec {
  /** The Vega-Lite schema URL. */
  readonly $schema: string;
  /** Every other Vega-Lite property (`title`, `data`, `layer`, `encoding`, ...). */
  readonly [property: string]: unknown;
}

/** The parts of a training history the plots read: shaped like `TrainHistory` and tfjs `History`. */
export interface TrainHistoryLike {
  /** Epoch indices that ran, from 0. */
  readonly epoch: readonly number[];
  /** One array per metric (`loss`, `val_loss`, `val_auc`, ...), one value per epoch. */
  readonly history: Readonly<Record<string, readonly number[]>>;
  /** Epoch (from 0) whose monitored value was best, if known. */
  readonly bestEpoch?: number;
}

/** Options shared by the plot builders. */
export interface PlotOptions {
  /** Plot title; each builder has its own default with the key number in it. */
  readonly title?: string;
  /** Width and height of one panel, in pixels. Default `320`. */
  readonly size?: number;
}

/** Options of {@link rocSpec}. */
export interface RocSpecOptions extends PlotOptions {
  /** Threshold of the operating point drawn on the curve. Default `0.5`. */
  readonly threshold?: number;
  /**
   * A pointwise 95% band around the curve from stratified bootstrap resamples (true-positive
   * rate read at 51 false-positive rates, 2.5th to 97.5th percentile), or `false` for none.
   * Default `{ rounds: 200, seed: 1 }`: about a millisecond per 100 samples and round.
   */
  readonly band?: { readonly rounds?: number; readonly seed?: number } | false;
}

/** Defaults of the plot builders. */
export const PLOT_DEFAULTS = Object.freeze({
  size: 320,
  threshold: 0.5,
  bandRounds: 200,
  bandSeed: 1,
  bins: CALIBRATION_BINS,
});

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const GRID = 51;

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
/** JSON has no Infinity or NaN; Vega reads null as missing. */
const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

function base(title: string | { text: string; subtitle?: string | string[] }, options: PlotOptions | undefined) {
  return {
    $schema: SCHEMA,
    title: options?.title ?? title,
    background: 'white',
    padding: 8,
  };
}

function panelSize(options: PlotOptions | undefined): number {
  const size = options?.size ?? PLOT_DEFAULTS.size;
  if (!(Number.isInteger(size) && size >= 50 && size <= 4000)) {
    throw new CtHemorrhageError('BAD_INPUT', `Plot size must be an integer from 50 to 4000 pixels; got ${String(size)}.`, {
      option: 'size',
      expected: 'an integer in [50, 4000]',
      received: size,
    });
  }
  return size;
}

/** Positives and negatives, refusing data without both classes (no curve exists). */
function classCountsOrThrow(what: string, labels: ArrayLike<number>): [number, number] {
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i] === 1 ? 1 : 0;
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) {
    throw new CtHemorrhageError(
      'EMPTY_DATASET',
      `A ${what} needs both classes; got ${pos} hemorrhage and ${neg} normal samples. Plot data with both.`,
      { expected: 'both classes', received: { positives: pos, negatives: neg } },
    );
  }
  return [neg, pos];
}

/** True-positive rate of a ROC curve at false-positive rate `x`: the highest tpr with fpr <= x. */
function tprAt(fpr: readonly number[], tpr: readonly number[], x: number): number {
  let best = 0;
  for (let i = 0; i < fpr.length; i++) {
    if ((fpr[i] as number) <= x + 1e-12) best = Math.max(best, tpr[i] as number);
  }
  return best;
}

/**
 * Pointwise bootstrap band of a ROC curve: stratified resamples (positives from positives,
 * negatives from negatives), tpr read at `GRID` fpr values, 2.5th and 97.5th percentiles.
 */
function rocBand(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  rounds: number,
  seed: number,
): { fpr: number; lower: number; upper: number }[] {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === 1 ? pos : neg).push(scores[i] as number);
  const rng = createRng(seed);
  const grid = Array.from({ length: GRID }, (_, g) => g / (GRID - 1));
  const samples = grid.map(() => new Float64Array(rounds));
  const l = new Float64Array(labels.length);
  const s = new Float64Array(labels.length);
  for (let r = 0; r < rounds; r++) {
    let k = 0;
    for (let i = 0; i < pos.length; i++, k++) {
      l[k] = 1;
      s[k] = pos[Math.floor(rng() * pos.length)] as number;
    }
    for (let j = 0; j < neg.length; j++, k++) {
      l[k] = 0;
      s[k] = neg[Math.floor(rng() * neg.length)] as number;
    }
    const curve = rocCurve(l, s);
    grid.forEach((x, g) => {
      (samples[g] as Float64Array)[r] = tprAt(curve.fpr, curve.tpr, x);
    });
  }
  return grid.map((fpr, g) => {
    const sorted = (samples[g] as Float64Array).sort();
    return { fpr, lower: quantileSorted(sorted, 0.025), upper: quantileSorted(sorted, 0.975) };
  });
}

function checkThreshold(threshold: number): number {
  if (!(typeof threshold === 'number' && threshold >= 0 && threshold <= 1)) {
    throw new CtHemorrhageError('BAD_INPUT', `A plot threshold must be a number in [0, 1]; got ${String(threshold)}.`, {
      option: 'threshold',
      expected: '[0, 1]',
      received: threshold,
    });
  }
  return threshold;
}

const DIAGONAL = {
  data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
  mark: { type: 'line', color: '#999999', strokeDash: [4, 4], strokeWidth: 1 },
  encoding: {
    x: { field: 'x', type: 'quantitative' },
    y: { field: 'y', type: 'quantitative' },
  },
} as const;

const UNIT_AXIS = { scale: { domain: [0, 1] }, axis: { tickCount: 5 } } as const;

/**
 * Vega-Lite spec of the ROC curve of `scores` against 0/1 `labels`: the curve (points of
 * {@link rocCurve}), the chance diagonal, the operating point at `threshold` with its
 * sensitivity and specificity, and by default a pointwise 95% bootstrap band. The title gives
 * the AUC with its DeLong 95% interval.
 *
 * @throws {@link CtHemorrhageError} `EMPTY_DATASET` unless both classes are present, and as
 * {@link rocCurve} for bad labels or scores.
 *
 * @example
 * ```ts
 * const spec = rocSpec(result.labels, result.scores, { threshold: 0.5 });
 * spec.title; // { text: 'ROC curve', subtitle: ['AUC 0.871 (95% CI 0.802 to 0.940, DeLong); n = 160',
 * //   'band: pointwise 95% bootstrap, 200 resamples'] }
 * ```
 */
export function rocSpec(labels: ArrayLike<number>, scores: ArrayLike<number>, options: RocSpecOptions = {}): VegaLiteSpec {
  const size = panelSize(options);
  const threshold = checkThreshold(options.threshold ?? PLOT_DEFAULTS.threshold);
  const curve = rocCurve(labels, scores);
  const [neg, pos] = classCountsOrThrow('ROC curve', labels);
  const { auc, interval } = delongInterval(labels, scores);
  const cm = confusionAt(labels, scores, threshold);
  const sens = cm.tp / pos;
  const spec = cm.tn / neg;
  const layers: unknown[] = [];
  const band = options.band ?? {};
  if (band !== false) {
    const rounds = band.rounds ?? PLOT_DEFAULTS.bandRounds;
    const seed = band.seed ?? PLOT_DEFAULTS.bandSeed;
    if (!(Number.isInteger(rounds) && rounds >= 10)) {
      throw new CtHemorrhageError('BAD_INPUT', `The ROC band takes an integer of at least 10 rounds; got ${String(rounds)}.`, {
        option: 'band.rounds',
        expected: 'an integer >= 10',
        received: rounds,
      });
    }
    layers.push({
      data: { values: rocBand(labels, scores, rounds, seed) },
      mark: { type: 'area', color: '#4c78a8', opacity: 0.18 },
      encoding: {
        x: { field: 'fpr', type: 'quantitative' },
        y: { field: 'lower', type: 'quantitative' },
        y2: { field: 'upper' },
      },
    });
  }
  layers.push(DIAGONAL);
  layers.push({
    data: {
      values: curve.fpr.map((fpr, i) => ({
        i,
        fpr,
        tpr: curve.tpr[i],
        threshold: finiteOrNull(curve.thresholds[i] as number),
      })),
    },
    mark: { type: 'line', color: '#4c78a8', strokeWidth: 2.5 },
    encoding: {
      x: { field: 'fpr', type: 'quantitative', title: 'False-positive rate (1 - specificity)', ...UNIT_AXIS },
      y: { field: 'tpr', type: 'quantitative', title: 'True-positive rate (sensitivity)', ...UNIT_AXIS },
      order: { field: 'i', type: 'quantitative' },
    },
  });
  const point = { fpr: 1 - spec, tpr: sens, label: `threshold ${threshold}: sens ${f2(sens)}, spec ${f2(spec)}` };
  layers.push({
    data: { values: [point] },
    layer: [
      { mark: { type: 'point', shape: 'diamond', size: 140, filled: true, color: '#e45756' } },
      { mark: { type: 'text', align: 'left', dx: 8, dy: 12, fontSize: 11, color: '#333333' }, encoding: { text: { field: 'label' } } },
    ],
    encoding: {
      x: { field: 'fpr', type: 'quantitative' },
      y: { field: 'tpr', type: 'quantitative' },
    },
  });
  const subtitle = [`AUC ${f3(auc)} (95% CI ${f3(interval[0])} to ${f3(interval[1])}, DeLong); n = ${labels.length}`];
  if (band !== false) subtitle.push(`band: pointwise 95% bootstrap, ${band.rounds ?? PLOT_DEFAULTS.bandRounds} resamples`);
  return {
    ...base(
      { text: 'ROC curve', subtitle },
      options,
    ),
    width: size,
    height: size,
    layer: layers,
  };
}

/**
 * Vega-Lite spec of the precision-recall curve (steps, as average precision integrates it), with
 * the prevalence baseline (the precision of guessing) and the operating point at `threshold`.
 * The title gives the average precision.
 *
 * @throws {@link CtHemorrhageError} `EMPTY_DATASET` unless both classes are present, and as
 * {@link precisionRecallCurve} for bad labels or scores.
 *
 * @example
 * ```ts
 * precisionRecallSpec(result.labels, result.scores).title;
 * // { text: 'Precision-recall curve', subtitle: 'average precision 0.842; prevalence 0.500; n = 160' }
 * ```
 */
export function precisionRecallSpec(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: PlotOptions & { readonly threshold?: number } = {},
): VegaLiteSpec {
  const size = panelSize(options);
  const threshold = checkThreshold(options.threshold ?? PLOT_DEFAULTS.threshold);
  const curve = precisionRecallCurve(labels, scores);
  const [, pos] = classCountsOrThrow('precision-recall curve', labels);
  const prevalence = pos / labels.length;
  const ap = averagePrecision(labels, scores);
  const cm = confusionAt(labels, scores, threshold);
  const precision = cm.tp + cm.fp > 0 ? cm.tp / (cm.tp + cm.fp) : Number.NaN;
  const recall = cm.tp / pos;
  const layers: unknown[] = [
    {
      data: { values: [{ prevalence, label: `prevalence ${f2(prevalence)}` }] },
      layer: [
        { mark: { type: 'rule', color: '#999999', strokeDash: [4, 4] }, encoding: { y: { field: 'prevalence', type: 'quantitative' } } },
        {
          mark: { type: 'text', align: 'left', dy: -6, fontSize: 11, color: '#666666' },
          encoding: { y: { field: 'prevalence', type: 'quantitative' }, x: { datum: 0.02, type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
    },
    {
      data: {
        values: curve.recall.map((r, i) => ({
          i,
          recall: r,
          precision: curve.precision[i],
          threshold: finiteOrNull((curve.thresholds[i] as number | undefined) ?? Number.NaN),
        })),
      },
      mark: { type: 'line', color: '#f58518', strokeWidth: 2.5, interpolate: 'step-after' },
      encoding: {
        x: { field: 'recall', type: 'quantitative', title: 'Recall (sensitivity)', ...UNIT_AXIS },
        y: { field: 'precision', type: 'quantitative', title: 'Precision (PPV)', ...UNIT_AXIS },
        order: { field: 'i', type: 'quantitative' },
      },
    },
  ];
  if (Number.isFinite(precision)) {
    layers.push({
      data: { values: [{ recall, precision, label: `threshold ${threshold}: PPV ${f2(precision)}, sens ${f2(recall)}` }] },
      layer: [
        { mark: { type: 'point', shape: 'diamond', size: 140, filled: true, color: '#e45756' } },
        { mark: { type: 'text', align: 'right', dx: -8, dy: 12, fontSize: 11, color: '#333333' }, encoding: { text: { field: 'label' } } },
      ],
      encoding: { x: { field: 'recall', type: 'quantitative' }, y: { field: 'precision', type: 'quantitative' } },
    });
  }
  return {
    ...base(
      {
        text: 'Precision-recall curve',
        subtitle: `average precision ${f3(ap)}; prevalence ${f3(prevalence)}; n = ${labels.length}`,
      },
      options,
    ),
    width: size,
    height: size,
    layer: layers,
  };
}

/**
 * Vega-Lite spec of a reliability diagram (equal-width bins of {@link calibration}): observed
 * positive rate against mean score per bin, with the diagonal of perfect calibration, the
 * count of each bin written by its point, and a histogram of the counts below. The title gives
 * ECE and Brier score. Scores must be probabilities.
 *
 * @throws {@link CtHemorrhageError} as {@link calibration} (scores outside [0, 1], bad bins).
 *
 * @example
 * ```ts
 * calibrationSpec(result.labels, result.scores, { bins: 10 }).title;
 * // { text: 'Calibration (reliability diagram)', subtitle: 'ECE 0.081 (10 bins); Brier 0.162; n = 160' }
 * ```
 */
export function calibrationSpec(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: PlotOptions & { readonly bins?: number } = {},
): VegaLiteSpec {
  const size = panelSize(options);
  const bins = options.bins ?? PLOT_DEFAULTS.bins;
  const c = calibration(labels, scores, bins);
  const rows = c.bins.map((b) => ({
    lower: b.lower,
    upper: b.upper,
    count: b.count,
    meanScore: finiteOrNull(b.meanScore),
    positiveRate: finiteOrNull(b.positiveRate),
    label: `n=${b.count}`,
  }));
  const filled = rows.filter((r) => r.count > 0);
  const reliability = {
    width: size,
    height: size,
    layer: [
      DIAGONAL,
      {
        data: { values: filled },
        layer: [
          { mark: { type: 'line', color: '#54a24b', strokeWidth: 2, point: false } },
          {
            mark: { type: 'point', filled: true, color: '#54a24b' },
            encoding: { size: { field: 'count', type: 'quantitative', title: 'Samples in bin', scale: { range: [30, 400] } } },
          },
          { mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 10, color: '#333333' }, encoding: { text: { field: 'label' } } },
        ],
        encoding: {
          x: { field: 'meanScore', type: 'quantitative', title: 'Mean predicted probability', ...UNIT_AXIS },
          y: { field: 'positiveRate', type: 'quantitative', title: 'Observed hemorrhage rate', ...UNIT_AXIS },
        },
      },
    ],
  };
  const histogram = {
    width: size,
    height: Math.round(size / 3),
    data: { values: rows },
    mark: { type: 'bar', color: '#9ecae9', stroke: '#4c78a8', strokeWidth: 0.5 },
    encoding: {
      x: { field: 'lower', type: 'quantitative', title: 'Predicted probability (bins)', ...UNIT_AXIS },
      x2: { field: 'upper' },
      y: { field: 'count', type: 'quantitative', title: 'Samples' },
      y2: { datum: 0 },
    },
  };
  return {
    ...base(
      {
        text: 'Calibration (reliability diagram)',
        subtitle: `ECE ${f3(c.ece)} (${bins} bins); Brier ${f3(c.brier)}; n = ${labels.length}`,
      },
      options,
    ),
    vconcat: [reliability, histogram],
  };
}

/**
 * Vega-Lite spec of a confusion matrix as a heatmap: true class by row, predicted class by
 * column, each cell with its count and its share of the row.
 *
 * @example
 * ```ts
 * confusionMatrixSpec({ tp: 13, fp: 3, tn: 13, fn: 3 }, ['normal', 'hemorrhage'], { threshold: 0.5 });
 * // a 2x2 heatmap titled 'Confusion matrix', subtitle 'threshold 0.5; n = 32'
 * ```
 */
export function confusionMatrixSpec(
  confusionMatrix: ConfusionMatrix,
  classNames: readonly [string, string] = ['normal', 'hemorrhage'],
  options: PlotOptions & { readonly threshold?: number } = {},
): VegaLiteSpec {
  const size = panelSize(options);
  const { tp, fp, tn, fn } = confusionMatrix;
  for (const [k, v] of Object.entries({ tp, fp, tn, fn })) {
    if (!(Number.isInteger(v) && v >= 0)) {
      throw new CtHemorrhageError('BAD_INPUT', `Confusion matrix count ${k} must be an integer >= 0; got ${String(v)}.`, {
        option: k,
        received: v,
      });
    }
  }
  const [neg, posName] = classNames;
  const cell = (actual: string, predicted: string, count: number, rowTotal: number) => ({
    actual,
    predicted,
    count,
    label: `${count}${rowTotal > 0 ? ` (${((100 * count) / rowTotal).toFixed(0)}%)` : ''}`,
  });
  const values = [
    cell(neg, neg, tn, tn + fp),
    cell(neg, posName, fp, tn + fp),
    cell(posName, neg, fn, fn + tp),
    cell(posName, posName, tp, fn + tp),
  ];
  const max = Math.max(tp, fp, tn, fn);
  const sort = [neg, posName];
  const threshold = options.threshold;
  return {
    ...base(
      {
        text: 'Confusion matrix',
        subtitle: `${threshold !== undefined ? `threshold ${threshold}; ` : ''}n = ${tp + fp + tn + fn}`,
      },
      options,
    ),
    width: size,
    height: size,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort, title: 'Predicted', axis: { labelAngle: 0, orient: 'top' } },
      y: { field: 'actual', type: 'nominal', sort, title: 'True class' },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
        encoding: {
          color: { field: 'count', type: 'quantitative', title: 'Count', scale: { scheme: 'blues', domain: [0, Math.max(1, max)] } },
        },
      },
      {
        mark: { type: 'text', fontSize: 18 },
        encoding: {
          text: { field: 'label' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: '#222222' },
        },
      },
    ],
  };
}

/** Rows `{ epoch (from 1), metric, value, fold }` of histories, skipping NaN values. */
function historyRows(histories: readonly TrainHistoryLike[], keys: readonly string[]) {
  const rows: { epoch: number; metric: string; value: number; fold: string }[] = [];
  histories.forEach((h, f) => {
    for (const key of keys) {
      const values = h.history[key];
      if (!values) continue;
      values.forEach((value, i) => {
        if (Number.isFinite(value)) {
          rows.push({ epoch: (h.epoch[i] ?? i) + 1, metric: key, value, fold: `fold ${f + 1}` });
        }
      });
    }
  });
  return rows;
}

/**
 * Vega-Lite spec of training curves: `loss` and `val_loss` by epoch in one panel, `val_auc`
 * (and `val_acc` when present) in a second. Pass one history, or one per cross-validation fold
 * (then colour is the fold and dashes mark validation). The best epoch of a single history is
 * marked.
 *
 * @throws {@link CtHemorrhageError} `BAD_INPUT` when no history has a `loss`.
 *
 * @example
 * ```ts
 * trainingCurvesSpec(history);        // two panels: loss/val_loss and val_auc by epoch
 * trainingCurvesSpec(cv.folds.map((f) => f.history)); // the same, one colour per fold
 * ```
 */
export function trainingCurvesSpec(
  history: TrainHistoryLike | readonly TrainHistoryLike[],
  options: PlotOptions = {},
): VegaLiteSpec {
  const size = panelSize(options);
  const histories = (Array.isArray(history) ? history : [history]) as readonly TrainHistoryLike[];
  const lossRows = historyRows(histories, ['loss', 'val_loss']);
  if (histories.length === 0 || lossRows.length === 0) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      'Training curves need a history with a loss per epoch, such as the TrainHistory that train returns.',
      { option: 'history' },
    );
  }
  const perFold = histories.length > 1;
  const scoreRows = historyRows(histories, ['val_auc', 'val_acc']);
  const panel = (rows: typeof lossRows, title: string, yTitle: string, unit: boolean) => ({
    width: size,
    height: Math.round(size * 0.75),
    title,
    data: { values: rows },
    mark: { type: 'line', point: !perFold, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'Epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: yTitle, ...(unit ? { scale: { domain: [0, 1] } } : {}) },
      ...(perFold
        ? {
            color: { field: 'fold', type: 'nominal', title: 'Fold' },
            strokeDash: { field: 'metric', type: 'nominal', title: 'Metric' },
          }
        : { color: { field: 'metric', type: 'nominal', title: 'Metric' } }),
    },
  });
  const first = histories[0] as TrainHistoryLike;
  const bestEpoch = !perFold && first.bestEpoch !== undefined && first.bestEpoch >= 0 ? first.bestEpoch + 1 : undefined;
  const withBest = (chart: ReturnType<typeof panel>) =>
    bestEpoch === undefined
      ? chart
      : {
          width: chart.width,
          height: chart.height,
          title: chart.title,
          layer: [
            { data: chart.data, mark: chart.mark, encoding: chart.encoding },
            {
              data: { values: [{ epoch: bestEpoch }] },
              mark: { type: 'rule', color: '#999999', strokeDash: [3, 3] },
              encoding: { x: { field: 'epoch', type: 'quantitative' } },
            },
          ],
        };
  const panels = [withBest(panel(lossRows, 'Loss', 'Binary cross-entropy', false))];
  if (scoreRows.length > 0) panels.push(withBest(panel(scoreRows, 'Validation AUC / accuracy', 'Value', true)));
  const epochs = histories.map((h) => h.epoch.length);
  return {
    ...base(
      {
        text: 'Training curves',
        subtitle:
          (perFold ? `${histories.length} folds, ${Math.min(...epochs)}-${Math.max(...epochs)} epochs` : `${epochs[0]} epochs`) +
          (bestEpoch !== undefined ? `; best epoch ${bestEpoch} (dotted)` : ''),
      },
      options,
    ),
    hconcat: panels,
    resolve: { scale: { color: 'independent', strokeDash: 'independent' } },
  };
}

/** The parts of a cross-validation the per-fold ROC plot reads (a `CrossValidation` has them). */
export interface FoldScores {
  /** Label of every sample. */
  readonly labels: ArrayLike<number>;
  /** Out-of-fold score of every sample. */
  readonly scores: ArrayLike<number>;
  /** The fold (from 0) in which every sample was scored. */
  readonly fold: ArrayLike<number>;
}

/**
 * Vega-Lite spec of one ROC curve per cross-validation fold, with the ROC of the pooled
 * out-of-fold scores on top and the chance diagonal. The title gives the pooled AUC (DeLong
 * 95% interval) and the mean and standard deviation of the fold AUCs.
 *
 * @throws {@link CtHemorrhageError} `EMPTY_DATASET` unless every fold holds both classes.
 *
 * @example
 * ```ts
 * foldRocSpec(cv).title;
 * // { text: 'ROC per fold', subtitle: ['pooled AUC 0.830 (95% CI 0.767 to 0.894, DeLong); n = 160',
 * //   'fold AUCs 0.842 ± 0.061 (mean ± sd of 5 folds)'] }
 * ```
 */
export function foldRocSpec(cv: FoldScores, options: PlotOptions = {}): VegaLiteSpec {
  const size = panelSize(options);
  const { labels, scores, fold } = cv;
  if (labels.length !== scores.length || labels.length !== fold.length) {
    throw new CtHemorrhageError(
      'SHAPE_MISMATCH',
      `Per-fold ROC needs one label, score and fold per sample; got ${labels.length}, ${scores.length} and ${fold.length}.`,
      { expected: labels.length, received: [scores.length, fold.length] },
    );
  }
  classCountsOrThrow('ROC curve', labels);
  const folds = [...new Set(Array.from(fold))].sort((a, b) => a - b);
  const rows: { i: number; curve: string; fpr: number; tpr: number }[] = [];
  const aucs: number[] = [];
  for (const f of folds) {
    const l: number[] = [];
    const s: number[] = [];
    for (let i = 0; i < labels.length; i++) {
      if (fold[i] === f) {
        l.push(labels[i] as number);
        s.push(scores[i] as number);
      }
    }
    classCountsOrThrow(`ROC curve of fold ${f + 1}`, l);
    const auc = delongInterval(l, s).auc;
    aucs.push(auc);
    const c = rocCurve(l, s);
    const name = `fold ${f + 1} (AUC ${f2(auc)})`;
    c.fpr.forEach((x, i) => rows.push({ i, curve: name, fpr: x, tpr: c.tpr[i] as number }));
  }
  const pooled = rocCurve(labels, scores);
  const { auc, interval } = delongInterval(labels, scores);
  const pooledRows = pooled.fpr.map((x, i) => ({ i, curve: 'pooled', fpr: x, tpr: pooled.tpr[i] as number }));
  const mean = aucs.reduce((a, v) => a + v, 0) / aucs.length;
  const sd = aucs.length > 1 ? Math.sqrt(aucs.reduce((a, v) => a + (v - mean) ** 2, 0) / (aucs.length - 1)) : Number.NaN;
  return {
    ...base(
      {
        text: 'ROC per fold',
        subtitle: [
          `pooled AUC ${f3(auc)} (95% CI ${f3(interval[0])} to ${f3(interval[1])}, DeLong); n = ${labels.length}`,
          `fold AUCs ${f3(mean)} ± ${f3(sd)} (mean ± sd of ${aucs.length} folds)`,
        ],
      },
      options,
    ),
    width: size,
    height: size,
    layer: [
      DIAGONAL,
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 1.5, opacity: 0.8 },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', title: 'False-positive rate (1 - specificity)', ...UNIT_AXIS },
          y: { field: 'tpr', type: 'quantitative', title: 'True-positive rate (sensitivity)', ...UNIT_AXIS },
          color: { field: 'curve', type: 'nominal', title: 'Fold', scale: { scheme: 'tableau10' } },
          order: { field: 'i', type: 'quantitative' },
        },
      },
      {
        data: { values: pooledRows },
        mark: { type: 'line', strokeWidth: 3, color: '#222222' },
        encoding: {
          x: { field: 'fpr', type: 'quantitative' },
          y: { field: 'tpr', type: 'quantitative' },
          order: { field: 'i', type: 'quantitative' },
        },
      },
      {
        data: { values: [{ fpr: 0.55, tpr: 0.12, text: `pooled (black): AUC ${f3(auc)}` }] },
        mark: { type: 'text', align: 'left', fontSize: 11, color: '#222222' },
        encoding: {
          x: { field: 'fpr', type: 'quantitative' },
          y: { field: 'tpr', type: 'quantitative' },
          text: { field: 'text' },
        },
      },
    ],
  };
}
