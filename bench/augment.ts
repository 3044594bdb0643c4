// Augmentation throughput next to training throughput, on cpu and wasm, in one run.
//   npm run bench:augment
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { fileURLToPath } from 'node:url';
import { augmentBatch, AUGMENT_PRESETS } from '../src/augment/index.js';
import { buildLargerCnn } from '../src/models/index.js';
import { createTrainingWorkers } from '../src/node/parallel/index.js';
import { train } from '../src/trainer/index.js';
import { enableWasmTraining } from '../src/wasm-training/index.js';

tf.enableProdMode();
setWasmPaths(fileURLToPath(new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url)));
enableWasmTraining();

function augmentRate(size: number, preset: keyof typeof AUGMENT_PRESETS): number {
  const x = tf.randomUniform([32, size, size, 1], 0, 1) as tf.Tensor4D;
  augmentBatch(x, AUGMENT_PRESETS[preset], 0).dispose(); // warm-up
  const reps = 5;
  const t0 = performance.now();
  for (let i = 1; i <= reps; i++) {
    const y = augmentBatch(x, AUGMENT_PRESETS[preset], i);
    y.dataSync();
    y.dispose();
  }
  x.dispose();
  return (32 * reps) / ((performance.now() - t0) / 1000);
}

/** Larger-CNN training img/s through the library's trainer on the active backend. */
async function trainRate(size: number, threads: number): Promise<number> {
  const count = tf.getBackend() === 'cpu' ? 2 : 64; // stock cpu takes seconds per image
  const xs = tf.randomUniform([count, size, size, 1]) as tf.Tensor4D;
  const ys = tf.tensor1d(Array.from({ length: count }, (_, i) => i % 2));
  const model = buildLargerCnn({ inputSize: size });
  const workerScript = new URL('../dist/train-worker.js', import.meta.url);
  const workers = threads > 1 ? await createTrainingWorkers({ threads: threads - 1, workerScript }) : undefined;
  try {
    const options = { epochs: 1, batchSize: 16, ...(workers ? { workers } : {}) };
    if (count > 2) await train(model, { xs, ys }, options); // warm-up
    const t0 = performance.now();
    await train(model, { xs, ys }, options);
    return count / ((performance.now() - t0) / 1000);
  } finally {
    await workers?.terminate();
    model.dispose();
    tf.dispose([xs, ys]);
  }
}

console.log('| input | backend | augment img/s (ct preset) | augment img/s (reference preset) | larger CNN training img/s on this backend | augment / training |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const size of [128, 256]) {
  for (const backend of ['cpu', 'wasm'] as const) {
    await tf.setBackend(backend);
    const ct = augmentRate(size, 'ct');
    const ref = augmentRate(size, 'reference');
    const training = await trainRate(size, backend === 'wasm' ? 2 : 1);
    const how = backend === 'wasm' ? ' (library path, 2 threads)' : ' (stock, 1 batch of 2)';
    console.log(`| ${size}² | ${backend} | ${ct.toFixed(0)} | ${ref.toFixed(0)} | ${training.toFixed(training < 1 ? 3 : 1)}${how} | ${(Math.min(ct, ref) / training).toFixed(0)}x |`);
  }
}
console.log('\nAugmentation on batches of 32; training on batches of 16 after a warm-up epoch (wasm); all measured in this run.');
