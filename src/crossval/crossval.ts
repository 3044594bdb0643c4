import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { isTensorData, requireBackend, stratifiedGroupKFold, type LabeledData, type TensorData } from '../data/index.js';
import { CtHemorrhageError } from '../errors/index.js';
import { evaluate } from '../evaluator/index.js';
import { getModelInfo } from '../metadata/index.js';
import { binaryMetrics } from '../metrics/index.js';
import { train } from '../trainer/index.js';
import {
  CROSS_VALIDATE_DEFAULTS,
  type CrossValidateOptions,
  type CrossValidation,
  type FoldResult,
} from './options.js';

function badOption(option: string, expected: string, received: unknown, hint = ''): CtHemorrhageError {
  return new CtHemorrhageError(
    'BAD_INPUT',
    `Option ${option} of crossValidate must be ${expected}; got ${String(received)}.${hint ? ` ${hint}` : ''}`,
    { option, expected, received },
  );
}

/** Labels, ids and groups of the data, in data order, without preprocessing any image. */
function describeData(
  data: LabeledData,
  groupsOption: CrossValidateOptions['groups'],
): { labels: Float32Array; ids: string[]; groups: (string | undefined)[] } {
  let labels: Float32Array;
  let ids: string[];
  let groups: readonly (string | undefined)[] | undefined;
  if (isTensorData(data)) {
    labels = Float32Array.from(data.ys.dataSync());
    if (labels.length !== data.xs.shape[0]) {
      throw new CtHemorrhageError(
        'SHAPE_MISMATCH',
        `The cross-validation data has ${data.xs.shape[0]} inputs but ${labels.length} labels; pass one label per row of xs.`,
        { expected: data.xs.shape[0], received: labels.length },
      );
    }
    ids = Array.from(labels, (_, i) => String(i));
    groups = data.groups;
  } else {
    labels = Float32Array.from(data, (s) => s.label);
    ids = data.map((s, i) => s.id ?? String(i));
    groups = data.some((s) => s.group !== undefined) ? data.map((s) => s.group) : undefined;
  }
  if (groupsOption !== undefined) {
    if (!Array.isArray(groupsOption) || groupsOption.length !== labels.length) {
      throw badOption(
        'groups',
        `an array with one group per sample (${labels.length})`,
        Array.isArray(groupsOption) ? `${groupsOption.length} groups` : groupsOption,
      );
    }
    groups = groupsOption;
  } else if (groups !== undefined && groups.length !== labels.length) {
    throw new CtHemorrhageError(
      'SHAPE_MISMATCH',
      `The cross-validation data has ${labels.length} samples but ${groups.length} groups; pass one group per sample.`,
      { expected: labels.length, received: groups.length },
    );
  }
  return { labels, ids, groups: groups ? [...groups] : new Array<string | undefined>(labels.length).fill(undefined) };
}

/** The samples at `indices`, as the same kind of data; `dispose` frees what was allocated. */
function subsetData(
  data: LabeledData,
  indices: readonly number[],
  groups: readonly (string | undefined)[],
): { data: LabeledData; dispose(): void } {
  if (!isTensorData(data)) {
    const images = indices.map((i) => data[i] as (typeof data)[number]);
    return { data: images, dispose: () => {} };
  }
  const { xs, ys } = tf.tidy(() => {
    const idx = tf.tensor1d(Array.from(indices), 'int32');
    return { xs: tf.gather(data.xs, idx) as tf.Tensor4D, ys: tf.gather(data.ys, idx) };
  });
  const subset: TensorData = { xs, ys, groups: indices.map((i) => groups[i]) };
  return { data: subset, dispose: () => tf.dispose([xs, ys]) };
}

function meanAndSd(values: readonly number[]): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [Number.NaN, Number.NaN];
  const mean = finite.reduce((a, v) => a + v, 0) / finite.length;
  if (finite.length < 2) return [mean, Number.NaN];
  const ss = finite.reduce((a, v) => a + (v - mean) ** 2, 0);
  return [mean, Math.sqrt(ss / (finite.length - 1))];
}

/**
 * Grouped, stratified k-fold cross-validation. The samples are split with
 * {@link stratifiedGroupKFold} (every sample of a group in one fold, each fold with its share of
 * each class); for every fold, `buildModel(fold)` builds a fresh model, {@link train} trains it
 * on the other folds, and the model scores the held-out fold and is disposed. Every sample is
 * scored exactly once, by a model that never saw it; the held-out fold never steers training
 * (early stopping, if asked for, watches a `train.validationSplit` of the training folds).
 *
 * Returns each fold's metrics and training history, the metrics of the pooled out-of-fold
 * scores with 95% intervals, and the mean and spread of the fold AUCs. Seeded: the same data,
 * options and backend give the same folds and scores. Leaves `tf.memory().numTensors` as it
 * found it (the models `buildModel` returns are disposed; the caller keeps its tensor data).
 *
 * @param buildModel - Returns a new, untrained model for fold `fold` (from 0); called once per fold.
 * @param data - Labelled images (groups from each image's `group`) or tensors.
 * @param options - Folds, groups, seed, training options, threshold and a per-fold callback.
 * @throws {@link CtHemorrhageError} `BAD_INPUT` for a bad option, too many folds for the
 * groups of a class, or a label other than 0 or 1; `EMPTY_DATASET` for no samples.
 *
 * @example
 * ```ts
 * const cv = await crossValidate(
 *   () => buildLargerCnn({ inputSize: 128 }),
 *   images,
 *   { folds: 5, train: { epochs: 30, validationSplit: 0.2, patience: 5, classWeight: 'balanced' } },
 * );
 * cv.pooled.rocAuc;                   // e.g. 0.83
 * cv.pooled.intervals.rocAuc;         // e.g. [0.76, 0.90] (DeLong)
 * `${cv.meanAuc} ± ${cv.sdAuc}`;      // e.g. "0.84 ± 0.06"
 * cv.folds.map((f) => f.testCount);   // e.g. [32, 33, 31, 32, 32]
 * ```
 */
export async function crossValidate(
  buildModel: (fold: number) => tfl.LayersModel,
  data: LabeledData,
  options: CrossValidateOptions = {},
): Promise<CrossValidation> {
  requireBackend();
  if (typeof buildModel !== 'function') {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      'crossValidate needs a function that builds a new model for each fold, e.g. (fold) => buildLargerCnn({ inputSize: 128 }).',
      { option: 'buildModel', received: typeof buildModel },
    );
  }
  const k = options.folds ?? CROSS_VALIDATE_DEFAULTS.folds;
  if (!(Number.isInteger(k) && k >= 2)) throw badOption('folds', 'an integer >= 2', k);
  const seed = options.seed ?? CROSS_VALIDATE_DEFAULTS.seed;
  if (!Number.isInteger(seed)) throw badOption('seed', 'an integer', seed);
  const batchSize = options.batchSize ?? CROSS_VALIDATE_DEFAULTS.batchSize;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw badOption('batchSize', 'an integer >= 1', batchSize);
  const threshold = options.threshold;
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) throw badOption('threshold', 'a number in [0, 1]', threshold);
  const trainOptions = options.train ?? {};
  if ((trainOptions as { validationData?: unknown }).validationData !== undefined) {
    throw badOption(
      'train.validationData',
      'absent',
      'validation data',
      'Use train.validationSplit: it is taken from the training folds, so the held-out fold never steers training.',
    );
  }

  const { labels, ids, groups } = describeData(data, options.groups);
  const splits = stratifiedGroupKFold(labels, k, seed, groups);
  const n = labels.length;
  const scores = new Float32Array(n);
  const foldOf = new Int32Array(n).fill(-1);
  const results: FoldResult[] = [];
  let pooledThreshold = threshold;

  for (const [f, split] of splits.entries()) {
    const model = buildModel(f);
    try {
      const trainSide = subsetData(data, split.train, groups);
      const testSide = subsetData(data, split.validation, groups);
      try {
        const history = await train(model, trainSide.data, { seed, ...trainOptions });
        // After training: train.selectThreshold may have chosen one on the fold's validation split.
        const foldThreshold = threshold ?? getModelInfo(model).preprocessing.threshold;
        pooledThreshold ??= foldThreshold;
        const evaluation = await evaluate(model, testSide.data, { batchSize, threshold: foldThreshold });
        split.validation.forEach((i, j) => {
          scores[i] = evaluation.scores[j] as number;
          foldOf[i] = f;
        });
        const { scores: _s, labels: _l, ids: _i, ...metrics } = evaluation;
        const result: FoldResult = {
          fold: f,
          trainCount: split.train.length,
          testCount: split.validation.length,
          metrics,
          history,
        };
        results.push(result);
        await options.onFold?.(result);
      } finally {
        trainSide.dispose();
        testSide.dispose();
      }
    } finally {
      model.dispose();
    }
  }

  const [meanAuc, sdAuc] = meanAndSd(results.map((r) => r.metrics.rocAuc));
  return {
    foldCount: k,
    seed,
    folds: results,
    pooled: binaryMetrics(labels, scores, pooledThreshold),
    meanAuc,
    sdAuc,
    scores,
    labels,
    ids,
    fold: foldOf,
    groups,
  };
}
