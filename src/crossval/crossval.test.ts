import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers.js';
import type { LabeledImage, TensorData } from '../data/index.js';
import { CtHemorrhageError } from '../errors/index.js';
import { getModelInfo } from '../metadata/index.js';
import { binaryMetrics } from '../metrics/index.js';
import { buildSimpleCnn } from '../models/index.js';
import { generatePhantoms } from '../phantom/index.js';
import { imagesToBatch } from '../preprocessing/index.js';
import { crossValidate, type CrossValidateOptions } from './index.js';

beforeAll(useCpu);

const tiny = (fold: number) => buildSimpleCnn({ inputSize: 24, filters: 4, convBlocks: 2, seed: 10 + fold });
// 24 slices, 12 per class; two slices of one class share a group (6 groups per class).
const seen = [0, 0];
const data: LabeledImage[] = generatePhantoms({ count: 24, size: 24, seed: 5 }).map((s) => {
  const nth = seen[s.label] as number;
  seen[s.label] = nth + 1;
  return { ...s, group: `${s.label}-${Math.floor(nth / 2)}` };
});
const quick: CrossValidateOptions = { folds: 3, train: { epochs: 1, batchSize: 8 } };

describe('crossValidate', () => {
  it('scores every sample exactly once, keeps groups whole and pools the out-of-fold scores', async () => {
    const seenFolds: number[] = [];
    const cv = await crossValidate(tiny, data, { ...quick, onFold: (r) => void seenFolds.push(r.fold) });
    expect(seenFolds).toEqual([0, 1, 2]);
    expect(cv.foldCount).toBe(3);
    expect(cv.scores).toHaveLength(24);
    expect(cv.ids).toEqual(data.map((s) => s.id));
    expect(Array.from(cv.labels)).toEqual(data.map((s) => s.label));
    // Every sample in exactly one held-out fold, and the fold sizes add up.
    expect(Array.from(cv.fold).every((f) => f >= 0 && f < 3)).toBe(true);
    cv.folds.forEach((r, f) => {
      expect(r.fold).toBe(f);
      expect(r.testCount).toBe(Array.from(cv.fold).filter((x) => x === f).length);
      expect(r.trainCount + r.testCount).toBe(24);
      expect(r.history.trainCount).toBe(r.trainCount);
      expect(r.metrics.count).toBe(r.testCount);
      // Each fold holds both classes (stratified).
      expect(r.metrics.confusionMatrix.tp + r.metrics.confusionMatrix.fn).toBeGreaterThan(0);
      expect(r.metrics.confusionMatrix.tn + r.metrics.confusionMatrix.fp).toBeGreaterThan(0);
    });
    expect(cv.folds.reduce((a, r) => a + r.testCount, 0)).toBe(24);
    // No group on both sides of a fold: every group lies in one held-out fold.
    const foldOfGroup = new Map<string, Set<number>>();
    data.forEach((s, i) => {
      const set = foldOfGroup.get(s.group as string) ?? new Set<number>();
      set.add(cv.fold[i] as number);
      foldOfGroup.set(s.group as string, set);
    });
    for (const folds of foldOfGroup.values()) expect(folds.size).toBe(1);
    expect(cv.groups).toEqual(data.map((s) => s.group));
    // Scores are probabilities; pooled metrics are those of the pooled scores.
    expect(Array.from(cv.scores).every((p) => p >= 0 && p <= 1)).toBe(true);
    const expected = binaryMetrics(cv.labels, cv.scores, 0.5);
    expect(cv.pooled).toEqual(expected);
    const aucs = cv.folds.map((r) => r.metrics.rocAuc);
    const mean = aucs.reduce((a, v) => a + v, 0) / 3;
    expect(cv.meanAuc).toBeCloseTo(mean, 10);
    expect(cv.sdAuc).toBeCloseTo(Math.sqrt(aucs.reduce((a, v) => a + (v - mean) ** 2, 0) / 2), 10);
  });

  it('leaves tf.memory().numTensors as it found it, with images and with tensors', async () => {
    const before = tf.memory().numTensors;
    await crossValidate(tiny, data, { ...quick, train: { epochs: 1, batchSize: 8, validationSplit: 0.25, patience: 1 } });
    expect(tf.memory().numTensors).toBe(before);
    const probe = tiny(0);
    const xs = imagesToBatch(data.map((s) => s.image), getModelInfo(probe).preprocessing);
    probe.dispose();
    const ys = tf.tensor1d(data.map((s) => s.label));
    const tensors: TensorData = { xs, ys, groups: data.map((s) => s.group) };
    const withTensors = tf.memory().numTensors;
    const a = await crossValidate(tiny, tensors, quick);
    expect(tf.memory().numTensors).toBe(withTensors);
    tf.dispose([xs, ys]);
    // Same folds and scores as with the images the tensors came from.
    const b = await crossValidate(tiny, data, quick);
    expect(Array.from(a.fold)).toEqual(Array.from(b.fold));
    Array.from(a.scores).forEach((p, i) => expect(p).toBeCloseTo(b.scores[i] as number, 5));
    expect(a.ids).toEqual(data.map((_, i) => String(i)));
  });

  it('is seeded: the same seed gives the same folds and scores; another seed, other folds', async () => {
    const a = await crossValidate(tiny, data, { ...quick, seed: 7 });
    const b = await crossValidate(tiny, data, { ...quick, seed: 7 });
    expect(Array.from(b.fold)).toEqual(Array.from(a.fold));
    expect(Array.from(b.scores)).toEqual(Array.from(a.scores));
    expect(b.pooled).toEqual(a.pooled);
    const c = await crossValidate(tiny, data, { ...quick, seed: 8 });
    expect(Array.from(c.fold)).not.toEqual(Array.from(a.fold));
  });

  it('uses the threshold option, and groups that override the images\' own', async () => {
    const groups = data.map((_, i) => `own-${i}`);
    const cv = await crossValidate(tiny, data, { ...quick, threshold: 0, groups });
    expect(cv.pooled.threshold).toBe(0);
    expect(cv.pooled.sensitivity).toBe(1);
    expect(cv.folds.every((r) => r.metrics.threshold === 0)).toBe(true);
    expect(cv.groups).toEqual(groups);
  });

  it.each<[string, CrossValidateOptions]>([
    ['folds 1', { folds: 1 }],
    ['folds 2.5', { folds: 2.5 }],
    ['more folds than groups of a class', { folds: 7 }],
    ['threshold 2', { threshold: 2 }],
    ['seed 0.5', { seed: 0.5 }],
    ['batchSize 0', { batchSize: 0 }],
    ['groups of another length', { groups: ['a', 'b'] }],
    ['validationData', { train: { validationData: data } as CrossValidateOptions['train'] }],
    ['epochs 0 (checked by train)', { folds: 2, train: { epochs: 0 } }],
  ])('refuses %s with BAD_INPUT and leaks nothing', async (_, options) => {
    const before = tf.memory().numTensors;
    const error = await crossValidate(tiny, data, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtHemorrhageError);
    expect((error as CtHemorrhageError).code).toBe('BAD_INPUT');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses labels other than 0/1 and an empty dataset', async () => {
    const bad = [{ ...(data[0] as LabeledImage), label: 2 }, ...data.slice(1)];
    await expect(crossValidate(tiny, bad, quick)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(crossValidate(tiny, [], quick)).rejects.toMatchObject({ code: 'EMPTY_DATASET' });
  });
});
