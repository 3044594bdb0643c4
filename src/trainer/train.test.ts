import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu, useWasm } from '../../test/helpers.js';
import { disableWasmTraining, enableWasmTraining } from '../wasm-training/index.js';
import { CtHemorrhageError } from '../errors/index.js';
import { buildSimpleCnn } from '../models/index.js';
import { generatePhantoms } from '../phantom/index.js';
import { AUGMENT_PRESETS } from '../augment/index.js';
import { train, type TrainOptions } from './index.js';
import { getModelInfo } from '../metadata/index.js';
import { evaluate } from '../evaluator/index.js';
import { selectThreshold } from '../metrics/index.js';

afterAll(async () => {
  disableWasmTraining();
  await useCpu();
});

const tiny = (seed = 3) => buildSimpleCnn({ inputSize: 24, filters: 4, convBlocks: 2, seed });
const data = generatePhantoms({ count: 24, size: 24, seed: 5 });
const weightsOf = (m: ReturnType<typeof tiny>) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe.each(['cpu', 'wasm'] as const)('train on %s', (backend) => {
  beforeAll(async () => {
    if (backend === 'wasm') {
      enableWasmTraining();
      await useWasm();
    } else {
      await useCpu();
    }
  });

  it('leaves tf.memory().numTensors as it found it', async () => {
    const model = tiny();
    const before = tf.memory().numTensors;
    await train(model, data, { epochs: 2, batchSize: 8, validationSplit: 0.25, patience: 1, augment: AUGMENT_PRESETS.ct });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('same seed, same weights and history; another seed differs', async () => {
    const run = async (seed: number) => {
      const model = tiny();
      const h = await train(model, data, { epochs: 2, batchSize: 8, seed });
      const w = weightsOf(model);
      model.dispose();
      return { h: h.history, w };
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(b.w).toEqual(a.w);
    expect(b.h).toEqual(a.h);
    expect(c.w).not.toEqual(a.w);
  });

  it('learns: training loss falls on separable phantoms', async () => {
    const model = tiny();
    // 40 epochs: the seed CNNs sit on the 0.693 plateau for a while before they learn.
    const h = await train(model, data, { epochs: 40, batchSize: 8, learningRate: 0.01 });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan((loss[0] as number) - 0.05);
    model.dispose();
  });

  it('reports validation metrics and never puts a group on both sides', async () => {
    const grouped = data.map((s, i) => ({ ...s, group: `p${Math.floor(i / 3)}` }));
    const model = tiny();
    const h = await train(model, grouped, { epochs: 1, batchSize: 8, validationSplit: 0.25 });
    expect(Object.keys(h.history).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_auc', 'val_loss']);
    expect(h.trainCount + h.validationCount).toBe(24);
    expect(h.validationCount % 3).toBe(0); // whole groups of three
    model.dispose();
  });

  it('early stopping restores the weights of the best epoch', async () => {
    const model = tiny();
    const snapshots: number[][][] = [];
    const h = await train(model, data, {
      epochs: 6,
      batchSize: 8,
      learningRate: 0.05,
      validationData: data.slice(0, 8),
      patience: 1,
      minDelta: 10, // nothing counts as an improvement after the first epoch
      callbacks: { onEpochEnd: () => void snapshots.push(weightsOf(model)) },
    });
    expect(h.bestEpoch).toBe(0);
    expect(h.stoppedEarly).toBe(true);
    expect(h.epoch).toEqual([0, 1]);
    expect(h.restoredBestWeights).toBe(true);
    expect(weightsOf(model)).toEqual(snapshots[0]);
    model.dispose();
  });

  it('calls the hooks in model.fit order', async () => {
    const calls: string[] = [];
    const model = tiny();
    await train(model, data.slice(0, 16), {
      epochs: 2,
      batchSize: 8,
      callbacks: {
        onTrainBegin: () => void calls.push('trainBegin'),
        onEpochBegin: (e) => void calls.push(`epochBegin${e}`),
        onBatchBegin: (b) => void calls.push(`batchBegin${b}`),
        onBatchEnd: async (b, logs) => {
          expect(logs?.loss).toBeGreaterThan(0);
          calls.push(`batchEnd${b}`);
        },
        onEpochEnd: (e) => void calls.push(`epochEnd${e}`),
        onTrainEnd: () => void calls.push('trainEnd'),
      },
    });
    expect(calls).toEqual([
      'trainBegin',
      'epochBegin0', 'batchBegin0', 'batchEnd0', 'batchBegin1', 'batchEnd1', 'epochEnd0',
      'epochBegin1', 'batchBegin0', 'batchEnd0', 'batchBegin1', 'batchEnd1', 'epochEnd1',
      'trainEnd',
    ]);
    model.dispose();
  });

  it('class weights change the loss', async () => {
    const run = async (classWeight: TrainOptions['classWeight']) => {
      const model = tiny();
      const h = await train(model, data, { epochs: 1, batchSize: 24, shuffle: false, classWeight });
      model.dispose();
      return h.history.loss?.[0] as number;
    };
    const plain = await run(undefined);
    const weighted = await run({ 0: 1, 1: 3 });
    expect(weighted).toBeGreaterThan(plain * 1.5);
  });

  it('stops after the current batch when the signal aborts', async () => {
    const controller = new AbortController();
    const model = tiny();
    const h = await train(model, data, {
      epochs: 5,
      batchSize: 8,
      signal: controller.signal,
      callbacks: { onBatchEnd: (b) => (b === 0 ? controller.abort() : undefined) },
    });
    expect(h.epoch).toEqual([]); // the cut epoch is not reported as if it were whole
    expect(h.stoppedEarly).toBe(true);
    model.dispose();
  });

  it('trains on preprocessed tensors too, and checks their shape', async () => {
    const model = tiny();
    const xs = tf.randomUniform([8, 24, 24, 1]) as tf.Tensor4D;
    const ys = tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1]);
    await train(model, { xs, ys }, { epochs: 1, batchSize: 4 });
    expect(xs.isDisposed).toBe(false);
    const wrong = tf.zeros([2, 20, 20, 1]) as tf.Tensor4D;
    await expect(train(model, { xs: wrong, ys: tf.zeros([2]) })).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
    tf.dispose([xs, ys, wrong]);
    model.dispose();
  });

  it.each([
    [{ epochs: 0 }, 'epochs'],
    [{ batchSize: 1.5 }, 'batchSize'],
    [{ learningRate: -1 }, 'learningRate'],
    [{ validationSplit: 1 }, 'validationSplit'],
    [{ patience: -1 }, 'patience'],
    [{ monitor: 'val_auc' as const }, 'monitor'],
    [{ augment: { rotationRange: -5 } }, 'rotationRange'],
    [{ reduceLrOnPlateau: { factor: 1 } }, 'reduceLrOnPlateau.factor'],
    [{ selectThreshold: 'youden' as const }, 'selectThreshold'],
    [{ selectThreshold: 'youden-1se' as const }, 'selectThreshold'],
    [{ selectThreshold: 'best' as unknown as 'youden', validationSplit: 0.34 }, "'youden-1se'"],
  ])('refuses %j with a BAD_INPUT error naming %s', async (options, name) => {
    const model = tiny();
    const before = tf.memory().numTensors;
    const error = await train(model, data, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtHemorrhageError);
    expect((error as CtHemorrhageError).code).toBe('BAD_INPUT');
    expect((error as CtHemorrhageError).message).toContain(name);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('refuses labels other than 0 and 1, and empty data', async () => {
    const model = tiny();
    const bad = [{ ...data[0]!, label: 2 }];
    await expect(train(model, bad)).rejects.toThrow(/labels must be 0/);
    await expect(train(model, [])).rejects.toMatchObject({ code: 'EMPTY_DATASET' });
    model.dispose();
  });

  it('reduceLrOnPlateau halves the learning rate after `patience` epochs without improvement', async () => {
    const model = tiny();
    // minDelta 1: no epoch counts as an improvement after the first.
    const h = await train(model, data, { epochs: 6, batchSize: 8, minDelta: 1, reduceLrOnPlateau: { factor: 0.5, patience: 2, minLearningRate: 2e-4 } });
    expect(h.history.lr).toEqual([1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4]);
    const floor = await train(tiny(), data, { epochs: 8, batchSize: 8, minDelta: 1, reduceLrOnPlateau: { patience: 1, minLearningRate: 2e-4 } });
    expect(Math.min(...(floor.history.lr as number[]))).toBe(2e-4);
    model.dispose();
    tf.disposeVariables();
  });

  it("selectThreshold: 'youden' stores the threshold chosen on the validation data in the model", async () => {
    const model = tiny();
    const h = await train(model, data, { epochs: 2, batchSize: 8, validationSplit: 0.34, selectThreshold: 'youden' });
    expect(h.threshold).toBeDefined();
    expect(getModelInfo(model).preprocessing.threshold).toBe(h.threshold?.threshold);
    expect(h.threshold?.sensitivity).toBeGreaterThanOrEqual(0);
    model.dispose();
  });

  it("selectThreshold: 'youden' places the threshold midway between the validation scores either side", async () => {
    const model = tiny();
    const validationData = generatePhantoms({ count: 12, size: 24, seed: 9 });
    const h = await train(model, data, { epochs: 2, batchSize: 8, validationData, selectThreshold: 'youden' });
    const { labels, scores } = await evaluate(model, validationData);
    const midway = selectThreshold(labels, scores, { method: 'youden', placement: 'midway' });
    expect(h.threshold).toEqual(midway);
    expect(Array.from(scores).filter((s) => s < midway.threshold).length).toBeGreaterThan(0);
    expect(Array.from(scores)).not.toContain(midway.threshold);
    model.dispose();
  });

  it("selectThreshold: 'youden-1se' stores the one-standard-error cut of the validation scores", async () => {
    const model = tiny();
    const validationData = generatePhantoms({ count: 12, size: 24, seed: 9 });
    const h = await train(model, data, { epochs: 2, batchSize: 8, validationData, selectThreshold: 'youden-1se' });
    const { labels, scores } = await evaluate(model, validationData);
    const rule = selectThreshold(labels, scores, { method: 'youden-1se', placement: 'midway' });
    expect(h.threshold).toEqual(rule);
    expect(getModelInfo(model).preprocessing.threshold).toBe(rule.threshold);
    model.dispose();
  });
});
