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

/** Activates the backend named by `--backend` and prints which one runs. */
export async function useBackend(value: unknown, training: boolean, io: Output): Promise<string> {
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
  io.err(`backend: ${choice.name}${skipped}`);
  return choice.name;
}
