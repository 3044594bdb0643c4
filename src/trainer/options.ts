import type * as tf from '@tensorflow/tfjs-core';
import type { AugmentOptions } from '../augment/index.js';
import type { LabeledData } from '../data/index.js';
import type { OperatingPoint } from '../metrics/index.js';
import type { TrainingCheckpoint } from './checkpoint.js';
import type { GradientWorkers } from './workers.js';

/** Per-epoch (and per-batch) numbers, keyed as tfjs does: `loss`, `acc`, `val_loss`, `val_acc`, `val_auc`. */
export type Logs = Record<string, number>;

/** A metric the trainer can watch for early stopping. */
export type MonitorName = 'loss' | 'acc' | 'val_loss' | 'val_acc' | 'val_auc';

/** Optional hooks, as in tfjs `model.fit`. Each may return a promise, which is awaited. */
export interface TrainCallbacks {
  /** Before the first epoch. */
  onTrainBegin?: (logs?: Logs) => void | Promise<void>;
  /** After the last epoch, with its logs. */
  onTrainEnd?: (logs?: Logs) => void | Promise<void>;
  /** Before each epoch (from 0). */
  onEpochBegin?: (epoch: number, logs?: Logs) => void | Promise<void>;
  /** After each epoch, with `loss`, `acc` and, with validation data, `val_loss`, `val_acc`, `val_auc`. */
  onEpochEnd?: (epoch: number, logs?: Logs) => void | Promise<void>;
  /** Before each batch (from 0 in every epoch), with `batch` and `size`. */
  onBatchBegin?: (batch: number, logs?: Logs) => void | Promise<void>;
  /** After each batch, with `batch`, `size`, `loss` and `acc`. */
  onBatchEnd?: (batch: number, logs?: Logs) => void | Promise<void>;
}

/** Options of {@link train}; every default is in {@link TRAIN_DEFAULTS}. */
export interface TrainOptions {
  /** Passes over the training data. Default `10`. */
  epochs?: number;
  /** Samples per gradient step. Default `16`. */
  batchSize?: number;
  /** Learning rate of the Adam optimiser the trainer creates. Default `0.001`. */
  learningRate?: number;
  /**
   * An optimiser to use instead of a fresh Adam; the caller keeps ownership (the trainer does
   * not dispose it). Default: a new `tf.train.adam(learningRate)`, disposed when training ends.
   */
  optimizer?: tf.Optimizer;
  /** Data to validate on after every epoch. Takes precedence over `validationSplit`. */
  validationData?: LabeledData;
  /**
   * Fraction of the training images held out for validation, stratified by label and grouped by
   * `group` where images have one (a group never lands on both sides). Only for image arrays.
   * Default `0` (no validation).
   */
  validationSplit?: number;
  /**
   * Weight of each class in the loss: `{0: w0, 1: w1}`, or `'balanced'` for
   * `n / (2 * count(class))`. Default: equal weights.
   */
  classWeight?: 'balanced' | Readonly<Record<0 | 1, number>>;
  /**
   * Augment every training image, every epoch, on the active backend (never validation data).
   * Draws depend on (seed, epoch, image), so they differ between epochs and do not depend on
   * batching or threads. For example `AUGMENT_PRESETS.ct`. Default: none.
   */
  augment?: AugmentOptions;
  /** Shuffle the training data every epoch (seeded). Default `true`. */
  shuffle?: boolean;
  /** Seed of shuffling, the validation split and dropout masks. Default `42`. */
  seed?: number;
  /** Epochs without improvement of `monitor` before stopping; `0` turns early stopping off. Default `0`. */
  patience?: number;
  /** Metric that early stopping and best-weights restore watch. Default `'val_loss'` with validation data, else `'loss'`. */
  monitor?: MonitorName;
  /** Smallest change of `monitor` that counts as an improvement. Default `0`. */
  minDelta?: number;
  /** At the end, put back the weights of the epoch where `monitor` was best. Default `true` when `patience > 0`. */
  restoreBestWeights?: boolean;
  /**
   * Lowers the learning rate when `monitor` stops improving, as Keras' `ReduceLROnPlateau`:
   * after `patience` epochs (default `3`) without improvement it is multiplied by `factor`
   * (default `0.5`), never below `minLearningRate` (default `1e-5`). The rate of every epoch is
   * in the history as `lr`. Needs an optimiser with a `learningRate` field (Adam, SGD, RMSprop).
   * Default: off.
   */
  reduceLrOnPlateau?: {
    /** Multiplier of the learning rate at each cut, in (0, 1). Default `0.5`. */
    factor?: number;
    /** Epochs without improvement before a cut. Default `3`. */
    patience?: number;
    /** The rate never goes below this. Default `1e-5`. */
    minLearningRate?: number;
  };
  /**
   * After training (and any best-weights restore), choose the decision threshold on the
   * validation data and store it in the model's metadata, where predictors and `evaluate` read
   * it: `'youden'` maximises sensitivity + specificity, with the threshold placed midway (in
   * log-odds) between the validation scores either side of the chosen cut, not on one of them
   * (see {@link selectThreshold}'s `placement`). Models whose scores shift (batch
   * normalisation with small batches) need this more than a fixed 0.5. `'youden-1se'` applies
   * the one-standard-error rule: of the cuts whose validation balanced accuracy is within one
   * standard error of Youden's, the one nearest 0.5 (0.5 itself where it gives that cut's
   * calls), so a small validation split moves the threshold only as far as its evidence
   * reaches. Needs validation data with both classes. Default `'none'`: the model's threshold
   * stays.
   */
  selectThreshold?: 'youden' | 'youden-1se' | 'none';
  /**
   * Statistics batch-normalisation layers use when predicting (validation included):
   * `'moving'`, the moving averages each training batch updates (tfjs and Keras); or
   * `'population'`, recomputed after every epoch over all training images (not augmented,
   * run as in training, in batches of `batchSize`), so validation scores, early stopping and
   * the chosen threshold do not wander with the last few small batches. Costs one forward pass
   * over the training data per epoch, on the calling thread. No effect without such layers.
   * Default `'moving'`.
   */
  batchNormStatistics?: 'moving' | 'population';
  /**
   * Stochastic weight averaging (Izmailov et al., 2018): the model ends with the mean of its
   * trainable weights at the end of each of the last `swaEpochs` of `epochs` (those that ran,
   * if early stopping ends training inside that window), instead of the last epoch's. Its
   * batch-normalisation statistics are then recomputed over the training images (whatever
   * `batchNormStatistics` says: the moving averages belong to other weights), its validation
   * metrics are in the history's `averaged`, and `selectThreshold` chooses on its scores. An
   * average of nearby solutions is often steadier on unseen images than any one of them. With
   * early stopping, the average takes the place of the best epoch's weights when training
   * reached the window, and the best weights are restored as usual when it stopped before.
   * Not applied when `signal` stops training. Default `0`: off.
   */
  swaEpochs?: number;
  /** Hooks called during training. */
  callbacks?: TrainCallbacks;
  /**
   * Stops training after the current batch when aborted; the history of the completed epochs is
   * returned (a partly trained epoch is not in it, but is in the checkpoint taken on abort).
   */
  signal?: AbortSignal;
  /**
   * Checkpoints to resume from: `save` gets a {@link TrainingCheckpoint} after every
   * `everyEpochs` epochs (default `1`; not after the last) and when `signal` stops training,
   * mid-epoch included, so no trained batch is lost. The model's weights are not in the
   * checkpoint: save the model with it (in Node, `saveCheckpoint(dir, model, checkpoint)`).
   * Training waits for `save`; its tensors are disposed when it returns.
   */
  checkpoint?: {
    /** Epochs between checkpoints. Default `1`. */
    everyEpochs?: number;
    /** Stores the checkpoint (and the model's weights with it); awaited. */
    save: (checkpoint: TrainingCheckpoint) => void | Promise<void>;
  };
  /**
   * Goes on from a checkpoint taken by an earlier run with the same data and options: `model`
   * must hold the weights saved with it (in Node, `loadCheckpoint(dir)` gives both). The result
   * equals that of a run that was never interrupted, on the same backend. The checkpoint stays
   * the caller's. `epochs` may be raised to train further.
   */
  resumeFrom?: TrainingCheckpoint;
  /**
   * Threads that compute part of every batch (data parallel, gradients summed every step).
   * In Node: `await createTrainingWorkers({ threads: 1 })` from `ct-hemorrhage/node`.
   * Default: none, the calling thread computes everything.
   */
  workers?: GradientWorkers;
}

/** Defaults of {@link TrainOptions}. */
export const TRAIN_DEFAULTS = Object.freeze({
  epochs: 10,
  batchSize: 16,
  learningRate: 0.001,
  validationSplit: 0,
  shuffle: true,
  seed: 42,
  patience: 0,
  minDelta: 0,
});

/** What {@link train} returns, shaped like tfjs `History`. */
export interface TrainHistory {
  /** Epoch indices that ran, from 0. */
  readonly epoch: number[];
  /** One array per metric, one value per epoch. */
  readonly history: Record<string, number[]>;
  /** The metric watched for early stopping and best weights. */
  readonly monitor: MonitorName;
  /** Epoch whose value of `monitor` was best. */
  readonly bestEpoch: number;
  /** True when early stopping or `signal` ended training before `epochs`. */
  readonly stoppedEarly: boolean;
  /** True when the weights of `bestEpoch` were put back at the end. */
  readonly restoredBestWeights: boolean;
  /** Samples trained on and validated on. */
  readonly trainCount: number;
  readonly validationCount: number;
  /** Epochs whose weights `swaEpochs` averaged into the final model; `0` without averaging. */
  readonly averagedEpochs: number;
  /** With averaged weights and validation data: `val_loss`, `val_acc` (at 0.5) and `val_auc` of the averaged model. */
  readonly averaged?: Logs;
  /** The threshold `selectThreshold` chose on the validation data, with its sensitivity and specificity there. */
  readonly threshold?: OperatingPoint;
}
