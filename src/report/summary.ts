import type { CrossValidation } from '../crossval/index.js';
import { CtHemorrhageError } from '../errors/index.js';
import type { ModelInfo } from '../metadata/index.js';
import { bootstrapAucInterval, BOOTSTRAP_AUC_DEFAULTS, CALIBRATION_BINS } from '../metrics/index.js';
import type { BinaryMetrics, ConfusionMatrix, Interval } from '../metrics/index.js';
import type { Preprocessing } from '../preprocessing/index.js';
import { VERSION } from '../version/index.js';
import type { TrainHistoryLike } from './specs.js';

/** The research-and-education disclaimer every report and model card carries. */
export const DISCLAIMER =
  'For research and education only. This is not a medical device: do not use it, or these ' +
  'numbers, for diagnosis, triage, treatment or any other clinical decision.';

/** Metrics plus the scores they came from, as `evaluate` returns them (`Evaluation`). */
export interface ScoredMetrics extends BinaryMetrics {
  /** Score (positive-class probability) of every sample. */
  readonly scores: ArrayLike<number>;
  /** Label (0 or 1) of every sample. */
  readonly labels: ArrayLike<number>;
  /** Identifier of every sample, if known. */
  readonly ids?: readonly string[];
}

/** What a report is about; give exactly one of `evaluation` and `crossValidation`. */
export interface ReportInput {
  /** Report title. Default `'Evaluation report'` or `'Cross-validation report'`. */
  readonly title?: string;
  /** An evaluation (`evaluate`'s result) on one data set. */
  readonly evaluation?: ScoredMetrics;
  /** A cross-validation (`crossValidate`'s result). */
  readonly crossValidation?: CrossValidation;
  /** Training history (or one per fold) for the training curves. Default for a cross-validation: its folds' histories. */
  readonly history?: TrainHistoryLike | readonly TrainHistoryLike[];
  /** The model's saved facts (architecture, preprocessing, threshold). */
  readonly modelInfo?: ModelInfo;
  /** Trainable and fixed parameters of the model (`model.countParams()`). */
  readonly parameterCount?: number;
  /** What the data is: source, what the images are, how labels were obtained. */
  readonly dataset: string;
  /** How the data was split (or that it was not): grouping, stratification, seed, held-out sets. */
  readonly split: string;
  /** Class names `[negative, positive]`. Default: the model's, else `['normal', 'hemorrhage']`. */
  readonly classNames?: readonly [string, string];
  /**
   * Stratified bootstrap interval of the ROC AUC next to DeLong's, or `false` for none.
   * Default `{ rounds: 2000, seed: 1 }`.
   */
  readonly bootstrap?: { readonly rounds?: number; readonly seed?: number } | false;
  /** Training settings worth recording (epochs, batch size, ...), printed as a table. */
  readonly training?: Readonly<Record<string, string | number | boolean>>;
}

/** One metric of a report, with its 95% interval and how both were computed. */
export interface MetricEntry {
  /** Machine name, e.g. `'rocAuc'`. */
  readonly key: string;
  /** Human name, e.g. `'ROC AUC'`. */
  readonly name: string;
  /** Value; NaN (JSON `null`) where undefined on the data. */
  readonly value: number;
  /** 95% interval, or `null` when the metric has none. */
  readonly interval: Interval | null;
  /** How the value and interval were computed. */
  readonly method: string;
  /** True for proportions (printed as percentages). */
  readonly percent: boolean;
}

/** One fold of a cross-validation report. */
export interface FoldSummary {
  /** Fold number, from 1. */
  readonly fold: number;
  /** Samples trained on (including any validation split of them). */
  readonly trainCount: number;
  /** Samples held out and scored. */
  readonly testCount: number;
  /** Threshold of the fold's metrics. */
  readonly threshold: number;
  /** Metrics of the fold's held-out samples. */
  readonly metrics: readonly MetricEntry[];
  /** Epochs that ran, best epoch (from 1) and whether early stopping ended training. */
  readonly training: { readonly epochs: number; readonly bestEpoch: number; readonly stoppedEarly: boolean };
}

/** Everything a report states, as numbers: what `report.json` holds. NaN is written as `null`. */
export interface ReportSummary {
  /** Format version of this record (1). */
  readonly format: 1;
  /** `'ct-hemorrhage <version>'`. */
  readonly generatedBy: string;
  /** Whether this reports one evaluation or a cross-validation. */
  readonly kind: 'evaluation' | 'cross-validation';
  /** Report title. */
  readonly title: string;
  /** What the data is. */
  readonly dataset: string;
  /** How it was split. */
  readonly split: string;
  /** Class names `[negative, positive]`. */
  readonly classNames: readonly [string, string];
  /** The model, when known. */
  readonly model?: {
    readonly architecture: string;
    readonly libraryVersion: string;
    readonly parameterCount?: number;
    readonly preprocessing: Preprocessing;
  };
  /** Samples, positives, negatives and the positive share. */
  readonly samples: { readonly count: number; readonly positives: number; readonly negatives: number; readonly prevalence: number };
  /** Decision threshold of the metrics. */
  readonly threshold: number;
  /** Every metric with its interval and method (pooled out-of-fold for a cross-validation). */
  readonly metrics: readonly MetricEntry[];
  /** Counts at the threshold. */
  readonly confusionMatrix: ConfusionMatrix;
  /** The cross-validation: folds, seed, AUC mean and spread, and each fold. */
  readonly crossValidation?: {
    readonly folds: number;
    readonly seed: number;
    /** Distinct groups the split kept whole, or `null` when no sample had a group. */
    readonly groups: number | null;
    readonly meanAuc: number;
    readonly sdAuc: number;
    readonly perFold: readonly FoldSummary[];
  };
  /** Training settings given in the input. */
  readonly training?: Readonly<Record<string, string | number | boolean>>;
  /** Training histories (one per fold for a cross-validation). */
  readonly histories: readonly TrainHistoryLike[];
  /** Every sample: id, label, score and (cross-validation) the fold, from 1, that scored it. */
  readonly predictions: readonly { readonly id: string; readonly label: number; readonly score: number; readonly fold?: number }[];
  /** The research-and-education disclaimer. */
  readonly disclaimer: string;
}

/**
 * The metrics of `m` as report entries, each with its 95% interval and method: Wilson score
 * for proportions, DeLong (and, given `bootstrap`, a stratified bootstrap) for ROC AUC, none
 * for the rest.
 *
 * @example
 * ```ts
 * metricEntries(result)[0];
 * // { key: 'accuracy', name: 'Accuracy', value: 0.8125, interval: [0.647, 0.911],
 * //   method: '95% Wilson score interval', percent: true }
 * ```
 */
export function metricEntries(
  m: BinaryMetrics,
  bootstrap?: { readonly interval: Interval; readonly rounds: number; readonly seed: number },
): MetricEntry[] {
  const wilson = '95% Wilson score interval';
  const entries: MetricEntry[] = [
    { key: 'accuracy', name: 'Accuracy', value: m.accuracy, interval: m.intervals.accuracy, method: wilson, percent: true },
    { key: 'sensitivity', name: 'Sensitivity (recall)', value: m.sensitivity, interval: m.intervals.sensitivity, method: wilson, percent: true },
    { key: 'specificity', name: 'Specificity', value: m.specificity, interval: m.intervals.specificity, method: wilson, percent: true },
    { key: 'ppv', name: 'PPV (precision)', value: m.ppv, interval: m.intervals.ppv, method: `${wilson}; depends on prevalence`, percent: true },
    { key: 'npv', name: 'NPV', value: m.npv, interval: m.intervals.npv, method: `${wilson}; depends on prevalence`, percent: true },
    { key: 'balancedAccuracy', name: 'Balanced accuracy', value: m.balancedAccuracy, interval: null, method: '(sensitivity + specificity) / 2; no interval', percent: true },
    { key: 'f1', name: 'F1', value: m.f1, interval: null, method: '2 tp / (2 tp + fp + fn); no interval', percent: false },
    { key: 'rocAuc', name: 'ROC AUC', value: m.rocAuc, interval: m.intervals.rocAuc, method: '95% DeLong interval (mid-ranks, ties count half)', percent: false },
  ];
  if (bootstrap) {
    entries.push({
      key: 'rocAucBootstrap',
      name: 'ROC AUC (bootstrap)',
      value: m.rocAuc,
      interval: bootstrap.interval,
      method: `95% stratified bootstrap percentile interval, ${bootstrap.rounds} resamples, seed ${bootstrap.seed}`,
      percent: false,
    });
  }
  entries.push(
    { key: 'prAuc', name: 'PR AUC (average precision)', value: m.prAuc, interval: null, method: 'step-wise average precision (no interpolation); no interval', percent: false },
    { key: 'brier', name: 'Brier score', value: m.brier, interval: null, method: 'mean (score - label)^2; lower is better; no interval', percent: false },
    { key: 'ece', name: 'ECE', value: m.ece, interval: null, method: `expected calibration error, ${CALIBRATION_BINS} equal-width bins; no interval`, percent: false },
    { key: 'loss', name: 'Log loss', value: m.loss, interval: null, method: 'mean binary cross-entropy (probabilities clipped to 1e-7)', percent: false },
  );
  return entries;
}

function classCount(labels: ArrayLike<number>): [number, number] {
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i] === 1 ? 1 : 0;
  return [labels.length - pos, pos];
}

/** Whether both classes are present, so that curves and AUCs exist. */
export function hasBothClasses(labels: ArrayLike<number>): boolean {
  const [neg, pos] = classCount(labels);
  return neg > 0 && pos > 0;
}

/**
 * Collects everything a report states, as numbers (what `report.json` holds): data counts,
 * threshold, every metric with its interval and method, the confusion matrix, the folds of a
 * cross-validation, training histories, and every sample's score.
 *
 * @throws {@link CtHemorrhageError} `BAD_INPUT` unless exactly one of `evaluation` and
 * `crossValidation` is given, or without a `dataset` or `split` description.
 *
 * @example
 * ```ts
 * const summary = reportSummary({ evaluation: result, dataset: 'head_ct, 160 PNG slices', split: 'none: all images' });
 * summary.metrics.find((m) => m.key === 'rocAuc');
 * // { key: 'rocAuc', name: 'ROC AUC', value: 0.87, interval: [0.8, 0.94], method: '95% DeLong interval ...', percent: false }
 * ```
 */
export function reportSummary(input: ReportInput): ReportSummary {
  const { evaluation, crossValidation: cv } = input;
  if ((evaluation === undefined) === (cv === undefined)) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      'A report needs exactly one of evaluation (from evaluate) and crossValidation (from crossValidate).',
      { option: 'evaluation', received: evaluation && cv ? 'both' : 'neither' },
    );
  }
  for (const key of ['dataset', 'split'] as const) {
    if (typeof input[key] !== 'string' || input[key].trim() === '') {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        `A report needs a ${key} description (a sentence saying ${key === 'dataset' ? 'what the data is' : 'how it was split'}).`,
        { option: key, received: input[key] },
      );
    }
  }
  const metrics = (evaluation ?? cv?.pooled) as BinaryMetrics;
  const labels = (evaluation?.labels ?? cv?.labels) as ArrayLike<number>;
  const scores = (evaluation?.scores ?? cv?.scores) as ArrayLike<number>;
  const ids = evaluation?.ids ?? cv?.ids;
  const [negatives, positives] = classCount(labels);
  let bootstrap: { interval: Interval; rounds: number; seed: number } | undefined;
  if (input.bootstrap !== false && positives > 0 && negatives > 0) {
    const rounds = input.bootstrap?.rounds ?? BOOTSTRAP_AUC_DEFAULTS.rounds;
    const seed = input.bootstrap?.seed ?? BOOTSTRAP_AUC_DEFAULTS.seed;
    bootstrap = { interval: bootstrapAucInterval(labels, scores, { rounds, seed }), rounds, seed };
  }
  const histories: TrainHistoryLike[] =
    input.history === undefined
      ? (cv?.folds.map((f) => f.history) ?? [])
      : Array.isArray(input.history)
        ? [...(input.history as readonly TrainHistoryLike[])]
        : [input.history as TrainHistoryLike];
  const info = input.modelInfo;
  return {
    format: 1,
    generatedBy: `ct-hemorrhage ${VERSION}`,
    kind: cv ? 'cross-validation' : 'evaluation',
    title: input.title ?? (cv ? 'Cross-validation report' : 'Evaluation report'),
    dataset: input.dataset,
    split: input.split,
    classNames: input.classNames ?? info?.preprocessing.classNames ?? ['normal', 'hemorrhage'],
    ...(info
      ? {
          model: {
            architecture: info.architecture,
            libraryVersion: info.libraryVersion,
            ...(input.parameterCount !== undefined ? { parameterCount: input.parameterCount } : {}),
            preprocessing: info.preprocessing,
          },
        }
      : {}),
    samples: { count: labels.length, positives, negatives, prevalence: positives / labels.length },
    threshold: metrics.threshold,
    metrics: metricEntries(metrics, bootstrap),
    confusionMatrix: metrics.confusionMatrix,
    ...(cv
      ? {
          crossValidation: {
            folds: cv.foldCount,
            seed: cv.seed,
            groups: cv.groups.some((g) => g !== undefined) ? new Set(cv.groups.filter((g) => g !== undefined)).size : null,
            meanAuc: cv.meanAuc,
            sdAuc: cv.sdAuc,
            perFold: cv.folds.map((f) => ({
              fold: f.fold + 1,
              trainCount: f.trainCount,
              testCount: f.testCount,
              threshold: f.metrics.threshold,
              metrics: metricEntries(f.metrics),
              training: { epochs: f.history.epoch.length, bestEpoch: f.history.bestEpoch + 1, stoppedEarly: f.history.stoppedEarly },
            })),
          },
        }
      : {}),
    ...(input.training ? { training: input.training } : {}),
    histories: histories.map((h) => ({
      epoch: [...h.epoch],
      history: Object.fromEntries(Object.entries(h.history).map(([k, v]) => [k, [...v]])),
      ...(h.bestEpoch !== undefined ? { bestEpoch: h.bestEpoch } : {}),
    })),
    predictions: Array.from({ length: labels.length }, (_, i) => ({
      id: ids?.[i] ?? String(i),
      label: labels[i] as number,
      score: scores[i] as number,
      ...(cv ? { fold: (cv.fold[i] as number) + 1 } : {}),
    })),
    disclaimer: DISCLAIMER,
  };
}
