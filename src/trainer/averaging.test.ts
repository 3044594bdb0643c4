import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers.js';
import { buildDeepCnn, buildSimpleCnn } from '../models/index.js';
import { generatePhantoms } from '../phantom/index.js';
import { evaluate } from '../evaluator/index.js';
import { binaryMetrics, selectThreshold } from '../metrics/index.js';
import { getModelInfo } from '../metadata/index.js';
import { prepareData } from '../data/index.js';
import { train } from './index.js';

beforeAll(() => useCpu());

const data = generatePhantoms({ count: 24, size: 24, seed: 5 });
const validationData = generatePhantoms({ count: 12, size: 24, seed: 9 });
const trainable = (m: { trainableWeights: { read(): tf.Tensor }[] }) => m.trainableWeights.map((w) => Float32Array.from(w.read().dataSync()));

describe('train with swaEpochs (stochastic weight averaging)', () => {
  it('ends with the mean of the trainable weights at the end of the last swaEpochs epochs', async () => {
    const model = buildSimpleCnn({ inputSize: 24, filters: 4, convBlocks: 2, seed: 3 });
    const ends: Float32Array[][] = [];
    const before = tf.memory().numTensors;
    const h = await train(model, data, {
      epochs: 5,
      batchSize: 8,
      learningRate: 0.01,
      swaEpochs: 3,
      callbacks: { onEpochEnd: () => void ends.push(trainable(model)) },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(h.averagedEpochs).toBe(3);
    const window = ends.slice(2);
    const final = trainable(model);
    final.forEach((w, i) => {
      const mean = Float32Array.from(w, (_, k) => window.reduce((a, e) => a + (e[i]?.[k] as number), 0) / 3);
      expect(Math.max(...w.map((v, k) => Math.abs(v - (mean[k] as number))))).toBeLessThan(1e-6);
    });
    // The average is not any one epoch's weights.
    expect(final[0]).not.toEqual(ends[4]?.[0]);
    model.dispose();
  });

  it('recomputes batch norm for the averaged weights, reports their validation metrics and chooses the threshold on them', async () => {
    const model = buildDeepCnn({ inputSize: 24, filters: 2, convBlocks: 2, seed: 4 });
    const h = await train(model, data, {
      epochs: 4,
      batchSize: 8,
      validationData,
      swaEpochs: 2,
      batchNormStatistics: 'moving',
      selectThreshold: 'youden-1se',
    });
    const { labels, scores } = await evaluate(model, validationData);
    const m = binaryMetrics(labels, scores, 0.5);
    expect(h.averaged).toEqual({ val_loss: m.loss, val_acc: m.accuracy, val_auc: m.rocAuc });
    expect(h.threshold).toEqual(selectThreshold(labels, scores, { method: 'youden-1se', placement: 'midway' }));
    expect(getModelInfo(model).preprocessing.threshold).toBe(h.threshold?.threshold);
    // The moving mean of the first normalisation is the batch mean of its input over the training images.
    const bn = model.layers.find((l) => l.getClassName() === 'BatchNormalization');
    const movingMean = bn?.weights.find((w) => w.originalName.endsWith('moving_mean'))?.read();
    const firstConv = model.layers[0];
    const prepared = prepareData(data, getModelInfo(model).preprocessing);
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.mean(firstConv?.apply(prepared.xs) as tf.Tensor, [0, 1, 2]), movingMean as tf.Tensor))));
    expect(gap.dataSync()[0]).toBeLessThan(1e-4);
    tf.dispose(gap);
    prepared.dispose();
    model.dispose();
  });

  it('with early stopping: averages when training reached the window, else restores the best epoch', async () => {
    const model = buildSimpleCnn({ inputSize: 24, filters: 4, convBlocks: 2, seed: 3 });
    const reached = await train(model, data, { epochs: 3, batchSize: 8, validationData, patience: 5, swaEpochs: 2 });
    expect([reached.averagedEpochs, reached.restoredBestWeights]).toEqual([2, false]);
    // minDelta 1: no epoch improves on the first, so early stopping ends epoch 2 of 10, before the window.
    const stopped = await train(model, data, { epochs: 10, batchSize: 8, validationData, patience: 1, minDelta: 1, swaEpochs: 3 });
    expect([stopped.epoch.length, stopped.averagedEpochs, stopped.restoredBestWeights]).toEqual([2, 0, true]);
    model.dispose();
  });

  it('refuses a swaEpochs that is not an integer from 0 to epochs', async () => {
    const model = buildSimpleCnn({ inputSize: 24, filters: 4, convBlocks: 2, seed: 3 });
    await expect(train(model, data, { epochs: 3, swaEpochs: 4 })).rejects.toThrow(/swaEpochs must be an integer from 0 to epochs \(3\)/);
    await expect(train(model, data, { epochs: 3, swaEpochs: 1.5 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(train(model, data, { epochs: 3, swaEpochs: -1 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    model.dispose();
  });
});
