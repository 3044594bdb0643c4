import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as lib from '../src/node.js';
import { useCpu } from './helpers.js';

/**
 * One row per public function that makes tensors: the call, with whatever it returns disposed
 * the way the docs tell the caller to, must leave tf.memory().numTensors where it was, also
 * when it fails. Functions that make no tensors are listed in NO_TENSORS; a new export must
 * join one of the two lists (the last test checks).
 */
const WORKER = fileURLToPath(new URL('../dist/train-worker.js', import.meta.url));
let root: string;
let model: tfl.LayersModel;
let modelDir: string;
const images = lib.generatePhantoms({ count: 12, size: 32, seed: 2 });
const image = (images[0] as lib.LabeledImage).image;
const small = () => lib.buildLargerCnn({ inputSize: 24, filters: 4, seed: 1 });

beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'cth-leaks-'));
  model = small();
  modelDir = join(root, 'model');
  await lib.saveModel(model, modelDir);
  await lib.writePhantomDataset(join(root, 'data'), { count: 8, size: 32, seed: 3 });
});
afterAll(async () => {
  model.dispose();
  await rm(root, { recursive: true, force: true });
});

const spec = () => lib.getModelInfo(model).preprocessing;
type Row = [name: string, run: () => Promise<unknown> | unknown];

const ROWS: Row[] = [
  ['buildModel', () => lib.buildModel('simple', { inputSize: 24 }).dispose()],
  ['buildSimpleCnn', () => lib.buildSimpleCnn({ inputSize: 24 }).dispose()],
  ['buildLargerCnn', () => lib.buildLargerCnn({ inputSize: 24 }).dispose()],
  ['buildDeepCnn', () => lib.buildDeepCnn({ inputSize: 16, filters: 4 }).dispose()],
  ['imageToTensor', () => lib.imageToTensor(image, spec()).dispose()],
  ['imagesToBatch', () => lib.imagesToBatch([image, image], spec()).dispose()],
  ['tensorToBatch', () => tf.tidy(() => lib.tensorToBatch(tf.zeros([2, 40, 40, 1]), spec())).dispose()],
  ['imageToTensor', () => lib.imageToTensor({ data: new Uint8Array(40 * 24), width: 40, height: 24 }, { ...spec(), resize: 'crop' }).dispose()],
  ['tensorToBatch', () => tf.tidy(() => lib.tensorToBatch(tf.zeros([2, 40, 24, 1]), { ...spec(), resize: 'pad' })).dispose()],
  ['augmentBatch', () => {
    const x = tf.zeros([2, 24, 24, 1]) as tf.Tensor4D;
    lib.augmentBatch(x, lib.AUGMENT_PRESETS.ct, { seed: 1, epoch: 0, samples: [0, 1] }).dispose();
    x.dispose();
  }],
  ['augmentDataset', async () => {
    const { data: tfdData } = await import('@tensorflow/tfjs-data').then((m) => ({ data: m }));
    const ds = tfdData.generator(function* () {
      for (let i = 0; i < 2; i++) yield { xs: tf.zeros([2, 24, 24, 1]) as tf.Tensor4D, ys: tf.zeros([2]) };
    });
    await lib.augmentDataset(ds, lib.AUGMENT_PRESETS.ct, 1).forEachAsync((b) => tf.dispose([b.xs, b.ys]));
  }],
  ['train', async () => {
    const m = small();
    await lib.train(m, images, { epochs: 1, batchSize: 6, validationSplit: 0.25, augment: lib.AUGMENT_PRESETS.ct });
    m.dispose();
  }],
  ['train (deep CNN, batchNormStatistics: population)', async () => {
    const m = lib.buildDeepCnn({ inputSize: 16, filters: 4, convBlocks: 2 });
    await lib.train(m, images, { epochs: 1, batchSize: 6, validationSplit: 0.25, batchNormStatistics: 'population', selectThreshold: 'youden' });
    m.dispose();
  }],
  ['recomputeBatchNorm', () => {
    const m = lib.buildDeepCnn({ inputSize: 16, filters: 4, convBlocks: 2 });
    const xs = tf.zeros([3, 16, 16, 1]) as tf.Tensor4D;
    lib.recomputeBatchNorm(m, xs, 2);
    xs.dispose();
    m.dispose();
  }],
  ['train (fails: wrong shape)', async () => {
    const data = { xs: tf.zeros([2, 9, 9, 1]) as tf.Tensor4D, ys: tf.zeros([2]) };
    await lib.train(model, data).catch(() => undefined);
    tf.dispose([data.xs, data.ys]);
  }],
  ['evaluate', () => lib.evaluate(model, images)],
  ['crossValidate', () => lib.crossValidate(() => small(), images, { folds: 2, train: { epochs: 1, batchSize: 6 } })],
  ['createPredictor / predict / predictBatch', async () => {
    const p = lib.createPredictor(model);
    await p.predict(image);
    await p.predictBatch([image, image]);
    await p.predict(join(root, 'data', 'normal', 'missing.png')).catch(() => undefined);
    p.dispose();
  }],
  ['loadPredictor', async () => (await lib.loadPredictor(modelDir)).dispose()],
  ['loadModel', async () => (await lib.loadModel(modelDir)).dispose()],
  ['loadModel (fails: no folder)', () => lib.loadModel(join(root, 'none')).catch(() => undefined)],
  ['saveModel', () => lib.saveModel(model, join(root, 'saved'))],
  ['fileSystemIO', async () => (await tfl.loadLayersModel(lib.fileSystemIO(modelDir))).dispose()],
  ['gradCam', () => lib.gradCam(model, image)],
  ['gradCam (fails: bad layer)', () => {
    try {
      lib.gradCam(model, image, { layer: 'nope' });
    } catch {
      /* the row checks tensors, not the error */
    }
  }],
  ['overlayBase', () => lib.overlayBase(model, image)],
  ['heatmapOverlay / encodeOverlayPng', () => {
    const cam = lib.gradCam(model, image);
    lib.encodeOverlayPng(lib.heatmapOverlay(lib.overlayBase(model, image), cam.heatmap, cam.width, cam.height));
  }],
  ['saveCheckpoint / loadCheckpoint / disposeCheckpoint', async () => {
    const m = small();
    await lib.train(m, images, { epochs: 2, batchSize: 6, checkpoint: { save: (c) => lib.saveCheckpoint(join(root, 'ckpt'), m, c) } });
    m.dispose();
    const { model: again, checkpoint } = await lib.loadCheckpoint(join(root, 'ckpt'));
    lib.disposeCheckpoint(checkpoint);
    again.dispose();
    tf.disposeVariables();
  }],
  ['createSliceDataset', async () => {
    const listing = await lib.listDataset(join(root, 'data'));
    const set = lib.createSliceDataset(listing, { preprocessing: spec(), batchSize: 4 });
    await set.dataset.forEachAsync((b) => tf.dispose([b.xs, b.ys]));
    const all = await set.toTensorData();
    tf.dispose([all.xs, all.ys]);
  }],
  ['loadImageFolder', () => lib.loadImageFolder(join(root, 'data'))],
  ['selectBackend', async () => {
    await lib.selectBackend({ preference: 'cpu' });
  }],
  ['createTrainingWorkers', async () => {
    const workers = await lib.createTrainingWorkers({ threads: 1, workerScript: WORKER });
    const m = small();
    await lib.train(m, images, { epochs: 1, batchSize: 6, workers });
    expect(await workers.memory()).toEqual([0]); // and none left in the worker either
    await workers.terminate();
    m.dispose();
  }],
  ['setModelInfo / getModelInfo', () => lib.setModelInfo(model, lib.getModelInfo(model))],
  ['enableWasmTraining / disableWasmTraining / isWasmTrainingEnabled', () => {
    lib.enableWasmTraining();
    lib.isWasmTrainingEnabled();
    lib.disableWasmTraining();
  }],
];

/** Exports that never make a tensor: plain numbers, strings, bytes and files. */
const NO_TENSORS = new Set([
  'CtHemorrhageError', 'maxConvBlocks', 'isCtHemorrhageError', 'affineMatrix', 'applyWindow', 'windowStack', 'windowBounds',
  'parseWindowSpec', 'resolveWindow', 'toGray', 'isHuImage', 'isPng', 'isDicom', 'decodeImage', 'decodeSlice',
  'readHuPng', 'readDicom', 'writeDicom', 'dicomUid', 'validateAugmentOptions', 'stratifiedGroupSplit',
  'stratifiedGroupKFold', 'averagePrecision', 'binaryCrossEntropy', 'binaryMetrics', 'bootstrapAucInterval',
  'calibration', 'delongInterval', 'precisionRecallCurve', 'rocAuc', 'rocCurve', 'selectThreshold', 'wilsonInterval',
  'calibrationSpec', 'confusionMatrixSpec', 'foldRocSpec', 'metricEntries', 'modelCardMarkdown', 'precisionRecallSpec',
  'reportMarkdown', 'reportPlots', 'reportSummary', 'rocSpec', 'trainingCurvesSpec', 'generateCtPhantom',
  'generateCtPhantoms', 'generatePhantoms', 'writePhantomDataset', 'listDataset', 'formatSkipped', 'readTrainHistory',
  'renderPlot', 'writeModelCard', 'writeReport', 'recoverInterruptedSave', 'defaultRecipe', 'activeKernelBuild',
  'useKernelBuild', 'inputRegion',
]);

describe('no tensor leaks', () => {
  it.each(ROWS)('%s leaves tf.memory().numTensors as it found it', async (_name, run) => {
    await run(); // warm up: kernels and backends may keep tensors of their own once
    const before = tf.memory().numTensors;
    await run();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('every public function is in the table above or makes no tensors', () => {
    const covered = new Set(ROWS.flatMap(([name]) => name.split(/ \/ | \(/).map((s) => s.trim())));
    const functions = Object.entries(lib).filter(([, v]) => typeof v === 'function').map(([k]) => k);
    const missing = functions.filter((f) => !covered.has(f) && !NO_TENSORS.has(f));
    expect(missing).toEqual([]);
  });
});
