import * as tf from '@tensorflow/tfjs-core';
import { CtHemorrhageError } from '../errors/index.js';
import type { MonitorName } from './options.js';

/** A tensor with a name, as optimisers' `getWeights` give them. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

/** Format tag of {@link TrainingState}; a checkpoint with another tag is refused. */
export const CHECKPOINT_FORMAT = 'ct-hemorrhage-checkpoint/1';

/**
 * Where training stood when a checkpoint was taken: plain JSON (the tensors are in
 * {@link TrainingCheckpoint}). The model's weights are not in it: save the model beside it.
 */
export interface TrainingState {
  readonly format: typeof CHECKPOINT_FORMAT;
  /** Epoch in progress (from 0). */
  readonly epoch: number;
  /** Batches of `epoch` already trained; `0` when the epoch has not started. */
  readonly batchesDone: number;
  /** Sums of loss and correct predictions over the batches of `epoch` already trained. */
  readonly lossSum: number;
  readonly correctSum: number;
  /** Settings that must match when resuming, or the run would not be the same. */
  readonly seed: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly trainCount: number;
  readonly validationCount: number;
  readonly monitor: MonitorName;
  /** History of the completed epochs. */
  readonly epochs: number[];
  readonly history: Record<string, number[]>;
  /** Early stopping: best value of `monitor` (null before the first epoch), its epoch, epochs waited. */
  readonly bestValue: number | null;
  readonly bestEpoch: number;
  readonly wait: number;
  /** With `reduceLrOnPlateau`: the learning rate and the epochs waited towards its next cut. */
  readonly learningRate?: number;
  readonly lrWait?: number;
  /** With `swaEpochs`: epochs summed into `averageSums` so far. */
  readonly averagedEpochs?: number;
}

/**
 * A snapshot that {@link train} can resume from with `resumeFrom`, reaching the same weights
 * as a run that was never interrupted (same data, options and backend). Given to
 * `checkpoint.save`; its tensors belong to the trainer and are disposed after `save` returns.
 * A checkpoint read back from disk belongs to the caller (`disposeCheckpoint`).
 */
export interface TrainingCheckpoint {
  readonly state: TrainingState;
  /** The optimiser's state (`optimizer.getWeights()`, plus Adam's running beta powers). */
  readonly optimizer: NamedTensor[];
  /** Weights of the best epoch so far, when best weights are kept for restoring. */
  readonly bestWeights?: tf.Tensor[];
  /** With `swaEpochs`: sums of the trainable weights over the averaged epochs so far. */
  readonly averageSums?: tf.Tensor[];
}

/** Disposes the tensors of a checkpoint (not the model). */
export function disposeCheckpoint(checkpoint: TrainingCheckpoint): void {
  tf.dispose(checkpoint.optimizer.map((n) => n.tensor));
  tf.dispose(checkpoint.bestWeights);
  tf.dispose(checkpoint.averageSums);
}

/**
 * Adam keeps beta1^t and beta2^t as running products; `setWeights` recomputes them with `pow`,
 * which rounds differently. Saving them makes a resumed run bit-identical.
 */
const RUNNING_SCALARS = ['accBeta1', 'accBeta2'] as const;
const PREFIX = '__optimizer.';

/** Copies of the optimiser's state tensors. */
export async function optimizerState(optimizer: tf.Optimizer): Promise<NamedTensor[]> {
  const weights = await optimizer.getWeights();
  const out = weights.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
  // getWeights returns the optimiser's own variables and freshly made tensors (the step count).
  tf.dispose(weights.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
  const fields = optimizer as unknown as Record<string, unknown>;
  for (const key of RUNNING_SCALARS) {
    const v = fields[key];
    if (v instanceof tf.Variable) out.push({ name: PREFIX + key, tensor: tf.clone(v) });
  }
  return out;
}

/** Puts `state` (from {@link optimizerState}) into a fresh optimiser of the same kind. */
export async function restoreOptimizerState(optimizer: tf.Optimizer, state: NamedTensor[]): Promise<void> {
  const own = state.filter((s) => !s.name.startsWith(PREFIX));
  // setWeights makes its own variables (sharing data, reference counted), so the checkpoint's
  // tensors stay the caller's to dispose.
  await optimizer.setWeights(own);
  const fields = optimizer as unknown as Record<string, unknown>;
  for (const s of state) {
    if (!s.name.startsWith(PREFIX)) continue;
    const v = fields[s.name.slice(PREFIX.length)];
    if (v instanceof tf.Variable) v.assign(s.tensor);
  }
}

/** Throws BAD_INPUT unless `state` was taken by a run with the same settings as this one. */
export function checkResumable(
  state: TrainingState,
  run: Omit<TrainingState, 'format' | 'epoch' | 'batchesDone' | 'lossSum' | 'correctSum' | 'epochs' | 'history' | 'bestValue' | 'bestEpoch' | 'wait' | 'learningRate' | 'lrWait' | 'averagedEpochs'>,
): void {
  if (state?.format !== CHECKPOINT_FORMAT) {
    throw new CtHemorrhageError(
      'MODEL_FORMAT',
      `The checkpoint has format "${String(state?.format)}"; this version of the library reads "${CHECKPOINT_FORMAT}". Start training afresh.`,
      { expected: CHECKPOINT_FORMAT, received: state?.format },
    );
  }
  for (const key of Object.keys(run) as (keyof typeof run)[]) {
    if (state[key] !== run[key]) {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        `The checkpoint was taken with ${key} = ${String(state[key])}, but this run has ${key} = ${String(run[key])}. ` +
          'Resume with the same data and options as the interrupted run, or start afresh.',
        { option: key, expected: state[key], received: run[key] },
      );
    }
  }
}
