import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { conv2dFilterGrad, conv2dInputGrad } from './conv2d-grad.js';
import { convLayerAttrs, type LayerAttrs } from './conv-layer.js';
import { CONV_POOL_KERNEL, convPoolAttrs, kernelsAvailable, POOL_FILTER_GRAD_KERNEL, poolFilterGradApplies, POOL_RELU_GRAD_KERNEL } from './kernels/ops.js';

type ConvPoolAttrs = Omit<LayerAttrs, 'activation'> & Record<'ho' | 'wo' | 'sh' | 'sw' | 'top' | 'left', number>;

let registered = false;

/**
 * Registers the gradient of the fused convolution, ReLU and max-pooling
 * ({@link trainingConvPool}): one pass routes each pooled gradient to its window's maximum
 * (zero where the ReLU was off) and sums the bias gradient; the filter and input gradients
 * follow from that as for a plain convolution. For one input channel and a 3x3 filter of
 * stride 1 (a first layer) the filter and bias gradients come from one kernel that routes two
 * rows at a time, and the input gradient (rarely wanted there) is made only if asked for. The
 * kernel itself is registered with the other training kernels.
 */
export function registerTrainingConvPool(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: CONV_POOL_KERNEL,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [false, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, filter, idx] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const dy = (dys as tf.Tensor[])[0] as tf.Tensor4D;
      const a = attrs as unknown as ConvPoolAttrs;
      const conv = { strides: a.strides, pad: a.pad };
      const routed = () => tf.engine().runKernel(POOL_RELU_GRAD_KERNEL, { dy, idx }, { ho: a.ho, wo: a.wo }) as [tf.Tensor4D, tf.Tensor1D];
      if (poolFilterGradApplies(x.shape[3], filter.shape, a.sh, a.sw)) {
        // A first layer: its input needs no gradient, so the dense dz is not made for it.
        const [dw, db] = tf.engine().runKernel(POOL_FILTER_GRAD_KERNEL, { x, dy, idx }, { ho: a.ho, wo: a.wo, top: a.top, left: a.left }) as [tf.Tensor4D, tf.Tensor1D];
        return {
          x: () => conv2dInputGrad(routed()[0], x, filter, conv),
          filter: () => dw,
          bias: () => db,
        };
      }
      const [dz, db] = routed();
      return {
        x: () => conv2dInputGrad(dz, x, filter, conv),
        filter: () => conv2dFilterGrad(dz, x, filter, conv),
        bias: () => db,
      };
    },
  });
}

/** Stops {@link trainingConvPool} from fusing (the kernel goes with the other training kernels). */
export function unregisterTrainingConvPool(): void {
  registered = false;
}

/** Whether `layer` is a 2x2 max-pooling of stride 2 without padding, channels last. */
function isHalvingMaxPool(layer: tfl.layers.Layer): boolean {
  if (layer.getClassName() !== 'MaxPooling2D') return false;
  const c = layer.getConfig() as { poolSize: number[]; strides: number[]; padding: string; dataFormat: string };
  return c.poolSize.every((s) => s === 2) && c.strides.every((s) => s === 2) && c.padding === 'valid' && c.dataFormat === 'channelsLast';
}

const halving = new WeakMap<tfl.layers.Layer, boolean>();

/**
 * The output of a `Conv2D` layer with ReLU followed by a `MaxPooling2D` layer (2x2, stride 2,
 * no padding), in training, as one fused op on wasm: the convolution's full output is never
 * stored, only the pooled one and a byte per output naming its window's maximum (a quarter of
 * the memory traffic). Undefined when it does not apply (another backend, no SIMD kernels,
 * other layers or settings, output channels not a multiple of 8); the caller then runs the
 * two layers itself.
 */
export function trainingConvPool(conv: tfl.layers.Layer, pool: tfl.layers.Layer | undefined, x: tf.Tensor): tf.Tensor | undefined {
  if (!registered || pool === undefined || x.rank !== 4 || !kernelsAvailable()) return undefined;
  const attrs = convLayerAttrs(conv);
  if (attrs === null || attrs.activation !== 'relu' || conv.trainableWeights.length !== 2) return undefined;
  let isPool = halving.get(pool);
  if (isPool === undefined) halving.set(pool, (isPool = isHalvingMaxPool(pool)));
  if (!isPool) return undefined;
  const filter = (conv.trainableWeights[0] as tfl.LayerVariable).read() as tf.Tensor4D;
  const bias = (conv.trainableWeights[1] as tfl.LayerVariable).read();
  if (filter.rank !== 4 || (filter.shape[3] as number) % 8 !== 0 || x.dtype !== 'float32') return undefined;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape, attrs.strides, 1, attrs.pad);
  if (info.outHeight < 2 || info.outWidth < 2) return undefined;
  const runAttrs = { ...convPoolAttrs(info), strides: attrs.strides, pad: attrs.pad };
  const [pooled, idx] = tf.engine().runKernel(CONV_POOL_KERNEL, { x, filter, bias }, runAttrs as unknown as tf.NamedAttrMap) as [tf.Tensor, tf.Tensor];
  idx.dispose(); // the gradient keeps its own reference
  return pooled;
}
