import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import * as tf from '@tensorflow/tfjs-core';
import { CtHemorrhageError } from '../../errors/index.js';
import { activeKernelBuild, enableWasmTraining } from '../../wasm-training/index.js';
import { retryKernelBuilds } from '../../wasm-training/kernels/module.js';

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
  /**
   * Build of the library's training kernels that runs with `wasmTraining`: `relaxed-simd`
   * (fused multiply-add), `simd`, or null when they cannot run (the gradients then fall back to
   * stock kernels, several times slower).
   */
  readonly kernelBuild: 'relaxed-simd' | 'simd' | null;
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
  /**
   * When training on wasm in a Node.js whose V8 keeps WebAssembly relaxed SIMD behind a flag
   * (Node 20; Node 22 and later have it on), turn on `--experimental-wasm-relaxed-simd` so the
   * training kernels can use fused multiply-add: about 15-20% faster training. The flag is
   * process-wide and only adds instructions. Default `true`; `false` leaves V8's flags alone.
   */
  relaxedSimd?: boolean;
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
 * choice.kernelBuild; // 'relaxed-simd'
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
      if (wasmTraining) {
        if (options.relaxedSimd !== false && activeKernelBuild() !== 'relaxed-simd') {
          setFlagsFromString('--experimental-wasm-relaxed-simd');
          retryKernelBuilds();
        }
        enableWasmTraining();
      }
      return { name: tf.getBackend(), tried, wasmTraining, kernelBuild: wasmTraining ? activeKernelBuild() : null };
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
