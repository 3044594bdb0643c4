import type * as tfl from '@tensorflow/tfjs-layers';
import { prepareData, requireBackend, type LabeledData } from '../data/index.js';
import { predictScores } from '../inference/index.js';
import { getModelInfo } from '../metadata/index.js';
import { binaryMetrics, type BinaryMetrics } from '../metrics/index.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Inference batch size. Default `32`. */
  batchSize?: number;
  /** Decision threshold. Default: the one saved with the model. */
  threshold?: number;
}

/**
 * What {@link evaluate} returns: every field of {@link BinaryMetrics} (threshold metrics,
 * ROC and PR AUC, calibration, intervals) plus every score, in data order, from which
 * {@link rocCurve}, {@link precisionRecallCurve}, {@link calibration}, {@link selectThreshold}
 * and {@link bootstrapAucInterval} compute the rest.
 */
export interface Evaluation extends BinaryMetrics {
  /** Positive-class probability of every sample, in the order given. */
  readonly scores: Float32Array;
  /** Label of every sample, in the order given. */
  readonly labels: Float32Array;
  /** Identifier of every sample, in the order given. */
  readonly ids: readonly string[];
}

/**
 * Evaluates `model` on labelled data, preprocessing images exactly as the model's saved
 * preprocessing says, and returns the metrics of {@link binaryMetrics} at the model's
 * threshold (or `options.threshold`): accuracy, loss, confusion matrix, sensitivity,
 * specificity, PPV, NPV, F1 and balanced accuracy at the threshold; ROC AUC, PR AUC (average
 * precision), Brier score and ECE; 95% intervals (Wilson, DeLong); and the scores themselves.
 *
 * @example
 * ```ts
 * const result = await evaluate(model, images);
 * result.accuracy;        // e.g. 0.8125
 * result.rocAuc;          // e.g. 0.87
 * result.prAuc;           // e.g. 0.85
 * result.confusionMatrix; // { tp: 13, fp: 3, tn: 13, fn: 3 }
 * // Pick an operating point on validation data, then evaluate test data with it:
 * const { threshold } = selectThreshold(result.labels, result.scores, { method: 'sensitivity', target: 0.95 });
 * ```
 */
export async function evaluate(
  model: tfl.LayersModel,
  data: LabeledData,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  requireBackend();
  const info = getModelInfo(model);
  const prepared = prepareData(data, info.preprocessing, 'evaluation data');
  try {
    const scores = await predictScores(model, prepared.xs, options.batchSize ?? 32);
    const metrics = binaryMetrics(prepared.labels, scores, options.threshold ?? info.preprocessing.threshold);
    return { ...metrics, scores, labels: prepared.labels, ids: prepared.ids };
  } finally {
    prepared.dispose();
  }
}
