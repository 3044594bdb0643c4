import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { conv2dFilterGrad, conv2dInputGrad, type Conv2DAttrs } from './conv2d-grad.js';
import { columnSumKernel, CONV_KERNEL, convKernelAttrs, kernelsAvailable, reluGradKernel } from './kernels/ops.js';

const WASM = 'wasm';
const KERNEL = 'CtHemorrhageConv2DBiasActivation';

interface Attrs extends Conv2DAttrs {
  activation: 'relu' | 'linear';
}

let registered = false;

/**
 * Registers a training convolution for the wasm backend: convolution, bias and activation in
 * one pass of the library's SIMD kernel forward (tfjs runs them as three kernels whenever
 * gradients are recorded), and a gradient from the library's kernels (ReLU mask from the
 * output, column-sum bias gradient, SIMD filter gradient) whose input gradient is computed
 * only when something upstream needs it.
 */
export function registerTrainingConv(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: KERNEL,
    backendName: WASM,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const conv = tf.getKernel(CONV_KERNEL, WASM) as tf.KernelConfig;
      const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
      const a = attrs as unknown as Attrs;
      const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], a.strides, 1, a.pad as 'valid');
      return conv.kernelFunc({ inputs, backend, attrs: convKernelAttrs(info, a.activation === 'relu') });
    },
  });
  tf.registerGradient({
    kernelName: KERNEL,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const conv = attrs as unknown as Attrs;
      // Gradient before the activation, needed by all three; the backward pass's scope disposes it.
      const dz = conv.activation === 'relu' ? (reluGradKernel(dy as tf.Tensor, y) as tf.Tensor4D) : (dy as tf.Tensor4D);
      const channels = filter.shape[3];
      return {
        x: () => conv2dInputGrad(dz, x, filter, conv),
        filter: () => conv2dFilterGrad(dz, x, filter, conv),
        bias: () => columnSumKernel(tf.reshape(dz, [-1, channels]) as tf.Tensor2D),
      };
    },
  });
}

/** Removes the training convolution's kernel; {@link trainingConv2d} then declines every layer. */
export function unregisterTrainingConv(): void {
  if (!registered) return;
  registered = false;
  tf.unregisterKernel(KERNEL, WASM);
}

export type LayerAttrs = Pick<Attrs, 'strides' | 'pad' | 'activation'>;

/** Per layer: the fused op's attributes, or null when the layer is not one it runs. */
const layerAttrs = new WeakMap<tfl.layers.Layer, LayerAttrs | null>();

/** The fused op's attributes for `layer` (read once from its config, which never changes), or null. */
export function convLayerAttrs(layer: tfl.layers.Layer): LayerAttrs | null {
  let attrs = layerAttrs.get(layer);
  if (attrs === undefined) {
    attrs = null;
    if (layer.getClassName() === 'Conv2D') {
      const config = layer.getConfig() as {
        strides: [number, number]; padding: 'valid' | 'same'; dataFormat: string; dilationRate: number[] | number;
        activation: string; useBias: boolean;
      };
      const dilations = Array.isArray(config.dilationRate) ? config.dilationRate : [config.dilationRate];
      if (
        config.dataFormat === 'channelsLast' && dilations.every((d) => d === 1) &&
        (config.activation === 'relu' || config.activation === 'linear')
      ) {
        attrs = { strides: config.strides, pad: config.padding, activation: config.activation };
      }
    }
    layerAttrs.set(layer, attrs);
  }
  return attrs;
}

/**
 * The output of a tfjs-layers `Conv2D` layer in training, through the fused training
 * convolution when it applies (wasm backend with the library's kernels, NHWC, no dilation,
 * with or without a bias, ReLU or linear activation, output channels a multiple of 8);
 * undefined otherwise, and
 * the caller applies the layer itself.
 */
export function trainingConv2d(layer: tfl.layers.Layer, x: tf.Tensor): tf.Tensor | undefined {
  if (!registered || x.rank !== 4 || !kernelsAvailable()) return undefined;
  const attrs = convLayerAttrs(layer);
  const weights = layer.trainableWeights;
  if (attrs === null || weights.length < 1 || weights.length > 2) return undefined;
  const filter = (weights[0] as tfl.LayerVariable).read();
  const bias = weights.length === 2 ? (weights[1] as tfl.LayerVariable).read() : undefined;
  if (filter.rank !== 4 || (filter.shape[3] as number) % 8 !== 0) return undefined;
  return tf.engine().runKernel(KERNEL, bias ? { x, filter, bias } : { x, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}
