import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { CtHemorrhageError } from '../errors/index.js';
import { selectBackend, type NodeBackendName } from '../node/backend/index.js';
import type { Output } from './output.js';
import type { OptionSpec } from './args.js';

/** The `--backend` option every command shares. */
export const BACKEND_OPTION: OptionSpec = {
  type: 'string',
  value: 'name',
  help: 'auto, tensorflow (tfjs-node), wasm or cpu',
  default: 'auto',
};

/** The backend that runs, and how many threads train on it. */
export interface ActiveBackend {
  readonly name: string;
  readonly threads: number;
}

/**
 * Activates the backend named by `--backend` and prints which one runs. When training on
 * wasm, `threads` (default: every core) threads train; other backends train on one.
 */
export async function useBackend(value: unknown, training: boolean, io: Output, threads?: number): Promise<ActiveBackend> {
  tf.enableProdMode(); // keeps tfjs' Node banner and debug warnings out of the CLI's output
  const preference = String(value ?? 'auto') as 'auto' | NodeBackendName;
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(preference)) {
    throw new CtHemorrhageError('BAD_INPUT', `--backend must be auto, tensorflow, wasm or cpu; got "${preference}".`, {
      option: 'backend',
      received: preference,
    });
  }
  const choice = await selectBackend({ preference, training });
  const skipped = choice.tried.length > 0 ? ` (not available: ${choice.tried.map((t) => t.name).join(', ')})` : '';
  const count = choice.wasmTraining ? (threads ?? Math.max(1, availableParallelism())) : 1;
  const kernels = choice.kernelBuild ? `${choice.kernelBuild} kernels` : 'stock kernels: slow';
  const path = choice.wasmTraining ? ` (ct-hemorrhage wasm training path, ${kernels}, ${count} thread${count > 1 ? 's' : ''})` : '';
  io.err(`backend: ${choice.name}${path}${skipped}`);
  return { name: choice.name, threads: count };
}
