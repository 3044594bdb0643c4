import type { BinaryMetrics } from '../metrics/index.js';
import type { TrainHistory, TrainOptions } from '../trainer/index.js';

/** Options of {@link crossValidate}; every default is in {@link CROSS_VALIDATE_DEFAULTS}. */
export interface CrossValidateOptions {
  /** Number of folds, an integer >= 2 and at most the number of groups of each class. Default `5`. */
  folds?: number;
  /**
   * Group (patient, scan) of every sample, in data order: a group never lands in the training
   * and the test side of one fold. Default: each image's `group`, or `groups` of tensor data.
   * Pass it to override those, or to group tensor data that carries none.
   */
  groups?: readonly (string | undefined)[];
  /** Seed of the fold assignment, and of training unless `train.seed` says otherwise. Default `42`. */
  seed?: number;
  /**
   * Options of every fold's {@link train} call: epochs, batch size, learning rate, class weights,
   * augmentation, workers, and `validationSplit` with `patience` for early stopping. The
   * validation split is taken from the fold's training side (grouped and stratified); the
   * held-out fold never steers training, so its scores are honest out-of-fold scores.
   * `validationData` is refused for the same reason. Default: {@link TRAIN_DEFAULTS}.
   */
  train?: Omit<TrainOptions, 'validationData'>;
  /**
   * Decision threshold of the fold and pooled metrics. Default: the one each fold's model holds
   * after training (chosen on its validation split with `train.selectThreshold`); the pooled
   * metrics then use the first fold's.
   */
  threshold?: number;
  /** Inference batch size on the held-out fold. Default `32`. */
  batchSize?: number;
  /** Called after each fold, with its result, before the next fold starts; awaited. */
  onFold?: (result: FoldResult) => void | Promise<void>;
}

/** Defaults of {@link CrossValidateOptions}. */
export const CROSS_VALIDATE_DEFAULTS = Object.freeze({
  folds: 5,
  seed: 42,
  batchSize: 32,
});

/** One fold of a {@link CrossValidation}. */
export interface FoldResult {
  /** Fold index, from 0. */
  readonly fold: number;
  /** Samples on the training side of this fold (including any validation split of them). */
  readonly trainCount: number;
  /** Samples held out and scored in this fold. */
  readonly testCount: number;
  /** Metrics of this fold's model on its held-out samples. */
  readonly metrics: BinaryMetrics;
  /** What {@link train} returned for this fold. */
  readonly history: TrainHistory;
}

/** What {@link crossValidate} returns: per-fold results and pooled out-of-fold scores. */
export interface CrossValidation {
  /** Number of folds. */
  readonly foldCount: number;
  /** Seed of the fold assignment. */
  readonly seed: number;
  /** One entry per fold, in fold order. */
  readonly folds: readonly FoldResult[];
  /**
   * Metrics of the pooled out-of-fold scores (every sample scored once, by the model that did not
   * train on it), with 95% intervals. Scores of different folds come from different models, so
   * the pooled AUC also pays for any disagreement in their calibration.
   */
  readonly pooled: BinaryMetrics;
  /** Mean ROC AUC of the folds. */
  readonly meanAuc: number;
  /** Sample standard deviation of the folds' ROC AUCs (the spread: `meanAuc ± sdAuc`). */
  readonly sdAuc: number;
  /** Out-of-fold score of every sample, in data order. */
  readonly scores: Float32Array;
  /** Label of every sample, in data order. */
  readonly labels: Float32Array;
  /** Identifier of every sample, in data order (the image `id`, else its index). */
  readonly ids: readonly string[];
  /** The fold in which every sample was held out and scored, in data order. */
  readonly fold: Int32Array;
  /** Group of every sample as used for the split, in data order (`undefined`: its own group). */
  readonly groups: readonly (string | undefined)[];
}
