import type { ShardRequest, ShardResult } from '../../trainer/shard.js';
import type { WorkerSetup } from '../../trainer/workers.js';

/** Messages from the pool to a training worker. */
export type ToWorker =
  | { readonly type: 'start'; readonly setup: WorkerSetup }
  | { readonly type: 'compute'; readonly id: number; readonly weights: readonly Float32Array[]; readonly request: ShardRequest }
  | { readonly type: 'stop' }
  | { readonly type: 'memory' };

/** Messages from a training worker to the pool. */
export type FromWorker =
  | { readonly type: 'ready'; readonly backend: string }
  | { readonly type: 'started' }
  | { readonly type: 'result'; readonly id: number; readonly result: ShardResult }
  | { readonly type: 'memory'; readonly numTensors: number }
  | { readonly type: 'stopped' }
  | { readonly type: 'error'; readonly message: string };

/** What a worker is started with. */
export interface WorkerOptions {
  readonly backend: 'wasm' | 'cpu';
  /** Folder of the tfjs wasm binaries (with trailing slash). */
  readonly wasmPaths: string;
  /** Build of the training kernels the calling thread runs, so every thread sums alike. */
  readonly kernelBuild: 'relaxed-simd' | 'simd' | null;
}
