import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { CtHemorrhageError } from '../../errors/index.js';
import type { ShardRequest, ShardResult } from '../../trainer/shard.js';
import type { GradientWorkers, WorkerSetup } from '../../trainer/workers.js';
import type { FromWorker, ToWorker, WorkerOptions } from './protocol.js';
import { activeKernelBuild } from '../../wasm-training/index.js';

/** Options of {@link createTrainingWorkers}. */
export interface TrainingWorkersOptions {
  /**
   * Worker threads besides the calling one. Default: the machine's cores minus one, at least
   * one (so a 2-core machine trains on both cores).
   */
  threads?: number;
  /** Backend of the workers. Default: the active backend if it is wasm or cpu, else wasm. */
  backend?: 'wasm' | 'cpu';
  /** The worker script. Default: `train-worker.js` beside this module (in `dist/`). */
  workerScript?: string | URL;
}

/** {@link GradientWorkers} over Node worker threads; call `terminate()` when done. */
export interface TrainingWorkers extends GradientWorkers {
  /** Backend the workers run. */
  readonly backend: string;
  /** Tensors each worker holds now (0 between training runs). */
  memory(): Promise<number[]>;
  /** Ends every worker thread. */
  terminate(): Promise<void>;
}

interface Slot {
  worker: Worker;
  waiting: ((message: FromWorker) => void)[];
  failure?: Error;
}

function wasmPaths(): string {
  const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  return join(dirname(entry), '/').replace(/\/?$/, '/');
}

/**
 * Starts worker threads that each hold a replica of the model on their own TensorFlow.js
 * backend and compute gradients over part of every batch: pass the result as
 * `train(..., { workers })`. TensorFlow.js keeps the wasm backend single-threaded in Node, so
 * this is how training uses more than one core. Weights are sent to every worker each step
 * and gradients summed, so the result equals single-thread training up to float rounding.
 * It pays when a batch costs far more than copying the weights: at 64x64 and above for the
 * seed CNNs.
 *
 * @example
 * ```ts
 * const workers = await createTrainingWorkers({ threads: 1 });
 * try {
 *   await train(model, images, { epochs: 20, workers }); // 2 threads: this one and a worker
 * } finally {
 *   await workers.terminate();
 * }
 * ```
 */
export async function createTrainingWorkers(options: TrainingWorkersOptions = {}): Promise<TrainingWorkers> {
  const threads = options.threads ?? Math.max(1, availableParallelism() - 1);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new CtHemorrhageError('BAD_INPUT', `Option threads must be an integer >= 1; got ${threads}.`, {
      option: 'threads',
      received: threads,
    });
  }
  const active = tf.getBackend();
  const backend = options.backend ?? (active === 'cpu' ? 'cpu' : 'wasm');
  const script = options.workerScript ?? new URL('./train-worker.js', import.meta.url);
  const workerOptions: WorkerOptions = {
    backend,
    wasmPaths: backend === 'wasm' ? wasmPaths() : '',
    kernelBuild: activeKernelBuild(),
  };
  const slots: Slot[] = [];

  const next = (slot: Slot): Promise<FromWorker> =>
    new Promise((resolve, reject) => {
      if (slot.failure) reject(slot.failure);
      else slot.waiting.push(resolve);
    });
  const request = async (slot: Slot, message: ToWorker, transfer: ArrayBuffer[] = []): Promise<FromWorker> => {
    const reply = next(slot);
    slot.worker.ref();
    slot.worker.postMessage(message, transfer);
    try {
      return await reply;
    } finally {
      slot.worker.unref();
    }
  };
  const fail = (slot: Slot, error: Error) => {
    slot.failure = new CtHemorrhageError('BACKEND_NOT_READY', `A training worker failed: ${error.message}`, {}, { cause: error });
    for (const w of slot.waiting.splice(0)) w({ type: 'error', message: slot.failure.message });
  };

  for (let i = 0; i < threads; i++) {
    const worker = new Worker(script, { workerData: workerOptions });
    const slot: Slot = { worker, waiting: [] };
    worker.on('message', (m: FromWorker) => slot.waiting.shift()?.(m));
    worker.on('error', (e) => fail(slot, e));
    worker.on('exit', (code) => fail(slot, new Error(`worker exited with code ${code}`)));
    slots.push(slot);
  }
  const check = (m: FromWorker, expected: FromWorker['type']): FromWorker => {
    if (m.type === 'error') throw new CtHemorrhageError('BACKEND_NOT_READY', `A training worker failed: ${m.message}`);
    if (m.type !== expected) throw new CtHemorrhageError('BACKEND_NOT_READY', `A training worker answered ${m.type}, not ${expected}.`);
    return m;
  };
  const terminate = async () => {
    await Promise.all(slots.map((s) => s.worker.terminate()));
  };
  try {
    const ready = await Promise.all(slots.map(async (s) => { s.worker.ref(); try { return check(await next(s), 'ready'); } finally { s.worker.unref(); } }));
    return {
      size: threads,
      backend: (ready[0] as { backend: string }).backend,
      async start(setup: WorkerSetup) {
        await Promise.all(slots.map(async (s) => check(await request(s, { type: 'start', setup }), 'started')));
      },
      async compute(weights: readonly Float32Array[], requests: readonly ShardRequest[]): Promise<ShardResult[]> {
        return Promise.all(
          requests.map(async (req, i) => {
            const slot = slots[i] as Slot;
            const m = check(await request(slot, { type: 'compute', id: i, weights, request: req }), 'result');
            return (m as { result: ShardResult }).result;
          }),
        );
      },
      async stop() {
        await Promise.all(slots.filter((s) => !s.failure).map(async (s) => check(await request(s, { type: 'stop' }), 'stopped')));
      },
      async memory() {
        return Promise.all(
          slots.map(async (s) => (check(await request(s, { type: 'memory' }), 'memory') as { numTensors: number }).numTensors),
        );
      },
      terminate,
    };
  } catch (error) {
    await terminate();
    throw error;
  }
}
