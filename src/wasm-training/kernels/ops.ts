import * as tf from '@tensorflow/tfjs-core';
import { kernelsFor, type TrainingKernels, type WasmBackendInternals } from './module.js';

type Info = { dataId: object; shape: number[] };
/** Byte offset of `floats` floats of scratch memory on the heap, freed when the kernel returns. */
type Scratch = (floats: number) => number;
type Run = (k: TrainingKernels, offset: (t: Info) => number, inputs: Record<string, Info>, attrs: Record<string, number>, out: number, scratch: Scratch) => void;

const WASM = 'wasm';
const PREFIX = 'CtHemorrhage';

const configs: tf.KernelConfig[] = [];

interface Output {
  shape: number[];
  dtype: 'float32' | 'int32';
}

type RunMany = (
  k: TrainingKernels, offset: (t: Info) => number, inputs: Record<string, Info>, attrs: Record<string, number>, outs: number[], scratch: Scratch,
) => void;

/**
 * Declares one kernel of assembly/training.ts with one or more outputs, registered with the
 * wasm backend under `CtHemorrhage<name>` by {@link registerTrainingKernels}.
 */
function defineKernel(name: string, outputs: (inputs: Record<string, Info>, attrs: Record<string, number>) => Output[], run: RunMany): string {
  const kernelName = PREFIX + name;
  configs.push({
    kernelName,
    backendName: WASM,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as WasmBackendInternals;
      const kernels = kernelsFor(wasm);
      if (kernels === null) throw new Error(`${kernelName}: the training kernels cannot run on this wasm backend.`);
      const ins = inputs as unknown as Record<string, Info>;
      const at = attrs as unknown as Record<string, number>;
      const outs = outputs(ins, at).map((o) => wasm.makeOutput(o.shape, o.dtype));
      const offset = (t: Info) => (wasm.dataIdMap.get(t.dataId) as { memoryOffset: number }).memoryOffset;
      const allocated: number[] = [];
      const scratch: Scratch = (floats) => {
        const p = wasm.wasm._malloc(floats * 4);
        allocated.push(p);
        return p;
      };
      try {
        run(kernels, offset, ins, at, outs.map(offset), scratch);
      } finally {
        for (const p of allocated) wasm.wasm._free(p);
      }
      return outs.length === 1 ? (outs[0] as tf.TensorInfo) : outs;
    },
  });
  return kernelName;
}

/** {@link defineKernel} for a kernel with one float32 output. */
function define(name: string, outShape: (inputs: Record<string, Info>, attrs: Record<string, number>) => number[], run: Run): string {
  return defineKernel(name, (i, a) => [{ shape: outShape(i, a), dtype: 'float32' }], (k, offset, i, a, outs, scratch) => run(k, offset, i, a, outs[0] as number, scratch));
}

/** Name of the filter-gradient kernel (attributes from {@link filterGradAttrs}). */
export const FILTER_GRAD_KERNEL = define(
  'Conv2DFilterGrad',
  (i, a) => [a.kh as number, a.kw as number, i.x?.shape[3] as number, i.dy?.shape[3] as number],
  (k, offset, { x, dy }, a, out, scratch) => {
    const [n, h, w, ci] = (x as Info).shape as [number, number, number, number];
    const [, ho, wo, co] = (dy as Info).shape as [number, number, number, number];
    if (winogradApplies(ci, a.kh as number, a.kw as number, a) && co % 8 === 0) {
      k.conv2dFilterGradWinograd(offset(x as Info), offset(dy as Info), out, scratch(k.winogradGradScratchFloats(ci, co)),
        n, h, w, ci, ho, wo, co, a.top as number, a.left as number);
      return;
    }
    k.conv2dFilterGrad(offset(x as Info), offset(dy as Info), out, n, h, w, ci, ho, wo, co,
      a.kh as number, a.kw as number, a.sh as number, a.sw as number, a.dh as number, a.dw as number, a.top as number, a.left as number);
  },
);

/** Name of the forward convolution kernel (attributes from {@link convKernelAttrs}). */
export const CONV_KERNEL = define(
  'Conv2D',
  ({ x, filter }, a) => [(x as Info).shape[0] as number, a.ho as number, a.wo as number, (filter as Info).shape[3] as number],
  (k, offset, { x, filter, bias }, a, out, scratch) => {
    const [n, h, w, ci] = (x as Info).shape as [number, number, number, number];
    const [kh, kw, , co] = (filter as Info).shape as [number, number, number, number];
    if (winogradApplies(ci, kh, kw, a)) {
      k.conv2dWinograd(offset(x as Info), offset(filter as Info), bias ? offset(bias) : 0, out, scratch(k.winogradScratchFloats(ci, co)),
        n, h, w, ci, a.ho as number, a.wo as number, co, a.top as number, a.left as number, a.relu as number);
      return;
    }
    k.conv2dForward(offset(x as Info), offset(filter as Info), bias ? offset(bias) : 0, out, n, h, w, ci, a.ho as number, a.wo as number, co,
      kh, kw, a.sh as number, a.sw as number, a.dh as number, a.dw as number, a.top as number, a.left as number, a.relu as number);
  },
);

/**
 * Whether a convolution runs by Winograd's algorithm (forward and input gradient F(4x4, 3x3),
 * filter gradient F(3x3, 4x4)): 3x3 filters, stride and dilation 1, input channels a multiple
 * of 4 and at least 8 (for fewer the input and output transforms cost more than the products save).
 */
export function winogradApplies(ci: number, kh: number, kw: number, a: Record<string, number>): boolean {
  return kh === 3 && kw === 3 && a.sh === 1 && a.sw === 1 && a.dh === 1 && a.dw === 1 && ci % 4 === 0 && ci >= 8;
}

/**
 * Name of the kernel of a convolution with bias, ReLU and 2x2 max-pooling of stride 2 in one
 * pass (attributes from {@link convPoolAttrs}); outputs the pooled tensor and, as int32 of a
 * quarter of its channels, one byte per output naming its window's maximum.
 */
export const CONV_POOL_KERNEL = defineKernel(
  'Conv2DReluMaxPool',
  ({ x, filter }, a) => {
    const n = (x as Info).shape[0] as number;
    const co = (filter as Info).shape[3] as number;
    const [ph, pw] = [Math.floor((a.ho as number) / 2), Math.floor((a.wo as number) / 2)];
    return [{ shape: [n, ph, pw, co], dtype: 'float32' }, { shape: [n, ph, pw, co / 4], dtype: 'int32' }];
  },
  (k, offset, { x, filter, bias }, a, [out, idx], scratch) => {
    const [n, h, w, ci] = (x as Info).shape as [number, number, number, number];
    const [kh, kw, , co] = (filter as Info).shape as [number, number, number, number];
    const wino = winogradApplies(ci, kh, kw, a) ? 1 : 0;
    k.conv2dReluMaxPool(offset(x as Info), offset(filter as Info), offset(bias as Info), out as number, idx as number,
      scratch(k.convPoolScratchFloats(a.wo as number, ci, co, wino)), n, h, w, ci, a.ho as number, a.wo as number, co,
      kh, kw, a.sh as number, a.sw as number, a.top as number, a.left as number, wino);
  },
);

/** Attributes of {@link CONV_POOL_KERNEL} for the convolution `info` describes (no dilation). */
export function convPoolAttrs(info: tf.backend_util.Conv2DInfo): Record<string, number> {
  return {
    ho: info.outHeight, wo: info.outWidth, sh: info.strideHeight, sw: info.strideWidth, dh: 1, dw: 1,
    top: info.padInfo.top, left: info.padInfo.left,
  };
}

/**
 * Name of the gradient kernel of {@link CONV_POOL_KERNEL} before the convolution: inputs the
 * pooled gradient `dy` and the `idx` output, attributes `ho` and `wo` (the convolution's
 * output size); outputs the gradient of the convolution's output and of its bias.
 */
export const POOL_RELU_GRAD_KERNEL = defineKernel(
  'MaxPoolReluGrad',
  ({ dy }, a) => {
    const [n, , , co] = (dy as Info).shape as [number, number, number, number];
    return [{ shape: [n, a.ho as number, a.wo as number, co], dtype: 'float32' }, { shape: [co], dtype: 'float32' }];
  },
  (k, offset, { dy, idx }, a, [out, biasGrad]) => {
    const [n, , , co] = (dy as Info).shape as [number, number, number, number];
    k.maxPoolReluGrad(offset(dy as Info), offset(idx as Info), out as number, biasGrad as number, n, a.ho as number, a.wo as number, co);
  },
);

/**
 * Name of the kernel that gives the filter and bias gradients of a fused convolution, ReLU and
 * max-pooling ({@link CONV_POOL_KERNEL}) straight from the pooled gradient, for one input
 * channel, a 3x3 filter and stride 1 (see {@link poolFilterGradApplies}), without the dense
 * gradient {@link POOL_RELU_GRAD_KERNEL} writes; attributes ho, wo (the convolution's output),
 * top and left (its padding).
 */
export const POOL_FILTER_GRAD_KERNEL = defineKernel(
  'PoolReluFilterGrad',
  ({ dy }) => {
    const co = (dy as Info).shape[3] as number;
    return [{ shape: [3, 3, 1, co], dtype: 'float32' }, { shape: [co], dtype: 'float32' }];
  },
  (k, offset, { x, dy, idx }, a, [out, biasGrad], scratch) => {
    const [n, h, w] = (x as Info).shape as [number, number, number, number];
    const co = (dy as Info).shape[3] as number;
    const [ho, wo] = [a.ho as number, a.wo as number];
    k.poolReluFilterGradSingle(offset(x as Info), offset(dy as Info), offset(idx as Info), out as number, biasGrad as number,
      scratch(k.poolFilterGradScratchFloats(wo, co)), n, h, w, ho, wo, co, a.top as number, a.left as number);
  },
);

/** Whether {@link POOL_FILTER_GRAD_KERNEL} takes a fused convolution of `ci` input channels and this filter and strides. */
export function poolFilterGradApplies(ci: number, filterShape: readonly number[], sh: number, sw: number): boolean {
  return ci === 1 && filterShape[0] === 3 && filterShape[1] === 3 && sh === 1 && sw === 1 && (filterShape[3] as number) % 8 === 0;
}

const MAX_POOL_GRAD = define(
  'MaxPoolGrad',
  ({ x }) => (x as Info).shape,
  (k, offset, { x, dy }, a, out) => {
    const [n, h, w, c] = (x as Info).shape as [number, number, number, number];
    const [, ho, wo] = (dy as Info).shape as [number, number, number, number];
    k.maxPoolGrad(offset(x as Info), offset(dy as Info), out, n, h, w, c, ho, wo,
      a.fh as number, a.fw as number, a.sh as number, a.sw as number, a.top as number, a.left as number);
  },
);

const RELU_GRAD = define(
  'ReluGrad',
  ({ x }) => (x as Info).shape,
  (k, offset, { x, dy }, _a, out) => k.reluGrad(offset(x as Info), offset(dy as Info), out, (x as Info).shape.reduce((p, q) => p * q, 1)),
);

const COLUMN_SUM = define(
  'ColumnSum',
  ({ dy }) => [(dy as Info).shape[1] as number],
  (k, offset, { dy }, _a, out) => k.columnSum(offset(dy as Info), out, (dy as Info).shape[0] as number, (dy as Info).shape[1] as number),
);

/** Registers the training kernels with the wasm backend (idempotent). */
export function registerTrainingKernels(): void {
  for (const config of configs) if (tf.getKernel(config.kernelName, WASM) === undefined) tf.registerKernel(config);
}

/** Removes what {@link registerTrainingKernels} registered. */
export function unregisterTrainingKernels(): void {
  for (const { kernelName } of configs) if (tf.getKernel(kernelName, WASM) !== undefined) tf.unregisterKernel(kernelName, WASM);
}

/** True when the active backend is wasm and the training kernels run on it. */
export function kernelsAvailable(): boolean {
  return tf.getBackend() === WASM && kernelsFor(tf.backend() as unknown as WasmBackendInternals) !== null;
}

const run = (name: string, inputs: tf.NamedTensorMap, attrs: Record<string, number> = {}) =>
  tf.engine().runKernel(name, inputs, attrs) as tf.Tensor;

/** Filter gradient of the NHWC convolution described by `info`. */
export function filterGradKernel(x: tf.Tensor4D, dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  return run(FILTER_GRAD_KERNEL, { x, dy }, filterGradAttrs(info)) as tf.Tensor4D;
}

/** Attributes of the filter-gradient kernel for the convolution `info` describes. */
export function filterGradAttrs(info: tf.backend_util.Conv2DInfo): Record<string, number> {
  return {
    kh: info.filterHeight, kw: info.filterWidth, sh: info.strideHeight, sw: info.strideWidth,
    dh: info.dilationHeight, dw: info.dilationWidth, top: info.padInfo.top, left: info.padInfo.left,
  };
}

/**
 * NHWC convolution described by `info`, plus `bias` and a ReLU when `relu` is set; needs
 * outChannels % 8 === 0.
 */
export function conv2dKernel(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | null, info: tf.backend_util.Conv2DInfo, relu: boolean): tf.Tensor4D {
  return run(CONV_KERNEL, bias ? { x, filter, bias } : { x, filter }, convKernelAttrs(info, relu)) as tf.Tensor4D;
}

/** Attributes of the forward convolution kernel for the convolution `info` describes. */
export function convKernelAttrs(info: tf.backend_util.Conv2DInfo, relu: boolean): Record<string, number> {
  return {
    ho: info.outHeight, wo: info.outWidth, sh: info.strideHeight, sw: info.strideWidth,
    dh: info.dilationHeight, dw: info.dilationWidth, top: info.padInfo.top, left: info.padInfo.left, relu: relu ? 1 : 0,
  };
}

/** Max-pooling gradient (first maximum of each window, as on cpu) for the pooling `info` describes. */
export function maxPoolGradKernel(dy: tf.Tensor4D, x: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  return run(MAX_POOL_GRAD, { x, dy }, {
    fh: info.filterHeight, fw: info.filterWidth, sh: info.strideHeight, sw: info.strideWidth,
    top: info.padInfo.top, left: info.padInfo.left,
  }) as tf.Tensor4D;
}

/** ReLU gradient: dy where x > 0, else 0. */
export function reluGradKernel(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return run(RELU_GRAD, { x, dy });
}

/** Column sums of a `[rows, cols]` matrix. */
export function columnSumKernel(dy: tf.Tensor2D): tf.Tensor1D {
  return run(COLUMN_SUM, { dy }) as tf.Tensor1D;
}
