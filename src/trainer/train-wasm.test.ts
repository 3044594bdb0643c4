// The trainer on the wasm backend with the library's training path, against the cpu backend.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu, useWasm } from '../../test/helpers.js';
import { buildLargerCnn, buildSimpleCnn } from '../models/index.js';
import { generatePhantoms } from '../phantom/index.js';
import { disableWasmTraining, enableWasmTraining } from '../wasm-training/index.js';
import { train } from './index.js';

beforeAll(async () => {
  enableWasmTraining();
  await useWasm();
});
afterAll(async () => {
  disableWasmTraining();
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

  it('the larger CNN follows the cpu loss curve within 2% at every one of 5 epochs', async () => {
    const curve = async (backend: 'cpu' | 'wasm') => {
      if (backend === 'cpu') await useCpu();
      else await useWasm();
      const model = buildLargerCnn({ inputSize: 24, seed: 8 });
      const h = await train(model, data, { epochs: 5, batchSize: 8, learningRate: 0.003, seed: 2 });
      model.dispose();
      return h.history.loss as number[];
    };
    const cpu = await curve('cpu');
    const wasm = await curve('wasm');
    cpu.forEach((loss, epoch) => expect(Math.abs((wasm[epoch] as number) - loss) / loss).toBeLessThan(0.02));
  });
});
