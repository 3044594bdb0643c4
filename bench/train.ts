// Training and inference throughput of the seed CNNs on the backends available in Node.
//   npm run bench:train [-- --quick]
// Prints a markdown table; every ratio is against stock cpu measured in the same run.
import { setFlagsFromString } from 'node:v8';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type * as tfl from '@tensorflow/tfjs-layers';
import { fileURLToPath } from 'node:url';
import { buildLargerCnn, buildSimpleCnn } from '../src/models/index.js';
import { createTrainingWorkers, type TrainingWorkers } from '../src/node/parallel/index.js';
import { train } from '../src/trainer/index.js';
import { forwardTraining } from '../src/trainer/forward.js';
import { disableWasmTraining, enableWasmTraining, useKernelBuild } from '../src/wasm-training/index.js';

const quick = process.argv.includes('--quick');
// As selectBackend does for the CLI: relaxed SIMD (fused multiply-add) is behind this flag in Node 20.
setFlagsFromString('--experimental-wasm-relaxed-simd');
tf.enableProdMode();
setWasmPaths(fileURLToPath(new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url)));

/** Forward multiply-adds per image, from the layer shapes. */
function forwardMacs(model: tfl.LayersModel): number {
  let macs = 0;
  for (const layer of model.layers) {
    const out = layer.outputShape as number[];
    const weights = layer.getWeights();
    if (layer.getClassName() === 'Conv2D') macs += (out[1] as number) * (out[2] as number) * (weights[0] as tf.Tensor).size;
    if (layer.getClassName() === 'Dense') macs += (weights[0] as tf.Tensor).size;
  }
  return macs;
}

function trainStep(model: tfl.LayersModel, optimizer: tf.Optimizer, x: tf.Tensor, y: tf.Tensor): void {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const cost = optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(y, forwardTraining(model, x)) as tf.Scalar, true, vars);
  cost?.dataSync();
  cost?.dispose();
}

interface Row {
  model: string;
  size: number;
  backend: string;
  train: number | string;
  infer: number;
  gflops: number | string;
  leaked: number;
}

/**
 * Images/s of the library's trainer (the path the CLI uses) on random data: two epochs in one
 * run, timing the second (steady state: workers started, kernels compiled).
 */
async function trainerRate(model: tfl.LayersModel, size: number, workers?: TrainingWorkers): Promise<number> {
  const batches = quick ? 6 : 12;
  const xs = tf.randomUniform([16 * batches, size, size, 1]) as tf.Tensor4D;
  const ys = tf.tensor1d(Array.from({ length: 16 * batches }, (_, i) => i % 2));
  let started = 0;
  let seconds = 0;
  await train(model, { xs, ys }, {
    epochs: 2,
    batchSize: 16,
    ...(workers ? { workers } : {}),
    callbacks: {
      onEpochBegin: (epoch) => {
        if (epoch === 1) started = performance.now();
      },
      onEpochEnd: (epoch) => {
        if (epoch === 1) seconds = (performance.now() - started) / 1000;
      },
    },
  });
  tf.dispose([xs, ys]);
  return (16 * batches) / seconds;
}

async function measure(
  name: string,
  build: typeof buildLargerCnn,
  size: number,
  backend: 'cpu' | 'wasm',
  libraryPath: boolean,
  threads = 1,
  kernels: 'simd' | 'relaxed-simd' = 'relaxed-simd',
): Promise<Row> {
  await tf.setBackend(backend);
  if (libraryPath) {
    if (useKernelBuild(kernels) !== kernels) throw new Error(`the ${kernels} kernels cannot run here`);
    enableWasmTraining();
  } else disableWasmTraining();
  const before = tf.memory().numTensors;
  const model = build({ inputSize: size });
  const optimizer = tf.train.adam(1e-3);
  const slow = backend === 'cpu';
  const batch = slow ? (size > 128 ? 1 : 2) : 16;
  const x = tf.randomUniform([batch, size, size, 1]);
  const y = tf.ones([batch, 1]);
  let train: number | string;
  try {
    if (libraryPath) {
      const workerScript = new URL('../dist/train-worker.js', import.meta.url); // built by npm run build
      const workers = threads > 1 ? await createTrainingWorkers({ threads: threads - 1, workerScript }) : undefined;
      try {
        train = await trainerRate(model, size, workers);
      } finally {
        await workers?.terminate();
      }
    } else {
      const steps = slow ? 1 : 3;
      if (!slow) trainStep(model, optimizer, x, y); // warm-up
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) trainStep(model, optimizer, x, y);
      train = (batch * steps) / ((performance.now() - t0) / 1000);
    }
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? '';
    const missing = /Kernel '(\w+)' not registered/.exec(message)?.[1];
    train = missing ? `cannot train (no ${missing} kernel)` : `fails: ${message.slice(0, 60)}`;
  }
  const xi = tf.randomUniform([32, size, size, 1]);
  (model.predict(xi) as tf.Tensor).dispose();
  const reps = slow ? 1 : 3;
  const t1 = performance.now();
  for (let i = 0; i < reps; i++) {
    const p = model.predict(xi) as tf.Tensor;
    p.dataSync();
    p.dispose();
  }
  const infer = (32 * reps) / ((performance.now() - t1) / 1000);
  const gflops = typeof train === 'number' ? (train * 3 * 2 * forwardMacs(model)) / 1e9 : '-';
  tf.dispose([x, y, xi]);
  optimizer.dispose();
  model.dispose();
  const path = libraryPath
    ? `wasm + ct-hemorrhage training path (${kernels}), ${threads} thread${threads > 1 ? 's' : ''}`
    : `stock ${backend}, 1 thread`;
  return { model: name, size, backend: path, train, infer, gflops, leaked: tf.memory().numTensors - before };
}

const sizes = quick ? [128] : [128, 256];
const rows: Row[] = [];
const started = performance.now();
for (const size of sizes) {
  for (const [name, build] of [
    ['larger', buildLargerCnn],
    ['simple', buildSimpleCnn],
  ] as const) {
    for (const [backend, lib, threads, kernels] of [
      ['cpu', false, 1, undefined],
      ['wasm', false, 1, undefined],
      ['wasm', true, 1, 'simd'],
      ['wasm', true, 1, 'relaxed-simd'],
      ['wasm', true, 2, 'relaxed-simd'],
    ] as const) {
      const row = await measure(name, build, size, backend, lib, threads, kernels);
      rows.push(row);
      process.stderr.write(`measured ${name} ${size} ${row.backend}\n`);
    }
  }
}
const fmt = (v: number | string, digits = 1) => (typeof v === 'number' ? v.toFixed(digits) : v);
console.log('| model | input | backend | train img/s | x stock cpu | infer img/s | x stock cpu | train GFLOP/s | tensors left |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const base = rows.find((b) => b.model === r.model && b.size === r.size && b.backend.startsWith('stock cpu')) as Row;
  const tr = typeof r.train === 'number' && typeof base.train === 'number' ? `${(r.train / base.train).toFixed(0)}x` : '-';
  console.log(
    `| ${r.model} | ${r.size}² | ${r.backend} | ${fmt(r.train, 2)} | ${tr} | ${fmt(r.infer)} | ${(r.infer / base.infer).toFixed(0)}x | ${fmt(r.gflops, 2)} | ${r.leaked} |`,
  );
}
console.log(`\n${tf.version_core ? `tfjs ${tf.version_core}, ` : ''}node ${process.version}, run time ${((performance.now() - started) / 1000).toFixed(0)} s. ` +
  'Stock cpu trains one batch of 2 (1 at 256²) without warm-up, stock wasm one batch of 16; the library path runs ' +
  'its trainer (batches of 16), timing the second of two epochs, with worker threads for 2 threads. ' +
  'GFLOP/s counts 3x the forward multiply-adds x 2 of a direct convolution (Winograd kernels do fewer: an effective rate).');
