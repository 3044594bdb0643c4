import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers.js';
import { CtHemorrhageError } from '../errors/index.js';
import { DEFAULT_PREPROCESSING, imagesToBatch, imageToTensor, tensorToBatch, toGray } from './index.js';

beforeAll(useCpu);

const spec = { ...DEFAULT_PREPROCESSING, inputSize: [4, 4] as const };

describe('toGray', () => {
  it.each([
    [1, [10, 20], [10, 20]],
    [2, [10, 255, 20, 0], [10, 20]],
    [3, [255, 0, 0, 0, 0, 255], [0.299 * 255, 0.114 * 255]],
    [4, [0, 255, 0, 7, 100, 100, 100, 0], [0.587 * 255, 100]],
  ])('%i channel(s)', (_c, data, expected) => {
    const out = toGray({ data, width: 2, height: 1 });
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 3));
  });

  it('refuses a buffer that does not fit the size', () => {
    expect(() => toGray({ data: [1, 2, 3], width: 2, height: 1 })).toThrow(CtHemorrhageError);
    expect(() => toGray({ data: [1], width: 0, height: 1 })).toThrow(/positive integer/);
  });
});

describe('imageToTensor', () => {
  it('resizes any size to the input size and scales to [0, 1]', () => {
    const image = { data: new Uint8Array(6 * 10).fill(255), width: 10, height: 6 };
    const t = imageToTensor(image, spec);
    expect(t.shape).toEqual([4, 4, 1]);
    expect(Math.max(...t.dataSync())).toBeCloseTo(1, 6);
    expect(Math.min(...t.dataSync())).toBeCloseTo(1, 6);
    t.dispose();
  });

  it('a tensor of pixels gives the same batch as the same raw image', () => {
    const data = Uint8Array.from({ length: 5 * 7 * 3 }, (_, i) => (i * 37) % 256);
    const image = { data, width: 7, height: 5, channels: 3 };
    const before = tf.memory().numTensors;
    const a = imagesToBatch([image], spec);
    const px = tf.tensor3d(data, [5, 7, 3], 'int32');
    const b = tensorToBatch(px, spec);
    expect(b.shape).toEqual([1, 4, 4, 1]);
    const da = a.dataSync();
    const db = b.dataSync();
    da.forEach((v, i) => expect(db[i]).toBeCloseTo(v, 5));
    tf.dispose([a, b, px]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a tensor of 5 channels', () => {
    const t = tf.zeros([2, 2, 5]);
    expect(() => tensorToBatch(t, spec)).toThrow(/1, 2, 3 or 4 channels/);
    t.dispose();
  });
});
