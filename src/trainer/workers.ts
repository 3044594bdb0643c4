import type { ShardAugmentation, ShardRequest, ShardResult } from './shard.js';

/** What every worker receives once per training run. */
export interface WorkerSetup {
  /** `model.toJSON()` of the model being trained (topology only). */
  readonly modelTopology: string;
  /** Preprocessed training inputs, row-major `[n, h, w, c]`. */
  readonly xs: Float32Array;
  readonly shape: readonly [number, number, number, number];
  /** Augmentation applied to every training row, if any. */
  readonly augmentation?: ShardAugmentation;
}

/**
 * Extra threads that compute gradients over parts of each batch while the calling thread
 * computes its own part (data parallelism with the gradients summed every step, so the
 * result equals training on the whole batch up to float rounding). `ct-hemorrhage/node`
 * provides one over worker threads: `createTrainingWorkers`.
 */
export interface GradientWorkers {
  /** Worker threads; each batch is split into `size + 1` parts. */
  readonly size: number;
  /** Sends the model and the training inputs to every worker. */
  start(setup: WorkerSetup): Promise<void>;
  /** Computes `requests[i]` on worker `i` with the given weights (trainable order). */
  compute(weights: readonly Float32Array[], requests: readonly ShardRequest[]): Promise<ShardResult[]>;
  /** Frees what `start` sent; the threads stay for another run until terminated. */
  stop(): Promise<void>;
}
