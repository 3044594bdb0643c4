// Data-parallel training over worker threads (built dist/ worker script; npm test builds first).
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUGMENT_PRESETS, buildLargerCnn, CtHemorrhageError, generatePhantoms, train, type TrainOptions } from '../src/node.js';
import { createTrainingWorkers, type TrainingWorkers } from '../src/node/parallel/index.js';
import { enableWasmTraining } from '../src/wasm-training/index.js';
import { useCpu, useWasm } from './helpers.js';

const WORKER = fileURLToPath(new URL('../dist/train-worker.js', import.meta.url));
const data = generatePhantoms({ count: 20, size: 24, seed: 6 });
let workers: TrainingWorkers;

beforeAll(async () => {
  if (!existsSync(WORKER)) throw new Error('dist/train-worker.js is missing: run "npm run build" first (npm test does).');
  await useWasm();
  enableWasmTraining();
  workers = await createTrainingWorkers({ threads: 2, workerScript: WORKER });
});
afterAll(async () => {
  await workers.terminate();
  await useCpu();
});

async function trained(options: TrainOptions) {
  const model = buildLargerCnn({ inputSize: 24, seed: 12 });
  const history = await train(model, data, { epochs: 2, batchSize: 7, seed: 3, ...options });
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return { history, weights };
}

describe('createTrainingWorkers', () => {
  it('runs its workers on wasm', () => {
    expect(workers.size).toBe(2);
    expect(workers.backend).toBe('wasm');
  });

  it('gives the weights of single-thread training on the same batches, within 1e-4 (dropout included)', async () => {
    // Plain SGD, so that the weights reflect the summed gradients directly (Adam divides by the
    // gradient's magnitude and turns rounding-level differences of near-zero gradients into
    // full steps).
    const sgd = () => tf.train.sgd(0.05);
    const optA = sgd();
    const optB = sgd();
    const single = await trained({ optimizer: optA });
    const multi = await trained({ optimizer: optB, workers });
    optA.dispose();
    optB.dispose();
    const flatA = single.weights.flat();
    const flatB = multi.weights.flat();
    const scale = Math.max(...flatA.map(Math.abs));
    const worst = Math.max(...flatA.map((v, i) => Math.abs(v - (flatB[i] as number))));
    expect(worst / scale).toBeLessThan(1e-4);
    (single.history.history.loss as number[]).forEach((l, i) =>
      expect(multi.history.history.loss?.[i]).toBeCloseTo(l, 5),
    );
  });

  it('augments identically whether a batch is split across threads or not', async () => {
    const optA = tf.train.sgd(0.05);
    const optB = tf.train.sgd(0.05);
    const augment = AUGMENT_PRESETS.ct;
    const single = await trained({ optimizer: optA, augment });
    const multi = await trained({ optimizer: optB, augment, workers });
    optA.dispose();
    optB.dispose();
    const a = single.weights.flat();
    const b = multi.weights.flat();
    const scale = Math.max(...a.map(Math.abs));
    expect(Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number)))) / scale).toBeLessThan(1e-4);
    const plain = await trained({ optimizer: tf.train.sgd(0.05) });
    expect(plain.weights.flat()).not.toEqual(a);
  });

  it('leaves no tensor in the workers or the main thread after training', async () => {
    const before = tf.memory().numTensors;
    await trained({ workers, validationSplit: 0.25, augment: AUGMENT_PRESETS.reference });
    expect(tf.memory().numTensors).toBe(before);
    expect(await workers.memory()).toEqual([0, 0]);
  });

  it('stops the workers cleanly when training fails, and they serve the next run', async () => {
    const failing = trained({
      workers,
      callbacks: {
        onBatchEnd: () => {
          throw new Error('stop here');
        },
      },
    });
    await expect(failing).rejects.toThrow('stop here');
    expect(await workers.memory()).toEqual([0, 0]);
    const again = await trained({ workers });
    expect(again.history.epoch).toEqual([0, 1]);
  });

  it('reports a worker that cannot start with a typed error', async () => {
    const broken = createTrainingWorkers({ threads: 1, workerScript: new URL('data:text/javascript,throw new Error("boom")') });
    await expect(broken).rejects.toBeInstanceOf(CtHemorrhageError);
  });
});
