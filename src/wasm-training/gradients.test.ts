import { setFlagsFromString } from 'node:v8';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu, useWasm } from '../../test/helpers.js';
import { createRng } from '../random/index.js';
import { forwardTraining } from '../trainer/forward.js';
import { trainingConv2d } from './conv-layer.js';
import { activeKernelBuild, disableWasmTraining, enableWasmTraining, isWasmTrainingEnabled, useKernelBuild } from './index.js';

// Both builds of the SIMD kernels are tested: relaxed SIMD needs this flag in Node 20.
setFlagsFromString('--experimental-wasm-relaxed-simd');

type Grads = number[][];

/** Gradients of sum(f(inputs) * w) w.r.t. every input, on the named backend. */
async function gradsOn(
  backend: 'cpu' | 'wasm',
  values: { shape: number[]; data: Float32Array }[],
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  weightSeed: number,
): Promise<Grads> {
  if (backend === 'cpu') await useCpu();
  else await useWasm();
  return tf.tidy(() => {
    const xs = values.map((v) => tf.tensor(v.data, v.shape));
    const probe = f(...xs);
    const w = tf.randomUniform(probe.shape, -1, 1, 'float32', weightSeed);
    const g = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(f(...args), w)))(xs);
    return g.map((t) => Array.from(t.dataSync()));
  });
}

function relError(a: number[], b: number[]): number {
  let diff = 0;
  let scale = 0;
  a.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(v - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  });
  return diff / Math.max(scale, 1e-12);
}

function random(shape: number[], rng: () => number) {
  const data = Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => rng() * 2 - 1);
  return { shape, data };
}

beforeAll(() => enableWasmTraining());
afterAll(async () => {
  disableWasmTraining();
  useKernelBuild('auto');
  await useCpu();
});

describe.each(['simd', 'relaxed-simd', 'none'] as const)('wasm training gradients (%s kernels) match the cpu backend within 1e-4', (build) => {
  // 'none': the fallbacks composed from stock kernels, as where the SIMD kernels cannot run.
  beforeAll(() => expect(useKernelBuild(build)).toBe(build === 'none' ? null : build));
  afterAll(() => useKernelBuild('auto'));

  const rng = createRng(2024);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)] as T;
  const convCases = Array.from({ length: 32 }, (_, i) => {
    const k = pick([1, 2, 3, 5]);
    const stride = pick([1, 1, 2, 3]);
    const pad = pick(['valid', 'same', 'explicit'] as const);
    const n = pick([1, 2, 3]);
    const ci = pick([1, 2, 4, 8, 9]);
    const co = pick([1, 3, 8, 16]);
    const h = k + pick([2, 5, 8]);
    const w = k + pick([1, 4, 7]);
    return { i, n, h, w, ci, co, k, stride, pad };
  });

  // Linear in the output, so the gradients do not depend on forward values (wasm's own forward
  // convolution is wrong for 'same' padding with stride 3 and an even kernel: a tfjs bug).
  it.each(convCases)('conv2d %j', async ({ n, h, w, ci, co, k, stride, pad, i }) => {
    const padding: 'valid' | 'same' | tf.backend_util.ExplicitPadding =
      pad === 'explicit' ? [[0, 0], [1, 0], [0, 2], [0, 0]] : pad;
    const inputs = [random([n, h, w, ci], rng), random([k, k, ci, co], rng), random([co], rng)];
    const f = (x: tf.Tensor, filter: tf.Tensor, bias: tf.Tensor) =>
      tf.add(tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, stride, padding), bias);
    const cpu = await gradsOn('cpu', inputs, f, i);
    const wasm = await gradsOn('wasm', inputs, f, i);
    cpu.forEach((g, j) => expect(relError(wasm[j] as number[], g)).toBeLessThan(1e-4));
  });

  it.each([1, 2, 3, 4, 5, 6])('conv block as the models use it (conv, bias, relu, 2x2 pool), batch %i', async (n) => {
    const ci = n % 2 === 0 ? 1 : 8;
    const co = n > 3 ? 8 : 4;
    const inputs = [random([n, 12, 11, ci], rng), random([3, 3, ci, co], rng), random([co], rng)];
    const f = (x: tf.Tensor, filter: tf.Tensor, bias: tf.Tensor) =>
      tf.maxPool(tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'valid'), bias)) as tf.Tensor4D, 2, 2, 'valid');
    const cpu = await gradsOn('cpu', inputs, f, n);
    const wasm = await gradsOn('wasm', inputs, f, n);
    cpu.forEach((g, j) => expect(relError(wasm[j] as number[], g)).toBeLessThan(1e-4));
  });

  const poolCases = Array.from({ length: 16 }, (_, i) => {
    const size = pick([2, 2, 3]);
    const stride = pick([size, size, 1]);
    return { i, n: pick([1, 2]), h: pick([4, 7, 9]), w: pick([5, 6, 8]), c: pick([1, 3, 4, 9]), size, stride, pad: pick(['valid', 'same'] as const) };
  });

  it.each(poolCases)('maxPool %j', async ({ n, h, w, c, size, stride, pad, i }) => {
    const inputs = [random([n, h, w, c], rng)];
    const f = (x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, size, stride, pad);
    const cpu = await gradsOn('cpu', inputs, f, i);
    const wasm = await gradsOn('wasm', inputs, f, i);
    expect(relError(wasm[0] as number[], cpu[0] as number[])).toBeLessThan(1e-4);
  });

  it.each(poolCases.slice(0, 8))('maxPool with tied maxima (values on a coarse grid, after a ReLU) %j', async ({ n, h, w, c, size, stride, pad, i }) => {
    // Ties go to the first maximum of the window, row by row, as on cpu.
    const grid = random([n, h, w, c], rng);
    const inputs = [{ shape: grid.shape, data: grid.data.map((v) => Math.round(v * 2) / 2) }];
    const f = (x: tf.Tensor) => tf.maxPool(tf.relu(x) as tf.Tensor4D, size, stride, pad);
    const cpu = await gradsOn('cpu', inputs, f, i);
    const wasm = await gradsOn('wasm', inputs, f, i);
    expect(relError(wasm[0] as number[], cpu[0] as number[])).toBeLessThan(1e-4);
  });

  it.each([
    { activation: 'relu', padding: 'valid', strides: 1, ci: 1 },
    { activation: 'relu', padding: 'same', strides: 1, ci: 8 },
    { activation: 'linear', padding: 'same', strides: 2, ci: 3 },
    { activation: 'relu', padding: 'valid', strides: 2, ci: 16 },
    { activation: 'linear', padding: 'same', strides: 1, ci: 8, useBias: false },
  ] as const)('Conv2D layer in training (the fused training convolution on wasm) %j', async (c) => {
    const { activation, padding, strides, ci } = c;
    const useBias = 'useBias' in c ? c.useBias : true;
    const layer = tfl.layers.conv2d({ filters: 8, kernelSize: 3, activation, padding, strides, useBias, inputShape: [9, 10, ci] });
    layer.build([null, 9, 10, ci]);
    const weights = layer.getWeights().map((w) => ({ shape: w.shape, data: random(w.shape, rng).data }));
    const x = random([3, 9, 10, ci], rng);
    const gradsOf = async (backend: 'cpu' | 'wasm') => {
      if (backend === 'cpu') await useCpu();
      else await useWasm();
      layer.setWeights(weights.map((v) => tf.tensor(v.data, v.shape)));
      return tf.tidy(() => {
        const input = tf.variable(tf.tensor(x.data, x.shape));
        const vars = [input, ...layer.trainableWeights.map((v) => v.read() as tf.Variable)];
        const out = () => trainingConv2d(layer, input) ?? (layer.apply(input) as tf.Tensor);
        const w = tf.randomUniform(out().shape, -1, 1, 'float32', 7);
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(out(), w)), vars);
        input.dispose();
        return vars.map((v) => Array.from((grads[v.name] as tf.Tensor).dataSync()));
      });
    };
    const cpu = await gradsOf('cpu');
    if (build === 'none' && activation === 'linear') {
      // tfjs fuses a convolution without activation; its gradient needs the SIMD kernels on wasm.
      await expect(gradsOf('wasm')).rejects.toThrow(/needs the ct-hemorrhage SIMD training kernels.*activation such as relu/);
      return;
    }
    const wasm = await gradsOf('wasm');
    cpu.forEach((g, j) => expect(relError(wasm[j] as number[], g)).toBeLessThan(1e-4));
  });

  it.each([
    { h: 9, w: 10, ci: 1, padding: 'valid', strides: 1, grid: false },
    { h: 12, w: 11, ci: 8, padding: 'valid', strides: 1, grid: false },
    { h: 10, w: 13, ci: 16, padding: 'same', strides: 1, grid: false },
    { h: 11, w: 11, ci: 4, padding: 'same', strides: 2, grid: false },
    // Ties need exact arithmetic: with 8+ channels the convolution runs by Winograd's
    // F(4x4, 3x3), whose rounding differs from cpu's, so tied windows are tested on the direct path.
    { h: 9, w: 12, ci: 4, padding: 'valid', strides: 1, grid: true },
    { h: 8, w: 9, ci: 1, padding: 'same', strides: 1, grid: true },
  ] as const)('Conv2D (ReLU) + MaxPooling2D layers in training (fused into one op on wasm) %j', async ({ h, w, ci, padding, strides, grid }) => {
    const conv = tfl.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', padding, strides, inputShape: [h, w, ci] });
    const pool = tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 });
    const model = tfl.sequential({ layers: [conv, pool] });
    // grid: inputs and weights on a coarse grid, so that windows hold tied maxima and zeros.
    const draw = (shape: number[]) => {
      const { data } = random(shape, rng);
      return { shape, data: grid ? data.map((v) => Math.round(v * 2) / 2) : data };
    };
    const weights = conv.getWeights().map((v) => draw(v.shape));
    const x = draw([3, h, w, ci]);
    const gradsOf = async (backend: 'cpu' | 'wasm') => {
      if (backend === 'cpu') await useCpu();
      else await useWasm();
      conv.setWeights(weights.map((v) => tf.tensor(v.data, v.shape)));
      return tf.tidy(() => {
        const input = tf.variable(tf.tensor(x.data, x.shape));
        const vars = [input, ...conv.trainableWeights.map((v) => v.read() as tf.Variable)];
        const out = () => forwardTraining(model, input);
        const wts = tf.randomUniform(out().shape, -1, 1, 'float32', 11);
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(out(), wts)), vars);
        input.dispose();
        return [Array.from(out().dataSync()), ...vars.map((v) => Array.from((grads[v.name] as tf.Tensor).dataSync()))];
      });
    };
    const cpu = await gradsOf('cpu');
    const wasm = await gradsOf('wasm');
    // Without the SIMD kernels, tied maxima share the gradient (max-pool-grad.ts says so), so
    // only the forward output is compared there.
    const compared = build === 'none' && grid ? cpu.slice(0, 1) : cpu;
    compared.forEach((g, j) => expect(relError(wasm[j] as number[], g)).toBeLessThan(1e-4));
    tf.dispose(model.getWeights());
  });

  it.each([
    [[2, 5, 5, 3], [3]],
    [[4, 3], [3]],
    [[3], [2, 3]],
    [[2, 3], [2, 3]],
    [[2, 1, 3], [4, 1]],
  ])('add %j + %j', async (a, b) => {
    const inputs = [random(a, rng), random(b, rng)];
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.add(x, y);
    const cpu = await gradsOn('cpu', inputs, f, 1);
    const wasm = await gradsOn('wasm', inputs, f, 1);
    cpu.forEach((g, j) => expect(relError(wasm[j] as number[], g)).toBeLessThan(1e-4));
  });
});

describe('enableWasmTraining', () => {
  it('leaves other backends on the stock gradients, and can be undone', async () => {
    expect(isWasmTrainingEnabled()).toBe(true);
    const conv = tf.getGradient('Conv2D');
    disableWasmTraining();
    expect(isWasmTrainingEnabled()).toBe(false);
    expect(tf.getGradient('Conv2D')).not.toBe(conv);
    // The wasm backend is stock again: no filter-gradient kernel, no library kernels.
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(tf.getKernelsForBackend('wasm').filter((k) => k.kernelName.startsWith('CtHemorrhage'))).toEqual([]);
    enableWasmTraining();
    enableWasmTraining(); // idempotent
    expect(isWasmTrainingEnabled()).toBe(true);
  });

  it('runs the SIMD kernels on wasm in Node (no silent fallback to the slow compositions)', async () => {
    await useWasm();
    expect(activeKernelBuild()).not.toBeNull();
    const layer = tfl.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [10, 10, 8] });
    layer.build([null, 10, 10, 8]);
    const x = tf.variable(tf.randomUniform([2, 10, 10, 8]));
    const vars = [x, ...layer.trainableWeights.map((v) => v.read() as tf.Variable)];
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.maxPool(trainingConv2d(layer, x) as tf.Tensor4D, 2, 2, 'valid')),
        vars,
      );
      tf.dispose([value, ...Object.values(grads)]);
    });
    for (const name of ['CtHemorrhageConv2DBiasActivation', 'CtHemorrhageConv2D', 'CtHemorrhageConv2DFilterGrad', 'CtHemorrhageReluGrad', 'CtHemorrhageColumnSum', 'CtHemorrhageMaxPoolGrad']) {
      expect(profile.kernelNames).toContain(name);
    }
    expect(profile.kernelNames).not.toContain('Conv2DBackpropInput');
    // In a model, a convolution with ReLU and the 2x2 pooling after it run as one fused op.
    const model = tfl.sequential({ layers: [layer, tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 })] });
    const fused = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(forwardTraining(model, x)), vars);
      tf.dispose([value, ...Object.values(grads)]);
    });
    for (const name of ['CtHemorrhageConv2DReluMaxPool', 'CtHemorrhageMaxPoolReluGrad', 'CtHemorrhageConv2D', 'CtHemorrhageConv2DFilterGrad']) {
      expect(fused.kernelNames).toContain(name);
    }
    for (const name of ['MaxPool', 'CtHemorrhageMaxPoolGrad', 'CtHemorrhageReluGrad']) expect(fused.kernelNames).not.toContain(name);
    tf.dispose([x]);
    tf.dispose(layer.getWeights());
  });

  it('a one-channel first layer gets its filter and bias gradients without the dense dz, and the same gradients', async () => {
    await useWasm();
    const layer = tfl.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [12, 11, 1] });
    const model = tfl.sequential({ layers: [layer, tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 })] });
    const x = tf.randomUniform([3, 12, 11, 1], -1, 1, 'float32', 5);
    const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
    const before = tf.memory().numTensors;
    const gradients = async (input?: tf.Variable) => {
      const all = input ? [input, ...vars] : vars;
      let out: number[][] = [];
      const profile = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(forwardTraining(model, input ?? x))), all);
        out = vars.map((v) => Array.from((grads[v.name] as tf.Tensor).dataSync()));
        tf.dispose([value, ...Object.values(grads)]);
      });
      return { out, kernels: profile.kernelNames };
    };
    const first = await gradients();
    expect(first.kernels).toContain('CtHemorrhagePoolReluFilterGrad');
    expect(first.kernels).not.toContain('CtHemorrhageMaxPoolReluGrad');
    expect(first.kernels).not.toContain('CtHemorrhageConv2DFilterGrad');
    expect(tf.memory().numTensors).toBe(before);
    // With the input a variable too, its gradient needs the dense dz: made on demand.
    const input = tf.variable(x);
    const both = await gradients(input);
    expect(both.kernels).toContain('CtHemorrhageMaxPoolReluGrad');
    both.out.forEach((g, j) => expect(relError(g, first.out[j] as number[])).toBeLessThan(1e-6));
    tf.dispose([x, input]);
    tf.dispose(layer.getWeights());
  });

  it('leaks no tensor in a gradient step on wasm', async () => {
    await useWasm();
    const x = tf.randomUniform([2, 9, 9, 1]);
    const f = tf.randomUniform([3, 3, 1, 4]);
    const b = tf.zeros([4]);
    const before = tf.memory().numTensors;
    const g = tf.grads((xx: tf.Tensor, ff: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.maxPool(tf.relu(tf.add(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, 1, 'valid'), bb)) as tf.Tensor4D, 2, 2, 'valid')),
    )([x, f, b]);
    tf.dispose(g);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, f, b]);
  });
});
