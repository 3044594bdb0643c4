import { hasBothClasses, type ReportInput } from './summary.js';
import {
  calibrationSpec,
  confusionMatrixSpec,
  foldRocSpec,
  precisionRecallSpec,
  rocSpec,
  trainingCurvesSpec,
  type TrainHistoryLike,
  type VegaLiteSpec,
} from './specs.js';

/** One plot of a report: a file name stem, a title, how to read it, and its Vega-Lite spec. */
export interface ReportPlot {
  /** File name without extension, e.g. `'roc'`. */
  readonly name: string;
  /** Heading of the plot. */
  readonly title: string;
  /** A sentence saying how to read it. */
  readonly caption: string;
  /** The Vega-Lite spec. */
  readonly spec: VegaLiteSpec;
}

/**
 * The plots of a report, as Vega-Lite specs: ROC (with the DeLong interval, a bootstrap band and
 * the operating point), per-fold ROC for a cross-validation, precision-recall, reliability
 * diagram, confusion matrix and, when a history with a loss is given, training curves. Curves
 * are left out when the data lacks a class.
 *
 * @example
 * ```ts
 * reportPlots({ evaluation: result, dataset: 'head_ct', split: 'none' }).map((p) => p.name);
 * // ['roc', 'precision-recall', 'calibration', 'confusion-matrix']
 * ```
 */
export function reportPlots(input: ReportInput): ReportPlot[] {
  const cv = input.crossValidation;
  const source = input.evaluation ?? cv?.pooled;
  const labels = input.evaluation?.labels ?? cv?.labels;
  const scores = input.evaluation?.scores ?? cv?.scores;
  if (!source || !labels || !scores) return [];
  const threshold = source.threshold;
  const classNames = input.classNames ?? input.modelInfo?.preprocessing.classNames ?? ['normal', 'hemorrhage'];
  const pooled = cv ? 'pooled out-of-fold ' : '';
  const plots: ReportPlot[] = [];
  if (hasBothClasses(labels)) {
    plots.push({
      name: 'roc',
      title: 'ROC curve',
      caption:
        `ROC curve of the ${pooled}scores with a pointwise 95% bootstrap band; the diamond is the operating point ` +
        `at threshold ${threshold}; the dashed diagonal is chance.`,
      spec: rocSpec(labels, scores, { threshold }),
    });
    if (cv) {
      plots.push({
        name: 'roc-folds',
        title: 'ROC per fold',
        caption: 'One ROC curve per fold (each fold scored by the model that did not train on it), and the pooled curve in black.',
        spec: foldRocSpec(cv),
      });
    }
    plots.push({
      name: 'precision-recall',
      title: 'Precision-recall curve',
      caption: 'Precision against recall; the dashed line is the prevalence, the precision of guessing.',
      spec: precisionRecallSpec(labels, scores, { threshold }),
    });
  }
  plots.push({
    name: 'calibration',
    title: 'Calibration',
    caption:
      'Observed hemorrhage rate against mean predicted probability in 10 equal-width bins (labelled with their ' +
      'counts); points on the diagonal are well calibrated. Below: samples per bin.',
    spec: calibrationSpec(labels, scores),
  });
  plots.push({
    name: 'confusion-matrix',
    title: 'Confusion matrix',
    caption: `Counts at threshold ${threshold}, with each cell's share of its true class.`,
    spec: confusionMatrixSpec(source.confusionMatrix, classNames, { threshold }),
  });
  const histories: readonly TrainHistoryLike[] =
    input.history === undefined
      ? (cv?.folds.map((f) => f.history) ?? [])
      : Array.isArray(input.history)
        ? (input.history as readonly TrainHistoryLike[])
        : [input.history as TrainHistoryLike];
  if (histories.some((h) => (h.history.loss?.length ?? 0) > 0)) {
    plots.push({
      name: 'training-curves',
      title: 'Training curves',
      caption:
        histories.length > 1
          ? 'Loss and validation metrics by epoch, one colour per fold (validation taken from the training folds).'
          : 'Loss and validation metrics by epoch.',
      spec: trainingCurvesSpec(histories.length === 1 ? (histories[0] as TrainHistoryLike) : histories),
    });
  }
  return plots;
}
