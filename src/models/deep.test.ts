import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu, useWasm } from '../../test/helpers.js';
import { disableWasmTraining, enableWasmTraining } from '../wasm-training/index.js';
import { generatePhantoms } from '../phantom/index.js';
import { train } from '../trainer/index.js';
import { forwardTraining } from '../trainer/forward.js';
import { getModelInfo } from '../metadata/index.js';
import { buildModel } from './index.js';
import { buildDeepCnn, deepBlockFilters } from './deep.js';

afterAll(async () => {
  disableWasmTraining();
  await useCpu();
});

describe('deep CNN', () => {
  beforeAll(useCpu);

  it('has four blocks of two 3x3 convolutions, each with batch normalisation then ReLU, 32-64-128-256 filters', () => {
    const model = buildDeepCnn({ inputSize: 96 });
    const classes = model.layers.map((l) => l.getClassName());
    expect(classes.filter((c) => c === 'Conv2D')).toHaveLength(8);
    expect(classes.filter((c) => c === 'BatchNormalization')).toHaveLength(8);
    expect(classes.filter((c) => c === 'MaxPooling2D')).toHaveLength(4);
    expect(classes.slice(0, 7)).toEqual(['Conv2D', 'BatchNormalization', 'Activation', 'Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D']);
    expect(classes.slice(-3)).toEqual(['GlobalAveragePooling2D', 'Dropout', 'Dense']);
    expect([0, 1, 2, 3].map((b) => model.getLayer(`conv${b + 1}_2`).getConfig().filters)).toEqual([32, 64, 128, 256]);
    expect(model.getLayer('conv1_1').getConfig()).toMatchObject({ padding: 'same', activation: 'linear', kernelSize: [3, 3] });
    expect(model.getLayer('relu1_1').getConfig()).toMatchObject({ activation: 'relu' });
    expect(model.outputs[0]?.shape).toEqual([null, 1]);
    expect(model.getLayer('pool4').outputShape).toEqual([null, 6, 6, 256]);
    expect(getModelInfo(model).architecture).toBe('deep-cnn');
    expect(buildModel('deep', { inputSize: 96 }).countParams()).toBe(model.countParams());
    expect(deepBlockFilters(16, 7)).toBe(128);
    tf.disposeVariables();
  });

  it('initialises its convolutions with heNormal unless kernelInitializer says glorotUniform', () => {
    const kernel = (m: ReturnType<typeof buildDeepCnn>) => Array.from(m.getLayer('conv2_1').getWeights()[0]?.dataSync() ?? []);
    const [byDefault, he, glorot] = [{}, { kernelInitializer: 'heNormal' as const }, { kernelInitializer: 'glorotUniform' as const }].map((o) =>
      buildDeepCnn({ inputSize: 32, seed: 5, ...o }),
    ) as [ReturnType<typeof buildDeepCnn>, ReturnType<typeof buildDeepCnn>, ReturnType<typeof buildDeepCnn>];
    expect(kernel(byDefault)).toEqual(kernel(he));
    expect(kernel(glorot)).not.toEqual(kernel(he));
    for (const m of [byDefault, he, glorot]) m.dispose();
  });

  it('refuses inputs too small for its blocks', () => {
    expect(() => buildDeepCnn({ inputSize: 15 })).toThrow(/too small for 4 convolution blocks/);
    buildDeepCnn({ inputSize: 16 }).dispose();
  });
});

describe('deep CNN on the wasm training path', () => {
  const data = generatePhantoms({ count: 16, size: 24, seed: 4 });
  const use = async (backend: 'cpu' | 'wasm') => {
    if (backend === 'wasm') {
      enableWasmTraining();
      await useWasm();
    } else {
      await useCpu();
    }
  };

  it('gives the gradients of the cpu backend (batch normalisation in training mode included)', async () => {
    const grads = async (backend: 'cpu' | 'wasm') => {
      await use(backend);
      // Two blocks leave 4x4 maps: batch statistics over one pixel per image (four blocks on
      // 16x16) would make the check ill-conditioned, amplifying rounding, not testing gradients.
      const model = buildDeepCnn({ inputSize: 16, filters: 4, convBlocks: 2, seed: 3 });
      const x = tf.tidy(() => tf.image.resizeBilinear(tf.randomUniform([6, 24, 24, 1], 0, 1, 'float32', 7) as tf.Tensor4D, [16, 16]));
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      // Dropout off (a mask of ones), so both backends see the same network.
      const keep = new Map([['dropout', tf.ones([6, 8])]]);
      const { grads: g, value } = tf.variableGrads(() => tf.mean(forwardTraining(model, x, keep)) as tf.Scalar, variables);
      const out = variables.map((v) => Array.from((g[v.name] as tf.Tensor).dataSync()));
      tf.dispose([x, value, ...keep.values(), ...Object.values(g)]);
      model.dispose();
      return out;
    };
    const cpu = await grads('cpu');
    const wasm = await grads('wasm');
    cpu.forEach((g, i) => {
      const w = wasm[i] as number[];
      const norm = Math.hypot(...g);
      const diff = Math.hypot(...g.map((v, k) => v - (w[k] as number)));
      // Batch statistics amplify float rounding (about 3e-4 here); a wrong gradient is off by
      // far more (spreading the pooling gradient over tied maxima before a BN gave 5e-2).
      expect(diff / Math.max(norm, 1e-12)).toBeLessThan(1e-3);
    });
  });

  it('trains with the loss curve of the cpu backend (within 2% over two epochs) and no leaks', async () => {
    const losses = async (backend: 'cpu' | 'wasm') => {
      await use(backend);
      const model = buildDeepCnn({ inputSize: 16, filters: 4, seed: 3 });
      const before = tf.memory().numTensors;
      const h = await train(model, data, { epochs: 2, batchSize: 8, seed: 1 });
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
      return h.history.loss as number[];
    };
    const cpu = await losses('cpu');
    const wasm = await losses('wasm');
    cpu.forEach((l, i) => expect(Math.abs((wasm[i] as number) - l) / l).toBeLessThan(0.02));
  });
});
