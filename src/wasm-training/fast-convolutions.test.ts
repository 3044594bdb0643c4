import { setFlagsFromString } from 'node:v8';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the stock gradients enableWasmTraining wraps
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu, useWasm } from '../../test/helpers.js';
import { createRng } from '../random/index.js';
import { disableWasmTraining, enableWasmTraining, useKernelBuild } from './index.js';
import { conv2dKernel, convKernelAttrs, filterGradAttrs, filterGradKernel, winogradApplies } from './kernels/ops.js';

// Both builds of the SIMD kernels are tested: relaxed SIMD needs this flag in Node 20.
setFlagsFromString('--experimental-wasm-relaxed-simd');

beforeAll(() => enableWasmTraining());
afterAll(async () => {
  disableWasmTraining();
  useKernelBuild('auto');
  await useCpu();
});

type Padding = 'valid' | 'same' | tf.backend_util.ExplicitPadding;

const values = (shape: number[], rng: () => number) =>
  tf.buffer(shape, 'float32', Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => rng() * 2 - 1));

/** Largest difference over the largest magnitude of `expected`. */
function relError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  expected.forEach((v, k) => {
    diff = Math.max(diff, Math.abs(v - (actual[k] as number)));
    scale = Math.max(scale, Math.abs(v));
  });
  return diff / scale;
}

/** `f` on wasm, checking that it leaves no tensor behind. */
async function onWasm(f: () => tf.Tensor): Promise<Float32Array> {
  await useWasm();
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => f().dataSync() as Float32Array);
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

describe.each(['simd', 'relaxed-simd'] as const)('Winograd convolutions: F(4x4, 3x3) forward, F(3x3, 4x4) filter gradient (%s kernels)', (build) => {
  beforeAll(() => expect(useKernelBuild(build)).toBe(build));
  afterAll(() => useKernelBuild('auto'));

  const rng = createRng(99);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)] as T;
  // Odd and even output sides (a last tile half outside), one-pixel outputs, borders with
  // padding on one side only, and more tiles than one block (16 forward, 32 filter gradient):
  // the last case has 50 tiles of 4x4 outputs.
  const cases = [
    ...Array.from({ length: 16 }, (_, i) => ({
      i,
      n: pick([1, 2, 3]),
      h: pick([3, 4, 7, 10, 17]),
      w: pick([3, 5, 8, 13, 20]),
      ci: pick([8, 12, 32]),
      co: pick([8, 16, 24]),
      pad: pick(['valid', 'same', 'explicit'] as const),
      relu: i % 2 === 0,
    })),
    { i: 16, n: 2, h: 17, w: 20, ci: 8, co: 8, pad: 'same' as const, relu: false },
  ];

  it.each(cases)('forward convolution matches the cpu backend within 1e-4: %j', async ({ n, h, w, ci, co, pad, relu }) => {
    const padding: Padding = pad === 'explicit' ? [[0, 0], [2, 0], [0, 1], [0, 0]] : pad;
    const x = values([n, h, w, ci], rng) as tf.TensorBuffer<tf.Rank.R4>;
    const f = values([3, 3, ci, co], rng) as tf.TensorBuffer<tf.Rank.R4>;
    const b = values([co], rng) as tf.TensorBuffer<tf.Rank.R1>;
    await useCpu();
    const expected = tf.tidy(() => {
      const y = tf.add(tf.conv2d(x.toTensor(), f.toTensor(), 1, padding), b.toTensor());
      return (relu ? tf.relu(y) : y).dataSync() as Float32Array;
    });
    const info = tf.backend_util.computeConv2DInfo([n, h, w, ci], [3, 3, ci, co], 1, 1, padding);
    expect(winogradApplies(ci, 3, 3, convKernelAttrs(info, relu))).toBe(true);
    const actual = await onWasm(() => conv2dKernel(x.toTensor(), f.toTensor(), b.toTensor(), info, relu));
    expect(relError(actual, expected)).toBeLessThan(1e-4);
  });

  it.each(cases)('filter gradient matches the cpu backend within 1e-4: %j', async ({ n, h, w, ci, co, pad }) => {
    const padding: Padding = pad === 'explicit' ? [[0, 0], [0, 2], [1, 0], [0, 0]] : pad;
    const info = tf.backend_util.computeConv2DInfo([n, h, w, ci], [3, 3, ci, co], 1, 1, padding);
    const x = values([n, h, w, ci], rng) as tf.TensorBuffer<tf.Rank.R4>;
    const dy = values([n, info.outHeight, info.outWidth, co], rng) as tf.TensorBuffer<tf.Rank.R4>;
    await useCpu();
    const expected = tf.tidy(() => {
      const grad = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x.toTensor(), f as tf.Tensor4D, 1, padding), dy.toTensor())));
      return grad(tf.zeros([3, 3, ci, co])).dataSync() as Float32Array;
    });
    expect(winogradApplies(ci, 3, 3, filterGradAttrs(info))).toBe(true);
    const actual = await onWasm(() => filterGradKernel(x.toTensor(), dy.toTensor(), info));
    expect(relError(actual, expected)).toBeLessThan(1e-4);
  });

  it('is not used where it does not apply (strides, dilations, other filter sizes, few channels)', () => {
    const attrs = { sh: 1, sw: 1, dh: 1, dw: 1 };
    expect(winogradApplies(8, 3, 3, attrs)).toBe(true);
    expect(winogradApplies(8, 3, 3, { ...attrs, sh: 2, sw: 2 })).toBe(false);
    expect(winogradApplies(8, 3, 3, { ...attrs, dh: 2 })).toBe(false);
    expect(winogradApplies(8, 5, 5, attrs)).toBe(false);
    expect(winogradApplies(1, 3, 3, attrs)).toBe(false);
    expect(winogradApplies(9, 3, 3, attrs)).toBe(false);
  });
});

describe.each(['simd', 'relaxed-simd'] as const)('single-channel 3x3 convolution (%s kernels)', (build) => {
  beforeAll(() => expect(useKernelBuild(build)).toBe(build));
  afterAll(() => useKernelBuild('auto'));

  const rng = createRng(7);
  // Tiles of 4 columns and the one-column borders: widths that leave 0-3 columns over, padding
  // on one or both sides, outputs of one column.
  it.each([
    { n: 2, h: 9, w: 14, co: 8, pad: 'valid', relu: true },
    { n: 1, h: 7, w: 11, co: 16, pad: 'same', relu: false },
    { n: 3, h: 5, w: 3, co: 4, pad: 'valid', relu: true },
    { n: 2, h: 8, w: 9, co: 32, pad: 'explicit', relu: false },
    { n: 1, h: 12, w: 17, co: 12, pad: 'same', relu: true },
  ] as const)('matches the cpu backend within 1e-4: %j', async ({ n, h, w, co, pad, relu }) => {
    const padding: Padding = pad === 'explicit' ? [[0, 0], [1, 0], [2, 1], [0, 0]] : pad;
    const x = values([n, h, w, 1], rng) as tf.TensorBuffer<tf.Rank.R4>;
    const f = values([3, 3, 1, co], rng) as tf.TensorBuffer<tf.Rank.R4>;
    const b = values([co], rng) as tf.TensorBuffer<tf.Rank.R1>;
    await useCpu();
    const expected = tf.tidy(() => {
      const y = tf.add(tf.conv2d(x.toTensor(), f.toTensor(), 1, padding), b.toTensor());
      return (relu ? tf.relu(y) : y).dataSync() as Float32Array;
    });
    const info = tf.backend_util.computeConv2DInfo([n, h, w, 1], [3, 3, 1, co], 1, 1, padding);
    const actual = await onWasm(() => conv2dKernel(x.toTensor(), f.toTensor(), b.toTensor(), info, relu));
    expect(relError(actual, expected)).toBeLessThan(1e-4);
  });

  // The single-channel filter gradient takes 8 output channels at a time (co = 4 and 12 take the general kernel).
  it.each([
    { n: 2, h: 9, w: 14, co: 8, pad: 'valid' },
    { n: 1, h: 7, w: 11, co: 16, pad: 'same' },
    { n: 3, h: 5, w: 3, co: 8, pad: 'valid' },
    { n: 2, h: 8, w: 9, co: 32, pad: 'explicit' },
    { n: 1, h: 12, w: 17, co: 24, pad: 'same' },
    { n: 2, h: 6, w: 5, co: 12, pad: 'same' },
  ] as const)('filter gradient matches the cpu backend within 1e-4: %j', async ({ n, h, w, co, pad }) => {
    const padding: Padding = pad === 'explicit' ? [[0, 0], [1, 0], [2, 1], [0, 0]] : pad;
    const info = tf.backend_util.computeConv2DInfo([n, h, w, 1], [3, 3, 1, co], 1, 1, padding);
    const x = values([n, h, w, 1], rng) as tf.TensorBuffer<tf.Rank.R4>;
    const dy = values([n, info.outHeight, info.outWidth, co], rng) as tf.TensorBuffer<tf.Rank.R4>;
    await useCpu();
    const expected = tf.tidy(() => {
      const grad = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x.toTensor(), f as tf.Tensor4D, 1, padding), dy.toTensor())));
      return grad(tf.zeros([3, 3, 1, co])).dataSync() as Float32Array;
    });
    const actual = await onWasm(() => filterGradKernel(x.toTensor(), dy.toTensor(), info));
    expect(relError(actual, expected)).toBeLessThan(1e-4);
  });
});
