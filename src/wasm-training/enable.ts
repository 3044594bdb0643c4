import * as tf from '@tensorflow/tfjs-core';
import { conv2dFilterGrad, conv2dInputGrad, conv2dSpecialised, type Conv2DAttrs } from './conv2d-grad.js';
import { biasGrad } from './bias-grad.js';
import { kernelsAvailable, registerTrainingKernels, reluGradKernel, unregisterTrainingKernels } from './kernels/ops.js';
import { maxPoolGrad, type MaxPoolAttrs } from './max-pool-grad.js';
import { restoreIdentityOnWasm, shareIdentityOnWasm } from './identity.js';
import { registerTrainingConv, unregisterTrainingConv } from './conv-layer.js';
import { registerTrainingConvPool, unregisterTrainingConvPool } from './conv-pool.js';
import { registerConv2DBackpropFilter, unregisterConv2DBackpropFilter } from './backprop-filter.js';

/** Backend name the overrides act on; every other backend keeps the stock gradients. */
const WASM = 'wasm';

const originals = new Map<string, tf.GradConfig>();

function onWasm(): boolean {
  return tf.getBackend() === WASM;
}

function override(kernelName: string, make: (original: tf.GradConfig) => tf.GradConfig): void {
  const original = tf.getGradient(kernelName);
  if (original === undefined) {
    throw new Error(
      `No stock gradient for ${kernelName} is registered; import '@tensorflow/tfjs-layers' (or tfjs) before enableWasmTraining().`,
    );
  }
  originals.set(kernelName, original);
  tf.registerGradient(make(original));
}

/**
 * Makes the TensorFlow.js wasm backend able to train every model the library builds.
 *
 * The stock wasm backend has no kernel for the filter gradient of a convolution, so training
 * fails there, and its input-gradient and max-pool-gradient kernels are slow. This registers
 * the library's WebAssembly SIMD training kernels (filter gradient, max-pool gradient, ReLU
 * gradient, bias gradient; they run on the wasm backend's own heap, no copies) and replaces
 * the gradients of `Conv2D`, `MaxPool`, `Relu` and the bias `Add` by them (the input gradient is
 * a forward convolution of the flipped filter) - only while the wasm backend is active: on any
 * other backend the stock gradients run unchanged. Where the SIMD kernels
 * cannot run (no WebAssembly SIMD, a threaded wasm build) or a shape is not theirs, the
 * gradients are composed from stock kernels; dilated or NCHW convolutions keep the stock
 * gradient.
 *
 * Idempotent; {@link disableWasmTraining} restores the stock gradients.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-wasm';
 * await tf.setBackend('wasm');
 * enableWasmTraining();
 * await train(buildLargerCnn(), images, { epochs: 10 }); // now runs on wasm
 * ```
 */
export function enableWasmTraining(): void {
  if (originals.size > 0) return;
  registerTrainingKernels();
  shareIdentityOnWasm();
  registerTrainingConv();
  registerTrainingConvPool();
  registerConv2DBackpropFilter();
  override('Conv2D', (original) => ({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const conv = attrs as unknown as Conv2DAttrs;
      if (!onWasm() || !conv2dSpecialised(conv)) return original.gradFunc(dy, saved, attrs);
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      return {
        x: () => conv2dInputGrad(dy as tf.Tensor4D, x, filter, conv),
        filter: () => conv2dFilterGrad(dy as tf.Tensor4D, x, filter, conv),
      };
    },
  }));
  override('MaxPool', (original) => ({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const pool = attrs as unknown as MaxPoolAttrs;
      if (!onWasm()) return original.gradFunc(dy, saved, attrs);
      const [x, y] = saved as [tf.Tensor4D, tf.Tensor4D];
      return { x: () => maxPoolGrad(dy as tf.Tensor4D, x, y, pool) };
    },
  }));
  override('Relu', (original) => ({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      if (!onWasm() || x.dtype !== 'float32' || !kernelsAvailable()) return original.gradFunc(dy, saved, attrs);
      return { x: () => reluGradKernel(dy as tf.Tensor, x) };
    },
  }));
  override('Add', (original) => ({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const stock = original.gradFunc(dy, saved, attrs);
      if (!onWasm()) return stock;
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      const fast = (operand: tf.Tensor, fallback: () => tf.Tensor) => () => biasGrad(dy as tf.Tensor, operand) ?? fallback();
      return {
        a: a.rank === 1 && (dy as tf.Tensor).rank > 1 ? fast(a, stock.a as () => tf.Tensor) : (stock.a as () => tf.Tensor),
        b: b.rank === 1 && (dy as tf.Tensor).rank > 1 ? fast(b, stock.b as () => tf.Tensor) : (stock.b as () => tf.Tensor),
      };
    },
  }));
}

/**
 * Puts back the stock gradients and wasm kernels that {@link enableWasmTraining} replaced, and
 * removes the kernels it added: the wasm backend is stock again.
 *
 * @example
 * ```ts
 * enableWasmTraining();
 * disableWasmTraining();
 * isWasmTrainingEnabled(); // false
 * ```
 */
export function disableWasmTraining(): void {
  for (const config of originals.values()) tf.registerGradient(config);
  originals.clear();
  restoreIdentityOnWasm();
  unregisterConv2DBackpropFilter();
  unregisterTrainingConv();
  unregisterTrainingConvPool();
  unregisterTrainingKernels();
}

/**
 * True while {@link enableWasmTraining} is in effect.
 *
 * @example
 * ```ts
 * enableWasmTraining();
 * isWasmTrainingEnabled(); // true
 * ```
 */
export function isWasmTrainingEnabled(): boolean {
  return originals.size > 0;
}
