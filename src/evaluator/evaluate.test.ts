import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers.js';
import { imagesToBatch } from '../preprocessing/index.js';
import { binaryMetrics } from '../metrics/index.js';
import { buildLargerCnn } from '../models/index.js';
import { generatePhantoms } from '../phantom/index.js';
import { getModelInfo } from '../metadata/index.js';
import { evaluate } from './index.js';

beforeAll(useCpu);

describe('evaluate', () => {
  const data = generatePhantoms({ count: 12, size: 40, seed: 2 });

  it('returns the metrics of the model scores, with the model threshold, and leaks nothing', async () => {
    const model = buildLargerCnn({ inputSize: 32, filters: 4, threshold: 0.49 });
    const before = tf.memory().numTensors;
    const result = await evaluate(model, data, { batchSize: 5 });
    expect(tf.memory().numTensors).toBe(before);
    const xs = imagesToBatch(data.map((d) => d.image), getModelInfo(model).preprocessing);
    const direct = (model.predict(xs) as tf.Tensor).dataSync();
    xs.dispose();
    Array.from(direct).forEach((p, i) => expect(result.scores[i]).toBeCloseTo(p, 6));
    const expected = binaryMetrics(data.map((d) => d.label), direct, 0.49);
    expect(result.threshold).toBe(0.49);
    expect(result.confusionMatrix).toEqual(expected.confusionMatrix);
    expect(result.rocAuc).toBeCloseTo(expected.rocAuc, 10);
    for (const key of ['ppv', 'npv', 'f1', 'balancedAccuracy', 'prAuc', 'brier', 'ece'] as const) {
      if (Number.isNaN(expected[key])) expect(result[key]).toBeNaN();
      else expect(result[key]).toBeCloseTo(expected[key], 6);
    }
    expect(result.intervals.ppv).toEqual(expected.intervals.ppv);
    expect(result.intervals.npv).toEqual(expected.intervals.npv);
    expect(result.ids).toEqual(data.map((d) => d.id));
    const overridden = await evaluate(model, data, { threshold: 0 });
    expect(overridden.sensitivity).toBe(1);
    expect(overridden.specificity).toBe(0);
    model.dispose();
  });
});
