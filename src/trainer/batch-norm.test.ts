import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers.js';
import { CtHemorrhageError } from '../errors/index.js';
import { prepareData } from '../data/index.js';
import { getModelInfo } from '../metadata/index.js';
import { buildDeepCnn } from '../models/index.js';
import { generatePhantoms } from '../phantom/index.js';
import { hasBatchNorm, recomputeBatchNorm } from './batch-norm.js';
import { train } from './index.js';

const model = () => buildDeepCnn({ inputSize: 16, filters: 4, convBlocks: 2, seed: 3 });
const data = generatePhantoms({ count: 10, size: 16, seed: 8 });

const norms = (m: tfl.LayersModel) => m.layers.filter((l) => l.getClassName() === 'BatchNormalization');
const moving = (layer: tfl.layers.Layer) =>
  ['moving_mean', 'moving_variance'].map((part) => Array.from(layer.weights.find((w) => w.originalName.endsWith(part))!.read().dataSync()));

function maxDiff(a: number[], b: number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));
}

describe('recomputeBatchNorm', () => {
  beforeAll(useCpu);

  it("sets the first normalisation's statistics to its input's over all images, whatever the batches", () => {
    const m = model();
    const xs = prepareData(data, getModelInfo(m).preprocessing).xs as tf.Tensor4D;
    const bn = norms(m)[0] as tfl.layers.Layer;
    // Its input is the first convolution's output, which no batching changes.
    const expected = tf.tidy(() => {
      const { mean, variance } = tf.moments(m.layers[0]!.apply(xs) as tf.Tensor, [0, 1, 2]);
      return [Array.from(mean.dataSync()), Array.from(variance.dataSync())];
    });
    const before = tf.memory().numTensors;
    recomputeBatchNorm(m, xs, 4); // batches of 4, 4 and 2
    expect(tf.memory().numTensors).toBe(before);
    const [mean, variance] = moving(bn);
    expect(maxDiff(mean!, expected[0]!)).toBeLessThan(1e-5);
    expect(maxDiff(variance!, expected[1]!)).toBeLessThan(1e-5 * Math.max(...expected[1]!));
    tf.dispose(xs);
    m.dispose();
  });

  it('makes inference-mode normalisation of the training images zero-mean, unit-variance', () => {
    const m = model();
    const xs = prepareData(data, getModelInfo(m).preprocessing).xs as tf.Tensor4D;
    const normalised = () =>
      tf.tidy(() => {
        const out = (norms(m)[0] as tfl.layers.Layer).apply(m.layers[0]!.apply(xs) as tf.Tensor, { training: false }) as tf.Tensor;
        const { mean, variance } = tf.moments(out, [0, 1, 2]);
        return [Array.from(mean.dataSync()), Array.from(variance.dataSync())];
      });
    const [staleMean] = normalised(); // fresh moving statistics: mean 0, variance 1
    expect(Math.max(...staleMean!.map(Math.abs))).toBeGreaterThan(0.05);
    recomputeBatchNorm(m, xs, 3);
    const [mean, variance] = normalised();
    mean!.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-3));
    // Just under 1: the layer adds its epsilon (0.001) to the variance.
    variance!.forEach((v) => expect(v).toBeCloseTo(1, 1));
    tf.dispose(xs);
    m.dispose();
  });

  it('leaves models without normalisation alone', async () => {
    const { buildSimpleCnn } = await import('../models/index.js');
    const m = buildSimpleCnn({ inputSize: 16, filters: 4, convBlocks: 2 });
    expect(hasBatchNorm(m)).toBe(false);
    const before = m.getWeights().map((w) => Array.from(w.dataSync()));
    const xs = prepareData(data, getModelInfo(m).preprocessing).xs as tf.Tensor4D;
    recomputeBatchNorm(m, xs, 4);
    expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    tf.dispose(xs);
    m.dispose();
  });
});

describe("train with batchNormStatistics: 'population'", () => {
  beforeAll(useCpu);

  it('ends with the statistics of the final weights over the training images; the default keeps moving averages', async () => {
    const population = model();
    await train(population, data, { epochs: 2, batchSize: 4, batchNormStatistics: 'population' });
    const movingModel = model();
    await train(movingModel, data, { epochs: 2, batchSize: 4 });
    // Recomputing after training changes nothing for the first, a lot for the second.
    const xs = prepareData(data, getModelInfo(population).preprocessing).xs as tf.Tensor4D;
    for (const [m, changed] of [[population, false], [movingModel, true]] as const) {
      const stored = norms(m).map(moving);
      recomputeBatchNorm(m, xs, 4);
      const recomputed = norms(m).map(moving);
      const diff = Math.max(...stored.flatMap((s, i) => s.map((v, j) => maxDiff(v, recomputed[i]![j]!))));
      if (changed) expect(diff).toBeGreaterThan(1e-2);
      else expect(diff).toBeLessThan(1e-5);
    }
    tf.dispose(xs);
    population.dispose();
    movingModel.dispose();
  });

  it('refuses an unknown value with BAD_INPUT', async () => {
    const m = model();
    const bad = { batchNormStatistics: 'precise' } as unknown as Parameters<typeof train>[2];
    await expect(train(m, data, bad)).rejects.toThrow(CtHemorrhageError);
    await expect(train(m, data, bad)).rejects.toThrow(/batchNormStatistics must be 'moving' or 'population'/);
    m.dispose();
  });
});
