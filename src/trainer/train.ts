import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  classCounts,
  isTensorData,
  prepareData,
  requireBackend,
  stratifiedGroupSplit,
  type LabeledData,
  type PreparedData,
} from '../data/index.js';
import { CtHemorrhageError } from '../errors/index.js';
import { predictScores } from '../inference/index.js';
import { getModelInfo, setModelInfo } from '../metadata/index.js';
import type { Preprocessing } from '../preprocessing/index.js';
import { binaryMetrics, selectThreshold, type OperatingPoint } from '../metrics/index.js';
import { validateAugmentOptions } from '../augment/index.js';
import { createRng, mixSeed, shuffled } from '../random/index.js';
import { hasBatchNorm, recomputeBatchNorm } from './batch-norm.js';
import { WeightAverage } from './averaging.js';
import { dropoutMasks, dropoutSites, type DropoutSite } from './dropout.js';
import { shardGradients, type ShardRequest, type ShardResult } from './shard.js';
import {
  CHECKPOINT_FORMAT,
  checkResumable,
  optimizerState,
  restoreOptimizerState,
  type TrainingCheckpoint,
  type TrainingState,
} from './checkpoint.js';
import {
  TRAIN_DEFAULTS,
  type Logs,
  type MonitorName,
  type TrainHistory,
  type TrainOptions,
} from './options.js';

function checkNumber(name: string, value: number, ok: boolean, expected: string): number {
  if (!ok || !Number.isFinite(value)) {
    throw new CtHemorrhageError('BAD_INPUT', `Option ${name} must be ${expected}; got ${String(value)}.`, {
      option: name,
      expected,
      received: value,
    });
  }
  return value;
}

interface Split {
  xs: tf.Tensor4D;
  labels: Float32Array;
}

function subset(prepared: PreparedData, indices: number[]): Split {
  const idx = tf.tensor1d(indices, 'int32');
  const xs = tf.gather(prepared.xs, idx) as tf.Tensor4D;
  idx.dispose();
  return { xs, labels: Float32Array.from(indices, (i) => prepared.labels[i] as number) };
}

function resolveClassWeights(option: TrainOptions['classWeight'], labels: Float32Array): [number, number] {
  if (option === undefined) return [1, 1];
  if (option === 'balanced') {
    const [neg, pos] = classCounts(labels);
    if (neg === 0 || pos === 0) return [1, 1];
    return [labels.length / (2 * neg), labels.length / (2 * pos)];
  }
  const w: [number, number] = [option[0], option[1]];
  w.forEach((v, i) => checkNumber(`classWeight[${i}]`, v, v >= 0, 'a number >= 0'));
  return w;
}

/** Splits a batch into `parts` contiguous shard requests of near-equal size (none empty). */
function shardRequests(
  batch: readonly number[],
  epoch: number,
  labels: Float32Array,
  classWeights: readonly [number, number],
  masks: readonly Float32Array[],
  sites: readonly DropoutSite[],
  parts: number,
): ShardRequest[] {
  const count = Math.min(parts, batch.length);
  const out: ShardRequest[] = [];
  for (let p = 0, from = 0; p < count; p++) {
    const to = from + Math.floor(batch.length / count) + (p < batch.length % count ? 1 : 0);
    const indices = batch.slice(from, to);
    out.push({
      indices,
      epoch,
      labels: Float32Array.from(indices, (i) => labels[i] as number),
      weights: Float32Array.from(indices, (i) => classWeights[labels[i] === 1 ? 1 : 0] as number),
      masks: masks.map((m, s) => m.slice(from * (sites[s] as DropoutSite).features, to * (sites[s] as DropoutSite).features)),
    });
    from = to;
  }
  return out;
}

/** Sums shard gradients, divides by the batch size and lets the optimiser apply them. */
function applySummedGradients(
  optimizer: tf.Optimizer,
  variables: readonly tf.Variable[],
  results: readonly ShardResult[],
  batchSize: number,
): void {
  tf.tidy(() => {
    const named: tf.NamedTensorMap = {};
    variables.forEach((v, i) => {
      const sum = new Float32Array(v.size);
      for (const r of results) {
        const g = r.grads[i] as Float32Array;
        for (let k = 0; k < sum.length; k++) sum[k] = (sum[k] as number) + (g[k] as number);
      }
      for (let k = 0; k < sum.length; k++) sum[k] = (sum[k] as number) / batchSize;
      named[v.name] = tf.tensor(sum, v.shape);
    });
    optimizer.applyGradients(named);
  });
}

const CLASS_NAMES = ['normal (0)', 'hemorrhage (1)'] as const;

/** Throws EMPTY_DATASET when `labels` lack a class: a binary classifier cannot learn from one. */
function requireBothClasses(labels: Float32Array, what: string): void {
  const counts = classCounts(labels);
  const empty = counts.findIndex((c) => c === 0);
  if (empty < 0) return;
  throw new CtHemorrhageError(
    'EMPTY_DATASET',
    `${what} has no ${CLASS_NAMES[empty]} images (${counts[0]} normal, ${counts[1]} hemorrhage); the model needs both classes. ` +
      'Add images of the missing class, or pass validationData chosen so that both sides hold both classes.',
    { expected: 'both classes', received: { normal: counts[0], hemorrhage: counts[1] } },
  );
}

/**
 * Preprocesses the training data once and resolves the validation side: `validationData`, or
 * a grouped stratified `validationSplit` of the training images. Everything allocated goes to
 * `owned` for the caller to dispose.
 */
function trainingSets(
  data: LabeledData,
  options: TrainOptions,
  spec: Preprocessing,
  seed: number,
  validationSplit: number,
  owned: { dispose(): void }[],
): { trainSet: Split; valSet?: Split } {
  const all = prepareData(data, spec, 'training data');
  owned.push(all);
  requireBothClasses(all.labels, 'The training data');
  if (options.validationData !== undefined) {
    const val = prepareData(options.validationData, spec, 'validation data');
    owned.push(val);
    return { trainSet: all, valSet: val };
  }
  if (validationSplit === 0) return { trainSet: all };
  const groups = isTensorData(data) ? data.groups : data.map((s) => s.group);
  const split = stratifiedGroupSplit(all.labels, validationSplit, seed, groups);
  if (split.train.length === 0 || split.validation.length === 0) {
    throw new CtHemorrhageError(
      'EMPTY_DATASET',
      `A validation split of ${validationSplit} leaves ${split.train.length} training and ` +
        `${split.validation.length} validation samples; add data or change validationSplit.`,
      { option: 'validationSplit', received: validationSplit },
    );
  }
  for (const [side, indices] of [['training', split.train], ['validation', split.validation]] as const) {
    requireBothClasses(
      Float32Array.from(indices, (i) => all.labels[i] as number),
      `A validation split of ${validationSplit} leaves the ${side} side with ${indices.length} images, and it`,
    );
  }
  const trainSet = subset(all, split.train);
  owned.push(trainSet.xs);
  const valSet = subset(all, split.validation);
  owned.push(valSet.xs);
  all.dispose(); // the two subsets hold copies; keeping the whole set would double the memory
  return { trainSet, valSet };
}

/**
 * Lets timers and I/O run (UI frames in a browser, test runners' and workers' messages in
 * Node) at most every `YIELD_MS` ms of training; `await` alone only drains microtasks.
 */
const YIELD_MS = 50;
function makeYielder(): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last < YIELD_MS) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    last = Date.now();
  };
}

interface Plateau {
  readonly factor: number;
  readonly patience: number;
  readonly minLearningRate: number;
}

function resolvePlateau(option: TrainOptions['reduceLrOnPlateau']): Plateau | undefined {
  if (option === undefined) return undefined;
  const factor = option.factor ?? 0.5;
  checkNumber('reduceLrOnPlateau.factor', factor, factor > 0 && factor < 1, 'in (0, 1)');
  const patience = option.patience ?? 3;
  checkNumber('reduceLrOnPlateau.patience', patience, Number.isInteger(patience) && patience >= 1, 'an integer >= 1');
  const minLearningRate = option.minLearningRate ?? 1e-5;
  checkNumber('reduceLrOnPlateau.minLearningRate', minLearningRate, minLearningRate >= 0, 'a number >= 0');
  return { factor, patience, minLearningRate };
}

/** Reads and sets the optimiser's learning rate (a public field of tfjs' Adam, SGD, RMSprop...). */
function learningRateOf(optimizer: tf.Optimizer, needed: boolean): { get(): number; set(v: number): void } | undefined {
  if (!needed) return undefined;
  const fields = optimizer as unknown as { learningRate?: unknown };
  if (typeof fields.learningRate !== 'number') {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      'Option reduceLrOnPlateau needs an optimiser with a numeric learningRate field (Adam, SGD, RMSprop, Adagrad...).',
      { option: 'reduceLrOnPlateau' },
    );
  }
  return {
    get: () => fields.learningRate as number,
    set: (v) => {
      fields.learningRate = v;
    },
  };
}

/** True when `signal` cut training short (the model is mid-run: no threshold is chosen). */
function stoppedByAbort(options: TrainOptions, epochList: readonly number[], epochs: number): boolean {
  return options.signal?.aborted === true && epochList.length < epochs;
}

function improved(monitor: MonitorName, value: number, best: number, minDelta: number): boolean {
  if (Number.isNaN(value)) return false;
  const higherIsBetter = monitor === 'acc' || monitor === 'val_acc' || monitor === 'val_auc';
  return higherIsBetter ? value > best + minDelta : value < best - minDelta;
}

/**
 * The running weight average of a run with `swaEpochs`, resumed from the checkpoint's sums
 * when there is one. Refuses a checkpoint whose sums do not hold exactly the epochs of this
 * run's window finished so far (taken without swaEpochs, or with other epochs or swaEpochs).
 */
function startAverage(
  variables: readonly tf.Variable[],
  swaEpochs: number,
  epochs: number,
  resumeFrom: TrainingCheckpoint | undefined,
): WeightAverage {
  if (resumeFrom === undefined) return WeightAverage.start(variables);
  const sums = resumeFrom.averageSums;
  const held = sums !== undefined && sums.length === variables.length ? (resumeFrom.state.averagedEpochs ?? 0) : 0;
  const expected = Math.max(0, resumeFrom.state.epoch - (epochs - swaEpochs));
  if (held !== expected) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `The checkpoint holds the weight sums of ${held} epochs, but this run (epochs ${epochs}, swaEpochs ${swaEpochs}) ` +
        `would have averaged ${expected} by epoch ${resumeFrom.state.epoch + 1}. Resume with the epochs and swaEpochs of the interrupted run, or start afresh.`,
      { option: 'swaEpochs', expected, received: held },
    );
  }
  return held > 0 && sums ? WeightAverage.start(variables, { sums, epochs: held }) : WeightAverage.start(variables);
}

/**
 * Trains `model` on labelled data, in the shape of tfjs `model.fit`: epochs, batch size,
 * learning rate, validation data or a grouped stratified validation split, class weights,
 * early stopping with best-weights restore, and callbacks. Images are preprocessed once, as
 * the model's saved preprocessing says. Shuffling, the split and dropout masks follow `seed`,
 * so the same seed gives the same weights on the same backend.
 *
 * Every tensor it makes is disposed before it returns; the model's weights are updated in place.
 *
 * @example
 * ```ts
 * const model = buildLargerCnn({ inputSize: 64 });
 * const history = await train(model, images, { epochs: 20, validationSplit: 0.2, patience: 5 });
 * history.history.val_auc; // e.g. [0.61, 0.72, ...]
 * history.bestEpoch;       // e.g. 14
 * ```
 */
export async function train(
  model: tfl.LayersModel,
  data: LabeledData,
  options: TrainOptions = {},
): Promise<TrainHistory> {
  requireBackend();
  const epochs = options.epochs ?? TRAIN_DEFAULTS.epochs;
  checkNumber('epochs', epochs, Number.isInteger(epochs) && epochs >= 1, 'an integer >= 1');
  const batchSize = options.batchSize ?? TRAIN_DEFAULTS.batchSize;
  checkNumber('batchSize', batchSize, Number.isInteger(batchSize) && batchSize >= 1, 'an integer >= 1');
  const learningRate = options.learningRate ?? TRAIN_DEFAULTS.learningRate;
  checkNumber('learningRate', learningRate, learningRate > 0, 'a number > 0');
  const validationSplit = options.validationSplit ?? TRAIN_DEFAULTS.validationSplit;
  checkNumber('validationSplit', validationSplit, validationSplit >= 0 && validationSplit < 1, 'in [0, 1)');
  const patience = options.patience ?? TRAIN_DEFAULTS.patience;
  checkNumber('patience', patience, Number.isInteger(patience) && patience >= 0, 'an integer >= 0');
  const minDelta = options.minDelta ?? TRAIN_DEFAULTS.minDelta;
  checkNumber('minDelta', minDelta, minDelta >= 0, 'a number >= 0');
  const seed = options.seed ?? TRAIN_DEFAULTS.seed;
  const shuffle = options.shuffle ?? TRAIN_DEFAULTS.shuffle;
  const callbacks = options.callbacks ?? {};
  if (options.augment) validateAugmentOptions(options.augment);
  const plateau = resolvePlateau(options.reduceLrOnPlateau);
  const thresholdMethod = options.selectThreshold ?? 'none';
  if (thresholdMethod !== 'none' && thresholdMethod !== 'youden' && thresholdMethod !== 'youden-1se') {
    throw new CtHemorrhageError('BAD_INPUT', `Option selectThreshold must be 'youden', 'youden-1se' or 'none'; got ${String(thresholdMethod)}.`, {
      option: 'selectThreshold',
      received: thresholdMethod,
    });
  }
  const batchNormStatistics = options.batchNormStatistics ?? 'moving';
  if (batchNormStatistics !== 'moving' && batchNormStatistics !== 'population') {
    throw new CtHemorrhageError('BAD_INPUT', `Option batchNormStatistics must be 'moving' or 'population'; got ${String(batchNormStatistics)}.`, {
      option: 'batchNormStatistics',
      received: batchNormStatistics,
    });
  }
  const swaEpochs = options.swaEpochs ?? 0;
  checkNumber('swaEpochs', swaEpochs, Number.isInteger(swaEpochs) && swaEpochs >= 0 && swaEpochs <= epochs, `an integer from 0 to epochs (${epochs})`);
  const checkpointEvery = options.checkpoint?.everyEpochs ?? 1;
  checkNumber('checkpoint.everyEpochs', checkpointEvery, Number.isInteger(checkpointEvery) && checkpointEvery >= 1, 'an integer >= 1');

  const spec = getModelInfo(model).preprocessing;
  const owned: { dispose(): void }[] = [];
  const ownedOptimizer = options.optimizer === undefined;
  const optimizer = options.optimizer ?? tf.train.adam(learningRate);
  let best: tf.Tensor[] | undefined;
  let stopWorkers: (() => Promise<void>) | undefined;
  try {
    const { trainSet, valSet } = trainingSets(data, options, spec, seed, validationSplit, owned);
    const monitor: MonitorName = options.monitor ?? (valSet ? 'val_loss' : 'loss');
    if (monitor.startsWith('val_') && !valSet) {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        `Option monitor is "${monitor}" but there is no validation data; pass validationData or validationSplit, or monitor "loss".`,
        { option: 'monitor', received: monitor },
      );
    }
    if (thresholdMethod !== 'none') {
      if (!valSet) {
        throw new CtHemorrhageError(
          'BAD_INPUT',
          'Option selectThreshold chooses the threshold on validation data; pass validationData or validationSplit.',
          { option: 'selectThreshold' },
        );
      }
      requireBothClasses(valSet.labels, 'The validation data (to choose the threshold on)');
    }
    const restoreBest = options.restoreBestWeights ?? patience > 0;
    const [w0, w1] = resolveClassWeights(options.classWeight, trainSet.labels);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const sites = dropoutSites(model);
    const shuffleRng = createRng(seed);
    const n = trainSet.labels.length;
    const indices = Array.from({ length: n }, (_, i) => i);
    const workers = options.workers;
    const augmentation = options.augment ? { options: options.augment, seed: mixSeed(seed, 0x5eed) } : undefined;
    if (workers) {
      await workers.start({
        modelTopology: JSON.stringify(model.toJSON(null, false)),
        xs: (await trainSet.xs.data()) as Float32Array,
        shape: trainSet.xs.shape,
        ...(augmentation ? { augmentation } : {}),
      });
      stopWorkers = () => workers.stop();
    }

    const settings = { seed, batchSize, shuffle, trainCount: n, validationCount: valSet?.labels.length ?? 0, monitor };
    const resume = options.resumeFrom?.state;
    if (resume) checkResumable(resume, settings);
    const average = swaEpochs > 0 ? startAverage(variables, swaEpochs, epochs, options.resumeFrom) : undefined;
    const history: Record<string, number[]> = structuredClone(resume?.history ?? {});
    const epochList: number[] = [...(resume?.epochs ?? [])];
    let bestValue = resume?.bestValue ?? Number.NaN;
    let bestEpoch = resume?.bestEpoch ?? -1;
    let wait = resume?.wait ?? 0;
    let stoppedEarly = false;
    const lr = learningRateOf(optimizer, plateau !== undefined);
    let lrWait = resume?.lrWait ?? 0;
    if (lr && resume?.learningRate !== undefined) lr.set(resume.learningRate);
    if (options.resumeFrom) {
      await restoreOptimizerState(optimizer, options.resumeFrom.optimizer);
      if (restoreBest && options.resumeFrom.bestWeights) best = options.resumeFrom.bestWeights.map((w) => tf.clone(w));
      // Replays the shuffles of the finished epochs so the next one draws the same order.
      if (shuffle) for (let e = 0; e < (resume as TrainingState).epoch; e++) shuffled(indices, shuffleRng);
    }
    /** Hands a checkpoint of the current state to `options.checkpoint.save`. */
    const saveCheckpoint = async (epoch: number, batchesDone: number, lossSum: number, correctSum: number) => {
      if (!options.checkpoint) return;
      const checkpoint: TrainingCheckpoint = {
        state: {
          format: CHECKPOINT_FORMAT,
          epoch,
          batchesDone,
          lossSum,
          correctSum,
          ...settings,
          epochs: [...epochList],
          history: structuredClone(history),
          bestValue: Number.isNaN(bestValue) ? null : bestValue,
          bestEpoch,
          wait,
          ...(lr ? { learningRate: lr.get(), lrWait } : {}),
          ...(average ? { averagedEpochs: average.count } : {}),
        },
        optimizer: await optimizerState(optimizer),
        ...(restoreBest && best ? { bestWeights: best } : {}),
        ...(average ? { averageSums: average.toTensors(variables) } : {}),
      };
      try {
        await options.checkpoint.save(checkpoint);
      } finally {
        tf.dispose(checkpoint.optimizer.map((o) => o.tensor));
        tf.dispose(checkpoint.averageSums);
      }
    };
    await callbacks.onTrainBegin?.();
    const yieldNow = makeYielder();

    for (let epoch = resume?.epoch ?? 0; epoch < epochs; epoch++) {
      await callbacks.onEpochBegin?.(epoch);
      const order = shuffle ? shuffled(indices, shuffleRng) : indices;
      const resumed = resume !== undefined && epoch === resume.epoch;
      let lossSum = resumed ? resume.lossSum : 0;
      let correctSum = resumed ? resume.correctSum : 0;
      let interrupted = false;
      for (let batch = resumed ? resume.batchesDone : 0, start = batch * batchSize; start < n; start += batchSize, batch++) {
        await yieldNow();
        if (options.signal?.aborted) {
          await saveCheckpoint(epoch, batch, lossSum, correctSum);
          interrupted = true;
          break;
        }
        const batchIdx = order.slice(start, start + batchSize);
        await callbacks.onBatchBegin?.(batch, { batch, size: batchIdx.length });
        const requests = shardRequests(
          batchIdx,
          epoch,
          trainSet.labels,
          [w0, w1],
          dropoutMasks(sites, batchIdx, epoch, seed),
          sites,
          (workers?.size ?? 0) + 1,
        );
        let results: ShardResult[];
        if (workers && requests.length > 1) {
          const remote = workers.compute(
            variables.map((v) => v.dataSync() as Float32Array),
            requests.slice(1),
          );
          const local = shardGradients(model, trainSet.xs, sites, requests[0] as ShardRequest, augmentation);
          results = [local, ...(await remote)];
        } else {
          results = [shardGradients(model, trainSet.xs, sites, requests[0] as ShardRequest, augmentation)];
        }
        applySummedGradients(optimizer, variables, results, batchIdx.length);
        const batchLoss = results.reduce((a, r) => a + r.lossSum, 0);
        const batchCorrect = results.reduce((a, r) => a + r.correct, 0);
        lossSum += batchLoss;
        correctSum += batchCorrect;
        await callbacks.onBatchEnd?.(batch, {
          batch,
          size: batchIdx.length,
          loss: batchLoss / batchIdx.length,
          acc: batchCorrect / batchIdx.length,
        });
      }
      if (interrupted) {
        stoppedEarly = true;
        break;
      }
      const logs: Logs = { loss: lossSum / n, acc: correctSum / n, ...(lr ? { lr: lr.get() } : {}) };
      if (batchNormStatistics === 'population' && hasBatchNorm(model)) recomputeBatchNorm(model, trainSet.xs, batchSize);
      if (valSet) {
        const scores = await predictScores(model, valSet.xs, Math.max(batchSize, 32));
        const m = binaryMetrics(valSet.labels, scores, 0.5);
        logs.val_loss = m.loss;
        logs.val_acc = m.accuracy;
        logs.val_auc = m.rocAuc;
      }
      epochList.push(epoch);
      for (const [k, v] of Object.entries(logs)) (history[k] ??= []).push(v);
      if (average && epoch >= epochs - swaEpochs) average.add(variables);

      const value = logs[monitor] as number;
      if (bestEpoch < 0 || improved(monitor, value, bestValue, minDelta)) {
        bestValue = value;
        bestEpoch = epoch;
        wait = 0;
        if (restoreBest) {
          tf.dispose(best);
          best = model.getWeights().map((w) => tf.clone(w));
        }
        lrWait = 0;
      } else {
        wait++;
        if (lr && plateau && ++lrWait >= plateau.patience) {
          lr.set(Math.max(lr.get() * plateau.factor, plateau.minLearningRate));
          lrWait = 0;
        }
      }
      await callbacks.onEpochEnd?.(epoch, logs);
      const aborted = options.signal?.aborted === true;
      if (aborted || (patience > 0 && wait >= patience)) {
        stoppedEarly = epoch < epochs - 1 || aborted;
        if (aborted && epoch < epochs - 1) await saveCheckpoint(epoch + 1, 0, 0, 0);
        break;
      }
      if (epoch < epochs - 1 && (epoch + 1) % checkpointEvery === 0) await saveCheckpoint(epoch + 1, 0, 0, 0);
    }
    // An average of the window's epochs, when training reached it, takes the best epoch's place.
    const averagedEpochs = average && !stoppedByAbort(options, epochList, epochs) ? average.count : 0;
    let restored = false;
    if (averagedEpochs === 0 && restoreBest && best && bestEpoch !== epochList[epochList.length - 1]) {
      model.setWeights(best);
      restored = true;
    }
    let averaged: Logs | undefined;
    let averagedScores: Float32Array | undefined; // the threshold is chosen on these too
    if (average && averagedEpochs > 0) {
      average.apply(variables);
      if (hasBatchNorm(model)) recomputeBatchNorm(model, trainSet.xs, batchSize);
      if (valSet) {
        averagedScores = await predictScores(model, valSet.xs, Math.max(batchSize, 32));
        const m = binaryMetrics(valSet.labels, averagedScores, 0.5);
        averaged = { val_loss: m.loss, val_acc: m.accuracy, val_auc: m.rocAuc };
      }
    }
    let threshold: OperatingPoint | undefined;
    if (thresholdMethod !== 'none' && valSet && !stoppedByAbort(options, epochList, epochs)) {
      const scores = averagedScores ?? (await predictScores(model, valSet.xs, Math.max(batchSize, 32)));
      threshold = selectThreshold(valSet.labels, scores, { method: thresholdMethod, placement: 'midway' });
      const info = getModelInfo(model);
      setModelInfo(model, { ...info, preprocessing: { ...info.preprocessing, threshold: threshold.threshold } });
    }
    const last = Object.fromEntries(Object.entries(history).map(([k, v]) => [k, v[v.length - 1] as number]));
    await callbacks.onTrainEnd?.(last);
    return {
      epoch: epochList,
      history,
      monitor,
      bestEpoch,
      stoppedEarly,
      restoredBestWeights: restored,
      averagedEpochs,
      ...(averaged ? { averaged } : {}),
      trainCount: n,
      validationCount: valSet?.labels.length ?? 0,
      ...(threshold ? { threshold } : {}),
    };
  } finally {
    // Cleanup only: a worker that failed has already made training throw.
    await stopWorkers?.().catch(() => undefined);
    tf.dispose(best);
    for (const o of owned.reverse()) o.dispose();
    if (ownedOptimizer) optimizer.dispose();
  }
}
