import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu, useWasm } from '../../test/helpers.js';
import { CtHemorrhageError } from '../errors/index.js';
import { getModelInfo } from '../metadata/index.js';
import { buildLargerCnn, buildModel, buildSimpleCnn, countConvBlocks, maxConvBlocks } from './index.js';

afterAll(useCpu);

describe.each(['cpu', 'wasm'] as const)('seed CNNs on %s', (backend) => {
  beforeAll(backend === 'cpu' ? useCpu : useWasm);

  // Pinned parameter counts (the README states them): 3 conv blocks of 32 filters.
  it.each([
    ['simple', buildSimpleCnn, 19905, 32],
    ['larger', buildLargerCnn, 20993, 64],
  ] as const)('%s CNN has the seed layout and %i parameters', (_name, build, params, units) => {
    const model = build();
    expect(model.countParams()).toBe(params);
    const layers = model.layers.map((l) => l.getClassName());
    expect(layers).toEqual([
      'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D',
      'GlobalAveragePooling2D', 'Dropout', 'Dense', 'Dense',
    ]);
    const conv = model.getLayer('conv1').getConfig();
    expect(conv.filters).toBe(32);
    expect(conv.kernelSize).toEqual([3, 3]);
    expect(conv.activation).toBe('relu');
    expect(model.getLayer('dropout').getConfig().rate).toBe(0.4);
    expect(model.getLayer('dense').getConfig().units).toBe(units);
    expect(model.getLayer('dense').getConfig().activation).toBe('relu');
    expect(model.getLayer('output').getConfig().activation).toBe('sigmoid');
    expect(model.inputs[0]?.shape).toEqual([null, 128, 128, 1]);
    expect(model.loss).toBe('binaryCrossentropy');
    expect(model.optimizer.getClassName()).toBe('Adam');
    model.dispose();
  });

  it('parameter count does not depend on the input size (global average pooling)', () => {
    const a = buildLargerCnn({ inputSize: 32 });
    const b = buildLargerCnn({ inputSize: [64, 48] });
    expect(a.countParams()).toBe(20993);
    expect(b.countParams()).toBe(20993);
    expect(b.inputs[0]?.shape).toEqual([null, 64, 48, 1]);
    a.dispose();
    b.dispose();
  });

  it('convBlocks, filters and denseUnits are options', () => {
    const m = buildSimpleCnn({ inputSize: 64, convBlocks: 4, filters: 8, denseUnits: 5 });
    expect(m.layers.filter((l) => l.getClassName() === 'Conv2D')).toHaveLength(4);
    // 8*9+8 + 3*(8*8*9+8) + 8*5+5 + 5+1
    expect(m.countParams()).toBe(80 + 3 * 584 + 45 + 6);
    m.dispose();
  });

  it('kernelInitializer heNormal draws other kernels than the glorot default, the same ones for the same seed', () => {
    const kernel = (m: ReturnType<typeof buildLargerCnn>, name: string) => m.getLayer(name).getWeights()[0]?.dataSync() as Float32Array;
    const std = (xs: Float32Array) => Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length);
    const glorot = buildLargerCnn({ inputSize: 64, seed: 3 });
    const he = buildLargerCnn({ inputSize: 64, seed: 3, kernelInitializer: 'heNormal' });
    const again = buildLargerCnn({ inputSize: 64, seed: 3, kernelInitializer: 'heNormal' });
    // conv2 kernels: fan-in 3*3*32 = 288; He: sd sqrt(2/288) = 0.083 (truncated normal, about 0.88 of it);
    // glorot uniform: sd sqrt(2/(288+288)) = 0.059.
    expect(std(kernel(glorot, 'conv2'))).toBeCloseTo(0.059, 2);
    expect(std(kernel(he, 'conv2'))).toBeGreaterThan(0.065);
    expect(Array.from(kernel(he, 'conv2'))).toEqual(Array.from(kernel(again, 'conv2')));
    // The sigmoid output keeps glorot under either choice.
    expect(Array.from(kernel(he, 'output'))).toEqual(Array.from(kernel(glorot, 'output')));
    for (const m of [glorot, he, again]) m.dispose();
  });

  it('maxConvBlocks is the most blocks buildModel takes for an input side; one more is refused', () => {
    expect([maxConvBlocks('larger', 128), maxConvBlocks('simple', 64), maxConvBlocks('deep', 64), maxConvBlocks('deep', 1)]).toEqual([5, 4, 6, 0]);
    for (const [arch, side] of [['larger', 128], ['simple', 30], ['deep', 16]] as const) {
      const most = maxConvBlocks(arch, side);
      const m = buildModel(arch, { inputSize: side, convBlocks: most, filters: 2, compile: false });
      expect(countConvBlocks(m)).toBe(most);
      expect(m.outputs[0]?.shape).toEqual([null, 1]);
      m.dispose();
      expect(() => buildModel(arch, { inputSize: side, convBlocks: most + 1, filters: 2 })).toThrow(/too small for/);
    }
  });

  it('the same seed builds the same weights; another seed other weights', () => {
    const [a, b, c] = [1, 1, 2].map((seed) => buildLargerCnn({ inputSize: 32, seed }));
    const w = (m: typeof a) => m!.getWeights().map((t) => Array.from(t.dataSync()));
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    [a, b, c].forEach((m) => m!.dispose());
  });

  it('stores its preprocessing in the model', () => {
    const m = buildModel('simple', { inputSize: 40, threshold: 0.3, compile: false });
    const info = getModelInfo(m);
    expect(info.architecture).toBe('simple-cnn');
    expect(info.preprocessing.inputSize).toEqual([40, 40]);
    expect(info.preprocessing.threshold).toBe(0.3);
    expect(info.preprocessing.classNames).toEqual(['normal', 'hemorrhage']);
    m.dispose();
  });

  it('predicts one probability per image', () => {
    const m = buildLargerCnn({ inputSize: 32 });
    const x = tf.randomUniform([3, 32, 32, 1]);
    const p = m.predict(x) as tf.Tensor;
    expect(p.shape).toEqual([3, 1]);
    for (const v of p.dataSync()) expect(v > 0 && v < 1).toBe(true);
    tf.dispose([x, p]);
    m.dispose();
  });

  it('building and disposing leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    buildLargerCnn({ inputSize: 32 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    [{ inputSize: 10 }, 'inputSize'],
    [{ inputSize: 0 }, 'inputSize'],
    [{ convBlocks: 0 }, 'convBlocks'],
    [{ dropout: 1 }, 'dropout'],
    [{ filters: 2.5 }, 'filters'],
    [{ threshold: 2 }, 'threshold'],
    [{ windows: [] }, 'windows'],
    [{ windows: ['lung'] }, 'window'],
    [{ windows: ['brain'], channels: 3 }, 'channels'],
    [{ channels: 3 }, 'channels'],
    [{ kernelInitializer: 'zeros' as never }, 'kernelInitializer'],
    [{ resize: 'fit' as never }, 'resize'],
  ])('refuses %j with a BAD_INPUT error naming %s', (options, option) => {
    try {
      buildLargerCnn(options);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CtHemorrhageError);
      expect((error as CtHemorrhageError).code).toBe('BAD_INPUT');
      expect((error as CtHemorrhageError).message).toContain(option);
    }
  });

  it('stores the resize mode: stretch unless asked', () => {
    expect(getModelInfo(buildLargerCnn({ inputSize: 32 })).preprocessing.resize).toBe('stretch');
    const model = buildLargerCnn({ inputSize: 32, resize: 'crop' });
    expect(getModelInfo(model).preprocessing.resize).toBe('crop');
    model.dispose();
  });

  it('takes one input channel per CT window and stores the windows', () => {
    const model = buildLargerCnn({ inputSize: 32, windows: ['brain', 'subdural', '40/380'] });
    expect(model.inputs[0]?.shape).toEqual([null, 32, 32, 3]);
    const spec = getModelInfo(model).preprocessing;
    expect(spec.channels).toBe(3);
    expect(spec.windows).toEqual(['brain', 'subdural', { level: 40, width: 380 }]);
    // 3 input channels add 2 * 9 * 32 conv1 weights.
    expect(model.countParams()).toBe(20993 + 2 * 9 * 32);
    model.dispose();
  });

  it('buildModel refuses an unknown architecture', () => {
    expect(() => buildModel('resnet' as 'simple')).toThrow(/Unknown architecture "resnet"/);
  });
});
