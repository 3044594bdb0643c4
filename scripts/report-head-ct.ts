// Grouped, stratified 5-fold cross-validation of the larger CNN on the Kaggle head CT slices in
// ../shared/data/head_ct (160 slices, 111 groups from groups.csv), writing the report to
// docs/report-head-ct/: report.md, report.json and PNG plots (ROC with DeLong interval and
// bootstrap band, ROC per fold, precision-recall, calibration, confusion matrix, training curves).
//   npm run report:head-ct [-- --size 128 --epochs 100 --patience 15 --folds 5 --seed 42 --augment ct --out docs/report-head-ct]
import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AUGMENT_PRESETS } from '../src/augment/index.js';
import { crossValidate } from '../src/crossval/index.js';
import { getModelInfo, type ModelInfo } from '../src/metadata/index.js';
import { buildLargerCnn } from '../src/models/index.js';
import { loadImageFolder } from '../src/node/data/index.js';
import { writeReport } from '../src/node/report/index.js';
import { startTraining } from './training-setup.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '128' },
    epochs: { type: 'string', default: '100' },
    patience: { type: 'string', default: '15' },
    'batch-size': { type: 'string', default: '16' },
    'learning-rate': { type: 'string', default: '0.001' },
    'validation-split': { type: 'string', default: '0.2' },
    folds: { type: 'string', default: '5' },
    seed: { type: 'string', default: '42' },
    augment: { type: 'string', default: 'ct' },
    out: { type: 'string', default: 'docs/report-head-ct' },
  },
});
const size = Number(values.size);
const epochs = Number(values.epochs);
const patience = Number(values.patience);
const batchSize = Number(values['batch-size']);
const learningRate = Number(values['learning-rate']);
const validationSplit = Number(values['validation-split']);
const folds = Number(values.folds);
const seed = Number(values.seed);
const augmentName = String(values.augment);
const augment = augmentName === 'none' ? undefined : AUGMENT_PRESETS[augmentName as keyof typeof AUGMENT_PRESETS];
if (augmentName !== 'none' && !augment) throw new Error(`--augment must be none, ct or reference; got ${augmentName}`);
const started = performance.now();

const { backend, threads, workers } = await startTraining();
console.log(`backend ${backend.name}, ${threads} thread(s)`);

// Read from the shared folder beside the repository; the report names it relatively.
const dataDir = fileURLToPath(new URL('../../shared/data/head_ct', import.meta.url));
const { samples, skipped } = await loadImageFolder(dataDir);
const positives = samples.filter((s) => s.label === 1).length;
const groups = new Set(samples.map((s) => s.group)).size;
console.log(`data: ${samples.length} slices (${positives} hemorrhage), ${groups} groups, ${skipped.length} skipped`);

let info: ModelInfo | undefined;
let parameterCount = 0;
let currentFold = 0;
try {
  const cv = await crossValidate(
    (fold) => {
      currentFold = fold;
      const model = buildLargerCnn({ inputSize: size, seed });
      info ??= getModelInfo(model);
      parameterCount = model.countParams();
      return model;
    },
    samples,
    {
      folds,
      seed,
      train: {
        epochs,
        batchSize,
        learningRate,
        validationSplit,
        patience,
        classWeight: 'balanced',
        ...(augment ? { augment } : {}),
        ...(workers ? { workers } : {}),
        callbacks: {
          onEpochEnd: (epoch, logs) =>
            console.log(
              `fold ${currentFold + 1} epoch ${epoch + 1}: loss ${logs?.loss?.toFixed(4)} val_loss ${logs?.val_loss?.toFixed(4)} ` +
                `val_auc ${logs?.val_auc?.toFixed(4)} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
            ),
        },
      },
      onFold: (r) =>
        console.log(
          `fold ${r.fold + 1}/${folds}: ${r.trainCount} train, ${r.testCount} held out; AUC ${r.metrics.rocAuc.toFixed(3)} ` +
            `(${r.metrics.intervals.rocAuc.map((x) => x.toFixed(3)).join('-')}), accuracy ${(100 * r.metrics.accuracy).toFixed(1)}%; ` +
            `${r.history.epoch.length} epochs, best ${r.history.bestEpoch + 1}`,
        ),
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const { files } = await writeReport(values.out as string, {
    title: 'Head CT hemorrhage: 5-fold grouped cross-validation of the larger CNN',
    crossValidation: cv,
    modelInfo: info as ModelInfo,
    parameterCount,
    dataset:
      `Kaggle "Head CT - hemorrhage" (Kitamura 2018), the ${samples.length} slices in \`../shared/data/head_ct\` ` +
      `(${positives} hemorrhage, ${samples.length - positives} normal; the other 40 of the 200 are kept aside and were not used). ` +
      '8-bit display PNGs of varying size, RGB or RGBA, many from publications with burnt-in arrows and captions. ' +
      `Groups from \`groups.csv\` (${groups} groups: near-duplicates and slices of one scan share a group). ` +
      'Every image is converted to grey and stretched to the input size, so neither its size nor its colour reaches the model.',
    split:
      `${folds}-fold cross-validation stratified by label and grouped by \`groups.csv\` (seed ${seed}). Inside each fold, ` +
      `${validationSplit} of the training images (grouped, stratified) were held out to choose the best epoch ` +
      `(early stopping on val_loss, patience ${patience}, best weights restored); the held-out fold was only scored.`,
    training: {
      architecture: 'larger CNN (3 conv blocks of 32 filters, global average pooling, dense 64, dropout 0.4)',
      input: `${size} x ${size} x 1 (grey)`,
      'max epochs': epochs,
      patience,
      'batch size': batchSize,
      'learning rate': learningRate,
      optimizer: 'Adam',
      'class weight': 'balanced',
      augmentation: augmentName,
      'inner validation split': validationSplit,
      seed,
      backend: `${backend.name}, ${threads} thread(s)`,
      'run time': `${(seconds / 60).toFixed(1)} min`,
    },
    sections: [
      {
        heading: 'Grad-CAM',
        body: '_Placeholder: a Grad-CAM figure of example slices will be added to this folder._',
      },
    ],
  });
  const auc = cv.pooled.rocAuc;
  const [lo, hi] = cv.pooled.intervals.rocAuc;
  console.log('');
  console.log(`pooled out-of-fold ROC AUC ${auc.toFixed(3)} (95% CI ${lo.toFixed(3)}-${hi.toFixed(3)}, DeLong); fold AUC ${cv.meanAuc.toFixed(3)} ± ${cv.sdAuc.toFixed(3)}`);
  console.log(`accuracy ${(100 * cv.pooled.accuracy).toFixed(1)}%, sensitivity ${(100 * cv.pooled.sensitivity).toFixed(1)}%, specificity ${(100 * cv.pooled.specificity).toFixed(1)}% at threshold ${cv.pooled.threshold}`);
  console.log(`wrote ${files.length} files to ${values.out}; took ${seconds.toFixed(0)} s`);
} finally {
  await workers?.terminate();
  tf.disposeVariables();
}
