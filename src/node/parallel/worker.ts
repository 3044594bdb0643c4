// A training worker: holds a replica of the model and the training inputs, and computes the
// gradients of the shards it is sent on its own TensorFlow.js backend.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { dropoutSites, type DropoutSite } from '../../trainer/dropout.js';
import { shardGradients, type ShardAugmentation } from '../../trainer/shard.js';
import { enableWasmTraining, useKernelBuild } from '../../wasm-training/index.js';
import type { FromWorker, ToWorker, WorkerOptions } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('This module runs as a worker thread of ct-hemorrhage training.');
const options = workerData as WorkerOptions;

interface State {
  model: tfl.LayersModel;
  xs: tf.Tensor4D;
  sites: DropoutSite[];
  variables: tf.Variable[];
  augmentation?: ShardAugmentation;
}
let state: State | undefined;

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

async function init(): Promise<void> {
  tf.enableProdMode();
  if (options.backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(options.wasmPaths);
    if (options.kernelBuild) useKernelBuild(options.kernelBuild);
    enableWasmTraining();
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  await tf.setBackend(options.backend);
  await tf.ready();
  send({ type: 'ready', backend: tf.getBackend() });
}

function release(): void {
  if (!state) return;
  state.xs.dispose();
  state.model.dispose();
  state = undefined;
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'start') {
    release();
    const { setup } = message;
    const model = await tfl.models.modelFromJSON({ modelTopology: JSON.parse(setup.modelTopology) });
    state = {
      model,
      xs: tf.tensor4d(setup.xs, [...setup.shape]),
      sites: dropoutSites(model),
      variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
      ...(setup.augmentation ? { augmentation: setup.augmentation } : {}),
    };
    send({ type: 'started' });
  } else if (message.type === 'compute') {
    if (!state) throw new Error('compute before start');
    const s = state;
    message.weights.forEach((w, i) => {
      const v = s.variables[i] as tf.Variable;
      tf.tidy(() => v.assign(tf.tensor(w, v.shape)));
    });
    const result = shardGradients(s.model, s.xs, s.sites, message.request, s.augmentation);
    send({ type: 'result', id: message.id, result }, result.grads.map((g) => g.buffer as ArrayBuffer));
  } else if (message.type === 'memory') {
    send({ type: 'memory', numTensors: tf.memory().numTensors });
  } else {
    release();
    send({ type: 'stopped' });
  }
}

let queue = init();
port.on('message', (message: ToWorker) => {
  queue = queue
    .then(() => handle(message))
    .catch((error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
});
