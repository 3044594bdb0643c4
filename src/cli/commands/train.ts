import * as tf from '@tensorflow/tfjs-core';
import type { LabeledImage } from '../../data/index.js';
import { evaluate } from '../../evaluator/index.js';
import { getModelInfo } from '../../metadata/index.js';
import { buildModel, CNN_DEFAULTS, countConvBlocks } from '../../models/index.js';
import { loadCheckpoint, saveCheckpoint, saveModel } from '../../node/io/index.js';
import { disposeCheckpoint, type TrainingCheckpoint } from '../../trainer/index.js';
import { onInterrupt } from '../interrupt.js';
import { writeModelCard } from '../../node/report/index.js';
import { createTrainingWorkers } from '../../node/parallel/index.js';
import { stratifiedGroupSplit } from '../../data/index.js';
import { train, TRAIN_DEFAULTS } from '../../trainer/index.js';
import { rm } from 'node:fs/promises';
import { numberFlag, requiredFlag, type Command } from '../args.js';
import { BACKEND_OPTION, useBackend } from '../backend.js';
import { DATA_OPTIONS, loadTrainingData, modelWindows, WINDOWS_OPTION } from '../data.js';
import { formatLogs, formatMetrics } from '../format.js';
import { THRESHOLD_RULES, TRAINING_OPTIONS, trainingFlags, trainOptions } from '../training-flags.js';
import { consoleOutput } from '../output.js';

/** Size of the embedded phantom data set used when `--data` is not given. */
export const DEFAULT_PHANTOM_COUNT = 96;

export const trainCommand: Command = {
  name: 'train',
  usage: 'train --out <dir> [--data <dir|csv>] [options]',
  summary:
    'Trains a CNN, evaluates it on a held-out grouped validation split and saves it to --out.\n' +
    'Without --data it trains on generated phantom slices (a quick demonstration).',
  options: {
    ...DATA_OPTIONS,
    windows: WINDOWS_OPTION,
    out: { type: 'string', value: 'dir', help: 'Folder to save the model to (required)' },
    ...TRAINING_OPTIONS,
    seed: { type: 'string', value: 'n', help: 'Seed of weights, split, shuffling and dropout', default: '42' },
    'validation-split': { type: 'string', value: 'f', help: 'Share held out for validation (grouped, stratified)', default: '0.2' },
    threads: { type: 'string', value: 'n|auto', help: 'Threads that train (wasm backend): auto uses every core', default: 'auto' },
    phantoms: { type: 'string', value: 'n', help: 'Generated slices to train on when --data is not given', default: String(DEFAULT_PHANTOM_COUNT) },
    'checkpoint-every': { type: 'string', value: 'n', help: 'Save a checkpoint every n epochs (and on Ctrl-C); 0 turns checkpoints off', default: '1' },
    'checkpoint-dir': { type: 'string', value: 'dir', help: 'Folder for the checkpoint (default: <out>.checkpoint)' },
    resume: { type: 'boolean', help: 'Go on from the checkpoint of an interrupted run (same data and options)' },
    backend: BACKEND_OPTION,
  },
  async run(values) {
    const io = consoleOutput();
    const out = requiredFlag(values, 'out', 'train');
    const flags = trainingFlags(values);
    const { arch, size, epochs, batchSize, learningRate, seed, patience, phantoms, classWeight, augmentName, threads, lrPatience } = flags;
    const validationSplit = numberFlag(values, 'validation-split', (n) => n > 0 && n < 1, 'a number in (0, 1)');
    const checkpointEvery = numberFlag(values, 'checkpoint-every', (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0');
    const checkpointDir = typeof values['checkpoint-dir'] === 'string' ? values['checkpoint-dir'] : `${out}.checkpoint`;
    const backend = await useBackend(values.backend, true, io, threads);
    const data = await loadTrainingData(values, phantoms, size, seed, io);
    const windows = modelWindows(values, data);

    let resumeFrom: TrainingCheckpoint | undefined;
    let model;
    if (values.resume === true) {
      ({ model, checkpoint: resumeFrom } = await loadCheckpoint(checkpointDir));
      const s = resumeFrom.state;
      io.err(`resuming from ${checkpointDir}: epoch ${s.epoch + 1}, ${s.batchesDone} batches of it done`);
    } else {
      model = buildModel(arch, { inputSize: size, convBlocks: flags.convBlocks, kernelInitializer: flags.kernelInitializer, resize: flags.resize, seed, ...(windows ? { windows } : {}) });
    }
    const interrupt = onInterrupt(io);
    const workers = backend.threads > 1 ? await createTrainingWorkers({ threads: backend.threads - 1 }) : undefined;
    try {
      const channels = windows ? `${windows.length} (windows ${windows.map((w) => (typeof w === 'string' ? w : `${w.level}/${w.width}`)).join(', ')})` : '1';
      const convBlocks = countConvBlocks(model);
      io.err(`model: ${model.name}, input ${size}x${size}x${channels}, ${convBlocks} convolution blocks, ${model.countParams()} parameters`);
      const split = stratifiedGroupSplit(
        data.map((s) => s.label),
        validationSplit,
        seed,
        data.map((s) => s.group),
      );
      const trainSet = split.train.map((i) => data[i] as LabeledImage);
      const valSet = split.validation.map((i) => data[i] as LabeledImage);
      io.err(`split: ${trainSet.length} train, ${valSet.length} validation (stratified, grouped where groups are known)`);
      const batches = Math.ceil(trainSet.length / batchSize);
      let started = Date.now();
      const history = await train(model, trainSet, {
        ...trainOptions(flags, true),
        validationData: valSet,
        ...(workers ? { workers } : {}),
        ...(resumeFrom ? { resumeFrom } : {}),
        signal: interrupt.signal,
        ...(checkpointEvery > 0 || values.resume === true
          ? { checkpoint: { everyEpochs: Math.max(checkpointEvery, 1), save: (c: TrainingCheckpoint) => saveCheckpoint(checkpointDir, model, c) } }
          : {}),
        callbacks: {
          onEpochBegin: () => {
            started = Date.now();
          },
          onBatchEnd: (batch, logs) => {
            const rate = ((batch + 1) * batchSize) / ((Date.now() - started) / 1000);
            io.status(`  batch ${batch + 1}/${batches} loss=${logs?.loss?.toFixed(4)} (${rate.toFixed(1)} img/s)`);
          },
          onEpochEnd: (epoch, logs) => {
            const secs = ((Date.now() - started) / 1000).toFixed(1);
            io.err(`epoch ${epoch + 1}/${epochs} ${formatLogs(logs ?? {})} (${secs}s)`);
          },
        },
      });
      if (interrupt.signal.aborted) {
        io.err(
          checkpointEvery > 0
            ? `interrupted: saved a checkpoint to ${checkpointDir}; run the same command with --resume to go on`
            : 'interrupted (checkpoints are off, so nothing was saved)',
        );
        return 130;
      }
      if (history.restoredBestWeights) io.err(`restored the weights of epoch ${history.bestEpoch + 1} (best ${history.monitor})`);
      if (history.averagedEpochs > 0) {
        const a = history.averaged;
        io.err(
          `averaged the weights of the last ${history.averagedEpochs} epochs` +
            (a ? ` (${formatLogs(a)}; last epoch alone: val_auc ${history.history.val_auc?.at(-1)?.toFixed(4)})` : ''),
        );
      }
      if (history.threshold) {
        const t = history.threshold;
        io.err(`threshold ${t.threshold.toFixed(3)} chosen on the validation split (sensitivity ${t.sensitivity.toFixed(2)}, specificity ${t.specificity.toFixed(2)} there)`);
      }
      await saveModel(model, out);
      io.err(`saved model to ${out}`);
      await rm(checkpointDir, { recursive: true, force: true }); // the finished model supersedes it
      const result = await evaluate(model, valSet);
      const groupCount = new Set(data.map((s) => s.group).filter((g) => g !== undefined)).size;
      await writeModelCard(out, {
        modelInfo: getModelInfo(model),
        parameterCount: model.countParams(),
        data: {
          source: typeof values.data === 'string' ? `Labelled images from ${values.data}` : `${data.length} generated phantom slices (seed ${seed}); not real CT`,
          count: data.length,
          positives: data.filter((s) => s.label === 1).length,
          ...(groupCount > 0 ? { groups: groupCount } : {}),
        },
        split:
          `Stratified split by label, grouped where groups are known (seed ${seed}): ${trainSet.length} training and ` +
          `${valSet.length} validation images (validation share ${validationSplit}).` +
          (patience > 0 || history.threshold
            ? ` The validation images chose ${[patience > 0 ? `the best epoch (early stopping patience ${patience})` : '', history.threshold ? 'the decision threshold' : ''].filter(Boolean).join(' and ')}, ` +
              'so their metrics are optimistic; evaluate on a separate test set (or cross-validate: ct-hemorrhage crossval).'
            : ''),
        metrics: result,
        metricsOn: 'the validation split (groups held out)',
        training: {
          'convolution blocks': convBlocks,
          // A resumed run's weights come from its checkpoint, whose initialiser is not recorded.
          'kernel initializer': values.resume === true ? 'as the checkpointed run' : flags.kernelInitializer,
          resize: values.resume === true ? 'as the checkpointed run' : flags.resize,
          epochs,
          'batch size': batchSize,
          'learning rate': learningRate,
          optimizer: 'Adam',
          'learning-rate schedule': lrPatience > 0 ? `halved after ${lrPatience} epochs without a better val_loss` : 'constant',
          patience,
          'weight averaging': history.averagedEpochs > 0 ? `mean of the weights of the last ${history.averagedEpochs} epochs (batch norm recomputed)` : 'none',
          'class weight': classWeight,
          augment: augmentName,
          threshold: history.threshold ? `${history.threshold.threshold.toFixed(3)}, chosen on the validation split (${THRESHOLD_RULES[flags.selectThreshold]})` : 'fixed',
          seed,
          backend: backend.name,
        },
        history,
      });
      io.err(`wrote MODEL_CARD.md and history.json to ${out}`);
      io.out(`validation (${valSet.length} images, groups held out):`);
      io.out(formatMetrics(result, getModelInfo(model).preprocessing.classNames));
      return 0;
    } finally {
      interrupt.dispose();
      if (resumeFrom) disposeCheckpoint(resumeFrom);
      await workers?.terminate();
      model.dispose();
      tf.disposeVariables();
    }
  },
};
