import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CtHemorrhageError } from '../../errors/index.js';
import { enableWasmTraining } from '../../wasm-training/index.js';

/** Backends the Node helpers can register, fastest first. */
export type NodeBackendName = 'tensorflow' | 'wasm' | 'cpu';

/** What {@link selectBackend} chose, and what it tried before. */
export interface BackendChoice {
  /** The active backend (`tf.getBackend()`). */
  readonly name: string;
  /** Backends tried and why each failed, in order. */
  readonly tried: readonly {
    /** Backend name. */
    name: string;
    /** Why it could not start. */
    error: string;
  }[];
  /** True when the library's wasm training path ({@link enableWasmTraining}) is on. */
  readonly wasmTraining: boolean;
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /** `'auto'` or one backend. Default `'auto'`. */
  preference?: 'auto' | NodeBackendName;
  /**
   * The backend will train. With wasm chosen, the library's training path is switched on
   * ({@link enableWasmTraining}); the stock wasm backend cannot train. Default `false`.
   */
  training?: boolean;
}

const importModule = (name: string): Promise<unknown> => import(name);

async function register(name: NodeBackendName): Promise<void> {
  if (name === 'tensorflow') {
    await importModule('@tensorflow/tfjs-node');
  } else if (name === 'wasm') {
    const wasm = (await importModule('@tensorflow/tfjs-backend-wasm')) as {
      setWasmPaths(prefix: string): void;
    };
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(join(dirname(entry), '/').replace(/\/?$/, '/'));
  } else {
    await importModule('@tensorflow/tfjs-backend-cpu');
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

/**
 * Registers and activates the fastest TensorFlow.js backend available in this Node process:
 * tfjs-node (`tensorflow`) if installed, then wasm (with the library's training path when
 * `training` is set; about 150x faster than cpu for the seed CNNs), then cpu. The library itself never does this; the CLI, examples and tests do.
 * Throws `BACKEND_NOT_READY` listing every backend tried when none works.
 *
 * @example
 * ```ts
 * const choice = await selectBackend({ training: true });
 * choice.name;  // 'wasm'
 * choice.wasmTraining; // true
 * choice.tried; // [{ name: 'tensorflow', error: "Cannot find package '@tensorflow/tfjs-node'" }]
 * ```
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const preference = options.preference ?? 'auto';
  const order: NodeBackendName[] =
    preference !== 'auto' ? [preference] : ['tensorflow', 'wasm', 'cpu'];
  const tried: { name: string; error: string }[] = [];
  for (const name of order) {
    try {
      await register(name);
      const wasmTraining = options.training === true && tf.getBackend() === 'wasm';
      if (wasmTraining) enableWasmTraining();
      return { name: tf.getBackend(), tried, wasmTraining };
    } catch (error) {
      tried.push({ name, error: (error instanceof Error ? error.message : String(error)).split('\n')[0] as string });
    }
  }
  throw new CtHemorrhageError(
    'BACKEND_NOT_READY',
    `No TensorFlow.js backend could be started. Tried: ${tried.map((t) => `${t.name} (${t.error})`).join('; ')}. ` +
      'Install one, e.g. "npm install @tensorflow/tfjs-backend-cpu @tensorflow/tfjs-backend-wasm".',
    { received: tried },
  );
}
