import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUGMENT_PRESETS,
  buildLargerCnn,
  CtHemorrhageError,
  disposeCheckpoint,
  generatePhantoms,
  loadCheckpoint,
  loadModel,
  saveCheckpoint,
  train,
  type TrainOptions,
} from '../src/node.js';
import { useCpu } from './helpers.js';

let root: string;
beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'cth-ckpt-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const data = generatePhantoms({ count: 24, size: 32, seed: 8 });
const model = () => buildLargerCnn({ inputSize: 24, filters: 4, seed: 5 });
// Validation split, best-weights restore, augmentation, dropout, shuffling and the learning-rate
// schedule all take part.
const options: TrainOptions = {
  epochs: 4,
  batchSize: 6,
  validationSplit: 0.25,
  patience: 10,
  restoreBestWeights: true,
  monitor: 'val_loss',
  augment: AUGMENT_PRESETS.ct,
  reduceLrOnPlateau: { patience: 1, factor: 0.5 },
  seed: 11,
};
const weightsOf = (m: ReturnType<typeof model>) => m.getWeights().map((w) => Array.from(w.dataSync()));
/** Options that abort training after batch `batch` of epoch `epoch` (from 0). */
function abortAt(epoch: number, batch: number): Pick<TrainOptions, 'signal' | 'callbacks'> {
  const controller = new AbortController();
  let epochNow = 0;
  return {
    signal: controller.signal,
    callbacks: {
      onEpochBegin: (e) => void (epochNow = e),
      onBatchEnd: (b) => void (epochNow === epoch && b === batch ? controller.abort() : undefined),
    },
  };
}

describe('resumable training (cpu)', () => {
  let reference: number[][];
  let referenceHistory: Record<string, number[]>;
  beforeAll(async () => {
    const m = model();
    const h = await train(m, data, options);
    reference = weightsOf(m);
    referenceHistory = h.history;
    m.dispose();
  });

  it('stopped mid-epoch by a signal, saved to disk and resumed, reaches the same weights as an uninterrupted run', async () => {
    const dir = join(root, 'mid-epoch');
    const first = model();
    const before = tf.memory().numTensors;
    const h1 = await train(first, data, {
      ...options,
      ...abortAt(1, 1),
      checkpoint: { save: (c) => saveCheckpoint(dir, first, c) },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(h1.stoppedEarly).toBe(true);
    expect(h1.epoch).toEqual([0]); // epoch 1 was cut after two batches: it is in the checkpoint, not the history
    first.dispose();
    const saved = JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8'));
    expect(saved.state).toMatchObject({ epoch: 1, batchesDone: 2 });

    const { model: resumed, checkpoint } = await loadCheckpoint(dir);
    const h2 = await train(resumed, data, { ...options, resumeFrom: checkpoint });
    disposeCheckpoint(checkpoint);
    expect(weightsOf(resumed)).toEqual(reference);
    expect(h2.history).toEqual(referenceHistory);
    resumed.dispose();
  });

  it('resumed from an end-of-epoch checkpoint (as after a crash), it reaches the same weights', async () => {
    const dir = join(root, 'epoch-end');
    const first = model();
    await train(first, data, { ...options, checkpoint: { everyEpochs: 2, save: (c) => saveCheckpoint(dir, first, c) } });
    first.dispose();
    const saved = JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8'));
    expect(saved.state).toMatchObject({ epoch: 2, batchesDone: 0 });
    const { model: resumed, checkpoint } = await loadCheckpoint(dir);
    const before = tf.memory().numTensors;
    await train(resumed, data, { ...options, resumeFrom: checkpoint });
    expect(tf.memory().numTensors).toBe(before);
    disposeCheckpoint(checkpoint);
    expect(weightsOf(resumed)).toEqual(reference);
    resumed.dispose();
  });

  it('with swaEpochs, resumed inside the averaging window, it averages to the same weights', async () => {
    const swa: TrainOptions = { ...options, restoreBestWeights: false, swaEpochs: 3 };
    const whole = model();
    const hWhole = await train(whole, data, swa);
    const averagedReference = weightsOf(whole);
    whole.dispose();
    expect(hWhole.averagedEpochs).toBe(3);
    const dir = join(root, 'swa');
    const first = model();
    await train(first, data, { ...swa, ...abortAt(2, 0), checkpoint: { save: (c) => saveCheckpoint(dir, first, c) } });
    first.dispose();
    const saved = JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8'));
    expect(saved.state).toMatchObject({ epoch: 2, batchesDone: 1, averagedEpochs: 1 }); // epochs 1-3 (from 0) are averaged: epoch 1 is in the sums
    const { model: resumed, checkpoint } = await loadCheckpoint(dir);
    const h = await train(resumed, data, { ...swa, resumeFrom: checkpoint });
    expect(h.averagedEpochs).toBe(3);
    expect(weightsOf(resumed)).toEqual(averagedReference);
    // Without its sums, a checkpoint from inside the window cannot give the same average.
    const { averageSums: _sums, ...withoutSums } = checkpoint;
    await expect(train(resumed, data, { ...swa, resumeFrom: withoutSums })).rejects.toThrow(/holds the weight sums of 0 epochs, but this run .* would have averaged 1/);
    await expect(train(resumed, data, { ...swa, epochs: 5, resumeFrom: checkpoint })).rejects.toThrow(/would have averaged 0 by epoch 3/);
    disposeCheckpoint(checkpoint);
    resumed.dispose();
  });

  it('refuses to resume with other settings, and a damaged checkpoint', async () => {
    const dir = join(root, 'mismatch');
    const first = model();
    await train(first, data, { ...options, epochs: 2, checkpoint: { save: (c) => saveCheckpoint(dir, first, c) } });
    first.dispose();
    const { model: m, checkpoint } = await loadCheckpoint(dir);
    await expect(train(m, data, { ...options, batchSize: 4, resumeFrom: checkpoint })).rejects.toThrow(/batchSize = 6.*batchSize = 4/);
    await expect(train(m, data.slice(0, 20), { ...options, resumeFrom: checkpoint })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    disposeCheckpoint(checkpoint);
    m.dispose();
    expect(await loadModel(dir).then((x) => (x.dispose(), 'loads'))).toBe('loads'); // a checkpoint is a model folder too
    const bin = join(dir, 'training-state.bin');
    const bytes = await readFile(bin);
    bytes[0] = (bytes[0] as number) ^ 0xff;
    await writeFile(bin, bytes);
    const error = await loadCheckpoint(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtHemorrhageError);
    expect((error as CtHemorrhageError).code).toBe('MODEL_FORMAT');
    expect((error as Error).message).toMatch(/SHA-256/);
    await expect(loadCheckpoint(join(root, 'none'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});

