import * as tf from '@tensorflow/tfjs-core';
import { FILTER_GRAD_KERNEL, filterGradAttrs, kernelsAvailable } from './kernels/ops.js';

const WASM = 'wasm';

interface BackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * Registers tfjs's `Conv2DBackpropFilter` kernel for the wasm backend, which lacks it: the
 * library's SIMD filter-gradient kernel. tfjs calls it from gradients the library does not
 * replace, such as that of a fused convolution (tfjs-layers fuses a convolution without
 * activation). NHWC only; the kernel throws for NCHW.
 */
let registered = false;

export function registerConv2DBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', WASM) !== undefined) return;
  registered = true;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: WASM,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as BackpropFilterAttrs;
      if (!kernelsAvailable()) {
        throw new Error(
          'Conv2DBackpropFilter on wasm needs the ct-hemorrhage SIMD training kernels, which cannot run here ' +
            "(useKernelBuild('none'), or no WebAssembly SIMD). Give the convolution an activation such as relu, or train on cpu.",
        );
      }
      if (a.dataFormat === 'NCHW') {
        throw new Error('Conv2DBackpropFilter on wasm (ct-hemorrhage): NCHW is not supported; use channels-last (NHWC) data.');
      }
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        a.filterShape,
        a.strides,
        1,
        a.pad as 'valid',
        a.dimRoundingMode,
      );
      const kernel = tf.getKernel(FILTER_GRAD_KERNEL, WASM) as tf.KernelConfig;
      return kernel.kernelFunc({ inputs: { x, dy }, backend, attrs: filterGradAttrs(info) });
    },
  });
}

/** Removes the `Conv2DBackpropFilter` kernel {@link registerConv2DBackpropFilter} added, if it did. */
export function unregisterConv2DBackpropFilter(): void {
  if (!registered) return;
  registered = false;
  tf.unregisterKernel('Conv2DBackpropFilter', WASM);
}
