import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { crossValidate } from '../../crossval/index.js';
import { getModelInfo, type ModelInfo } from '../../metadata/index.js';
import { buildModel } from '../../models/index.js';
import { createTrainingWorkers } from '../../node/parallel/index.js';
import { writeReport } from '../../node/report/index.js';
import { numberFlag, THRESHOLD_OPTION, thresholdFlag, type Command } from '../args.js';
import { useBackend } from '../backend.js';
import { DATA_OPTIONS, loadTrainingData, modelWindows, WINDOWS_OPTION } from '../data.js';
import { formatLogs, formatMetrics } from '../format.js';
import { TRAINING_OPTIONS, trainingFlags, trainOptions } from '../training-flags.js';
import { consoleOutput } from '../output.js';
import { trainCommand } from './train.js';

const t = trainCommand.options;
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

export const crossvalCommand: Command = {
  name: 'crossval',
  usage: 'crossval [--data <dir|csv>] [--folds <k>] [--report <dir>] [options]',
  summary:
    'Grouped, stratified k-fold cross-validation: trains a fresh CNN per fold on the other folds, scores the\n' +
    'held-out fold, and prints per-fold and pooled out-of-fold metrics. Without --data it uses generated phantoms.',
  options: {
    ...DATA_OPTIONS,
    windows: WINDOWS_OPTION,
    folds: { type: 'string', value: 'k', help: 'Folds (each class needs at least k groups)', default: '5' },
    report: { type: 'string', value: 'dir', help: 'Write report.md, report.json and PNG plots to this folder' },
    ...TRAINING_OPTIONS,
    seed: { type: 'string', value: 'n', help: 'Seed of the folds, weights, inner split, shuffling and dropout', default: '42' },
    'validation-split': {
      type: 'string',
      value: 'f',
      help: "Share of each fold's training images held out for early stopping (grouped, stratified); 0 for none",
      default: '0.2',
    },
    threads: t.threads as Command['options'][string],
    phantoms: t.phantoms as Command['options'][string],
    threshold: THRESHOLD_OPTION,
    backend: t.backend as Command['options'][string],
  },
  async run(values) {
    const io = consoleOutput();
    const flags = trainingFlags(values);
    const { arch, size, epochs, batchSize, learningRate, seed, patience, phantoms, classWeight, augmentName, threads } = flags;
    const folds = numberFlag(values, 'folds', (n) => Number.isInteger(n) && n >= 2, 'an integer >= 2');
    const validationSplit = numberFlag(values, 'validation-split', (n) => n >= 0 && n < 1, 'a number in [0, 1)');
    const threshold = thresholdFlag(values);
    const backend = await useBackend(values.backend, true, io, threads);
    const data = await loadTrainingData(values, phantoms, size, seed, io);
    const windows = modelWindows(values, data);

    let info: ModelInfo | undefined;
    let parameterCount = 0;
    let currentFold = 0;
    const build = (fold: number): tfl.LayersModel => {
      currentFold = fold;
      const model = buildModel(arch, { inputSize: size, convBlocks: flags.convBlocks, kernelInitializer: flags.kernelInitializer, resize: flags.resize, seed, ...(windows ? { windows } : {}) });
      info ??= getModelInfo(model);
      parameterCount = model.countParams();
      return model;
    };
    const workers = backend.threads > 1 ? await createTrainingWorkers({ threads: backend.threads - 1 }) : undefined;
    const started = Date.now();
    try {
      const cv = await crossValidate(build, data, {
        folds,
        seed,
        ...threshold,
        train: {
          ...trainOptions(flags, validationSplit > 0),
          validationSplit,
          ...(workers ? { workers } : {}),
          callbacks: {
            onEpochEnd: (epoch, logs) => io.err(`fold ${currentFold + 1}/${folds} epoch ${epoch + 1}/${epochs} ${formatLogs(logs ?? {})}`),
          },
        },
        onFold: (r) =>
          io.err(
            `fold ${r.fold + 1}/${folds}: ${r.trainCount} train, ${r.testCount} held out; AUC ${f3(r.metrics.rocAuc)}, ` +
              `accuracy ${f3(r.metrics.accuracy)}; ${r.history.epoch.length} epochs, best ${r.history.bestEpoch + 1}`,
          ),
      });
      const classNames = (info as ModelInfo).preprocessing.classNames;
      io.out(`pooled out-of-fold (${cv.pooled.count} images, ${folds} folds, groups kept whole):`);
      io.out(formatMetrics(cv.pooled, classNames));
      io.out(`fold AUC     ${f3(cv.meanAuc)} ± ${f3(cv.sdAuc)} (mean ± sd over ${folds} folds)`);
      io.err(`took ${((Date.now() - started) / 1000).toFixed(0)} s`);
      if (typeof values.report === 'string') {
        const positives = data.filter((s) => s.label === 1).length;
        const groups = new Set(data.map((s) => s.group).filter((g) => g !== undefined)).size;
        const { files } = await writeReport(values.report, {
          crossValidation: cv,
          modelInfo: info as ModelInfo,
          parameterCount,
          dataset:
            (typeof values.data === 'string' ? `Labelled images from ${values.data}` : `Generated phantom slices (seed ${seed}); not real CT`) +
            `: ${data.length} images (${positives} ${classNames[1]}, ${data.length - positives} ${classNames[0]}${groups > 0 ? `, ${groups} groups` : ''}).`,
          split:
            `${folds}-fold cross-validation, stratified by label and grouped by the data's groups (seed ${seed}). ` +
            (validationSplit > 0
              ? `Inside each fold, ${validationSplit} of the training images (grouped, stratified) were held out ${patience > 0 ? `to pick the best epoch (patience ${patience})` : 'for the learning-rate schedule and the threshold; every epoch trained, the last kept'}.`
              : 'No inner validation split: each fold trained for every epoch.'),
          training: {
            epochs,
            'batch size': batchSize,
            'learning rate': learningRate,
            optimizer: 'Adam',
            patience,
            'inner validation split': validationSplit,
            'class weight': classWeight,
            augment: augmentName,
            seed,
            backend: backend.name,
          },
        });
        io.err(`report: wrote ${files.length} files to ${values.report}`);
      }
      return 0;
    } finally {
      await workers?.terminate();
      tf.disposeVariables();
    }
  },
};
