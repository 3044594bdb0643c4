import * as tf from '@tensorflow/tfjs-core';

const WASM = 'wasm';

interface RefCounting {
  incRef(dataId: object): void;
}

let stock: tf.KernelConfig | undefined;

/**
 * tfjs saves every tensor a gradient needs by cloning it (the `Identity` kernel), and the wasm
 * backend's `Identity` copies the data: three copies of each large activation per training
 * step. This registers an `Identity` for wasm that shares the data under a second reference,
 * as the cpu backend's does (tensors are immutable, so sharing is safe). Values are unchanged.
 */
export function shareIdentityOnWasm(): void {
  if (stock !== undefined) return;
  stock = tf.getKernel('Identity', WASM);
  if (stock === undefined) return; // the wasm backend is not imported
  tf.unregisterKernel('Identity', WASM);
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: WASM,
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      if (x.dtype === 'string') return (stock as tf.KernelConfig).kernelFunc({ inputs, backend, attrs: {} });
      (backend as unknown as RefCounting).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

/** Puts the wasm backend's own `Identity` kernel back. */
export function restoreIdentityOnWasm(): void {
  if (stock === undefined) return;
  tf.unregisterKernel('Identity', WASM);
  tf.registerKernel(stock);
  stock = undefined;
}
