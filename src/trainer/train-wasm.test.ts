// The trainer on the wasm backend with the library's training path, against the cpu backend.
import { setFlagsFromString } from 'node:v8';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu, useWasm } from '../../test/helpers.js';
import { buildLargerCnn, buildSimpleCnn } from '../models/index.js';
import { generatePhantoms } from '../phantom/index.js';
import { disableWasmTraining, enableWasmTraining, useKernelBuild } from '../wasm-training/index.js';

// Both builds of the SIMD kernels are tested: relaxed SIMD needs this flag in Node 20.
setFlagsFromString('--experimental-wasm-relaxed-simd');
import { train } from './index.js';

beforeAll(async () => {
  enableWasmTraining();
  await useWasm();
});
afterAll(async () => {
  disableWasmTraining();
  useKernelBuild('auto');
  await useCpu();
});

const data = generatePhantoms({ count: 24, size: 24, seed: 5 });

describe('train on wasm', () => {
  it('leaves tf.memory().numTensors as it found it, and is reproducible', async () => {
    const run = async () => {
      const model = buildSimpleCnn({ inputSize: 24, filters: 4, convBlocks: 2, seed: 3 });
      const before = tf.memory().numTensors;
      const h = await train(model, data, { epochs: 2, batchSize: 8, validationSplit: 0.25, seed: 4 });
      expect(tf.memory().numTensors).toBe(before);
      const w = model.getWeights().map((t) => Array.from(t.dataSync()));
      model.dispose();
      return { h: h.history, w };
    };
    const a = await run();
    const b = await run();
    expect(b).toEqual(a);
  });

  const curve = async (backend: 'cpu' | 'wasm') => {
    if (backend === 'cpu') await useCpu();
    else await useWasm();
    const model = buildLargerCnn({ inputSize: 24, seed: 8 });
    const h = await train(model, data, { epochs: 5, batchSize: 8, learningRate: 0.003, seed: 2 });
    model.dispose();
    return h.history.loss as number[];
  };
  let cpuCurve: Promise<number[]> | undefined;

  it.each(['simd', 'relaxed-simd', 'none'] as const)('the larger CNN follows the cpu loss curve within 2% at every one of 5 epochs (%s kernels)', async (build) => {
    expect(useKernelBuild(build)).toBe(build === 'none' ? null : build);
    const cpu = await (cpuCurve ??= curve('cpu'));
    const wasm = await curve('wasm');
    cpu.forEach((loss, epoch) => expect(Math.abs((wasm[epoch] as number) - loss) / loss).toBeLessThan(0.02));
    useKernelBuild('auto');
  });
});
