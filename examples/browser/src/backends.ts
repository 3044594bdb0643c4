import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// The wasm binaries travel with the page (Vite emits them as assets): nothing comes from a CDN.
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

/** Backends the page offers, fastest first where the browser has them. */
export const BACKENDS = ['webgl', 'wasm', 'cpu', 'webgpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

interface Gpu {
  requestAdapter(): Promise<unknown>;
}

/** Why WebGPU cannot run here (no API, or no adapter), or `undefined` when it can. */
export async function webGpuUnavailable(): Promise<string | undefined> {
  const gpu = (navigator as Navigator & { gpu?: Gpu }).gpu;
  if (!gpu) return 'not in this browser';
  try {
    return (await gpu.requestAdapter()) ? undefined : 'no adapter here';
  } catch {
    return 'no adapter here';
  }
}

/**
 * Activates a tfjs backend and returns the one now active. WebGPU is loaded on demand. Throws
 * with a readable message when the backend cannot start here; the previous one stays active.
 */
export async function activateBackend(name: BackendName): Promise<string> {
  if (name === 'webgpu') {
    const reason = await webGpuUnavailable();
    if (reason) throw new Error(`WebGPU cannot run here (${reason}); still on ${tf.getBackend()}.`);
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok) throw new Error(`The ${name} backend could not start in this browser; still on ${tf.getBackend()}.`);
  return tf.getBackend();
}
