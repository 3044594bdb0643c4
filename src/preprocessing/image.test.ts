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

describe('HU slices and windows', () => {
  const windowed = { ...spec, channels: 3, windows: ['brain', 'subdural', { level: 0, width: 100 }] as const };
  const slice = { hu: Float32Array.from({ length: 16 }, (_, i) => i * 10), width: 4, height: 4 };

  it('maps a HU slice through each window into one channel per window', () => {
    const before = tf.memory().numTensors;
    const x = imageToTensor(slice, windowed);
    expect(x.shape).toEqual([4, 4, 3]);
    const v = x.arraySync()[1]![2]!; // pixel 6: 60 HU
    expect(v[0]).toBeCloseTo(0.75, 6); // brain 40/80
    expect(v[1]).toBeCloseTo(0.4, 6); // subdural 80/200
    expect(v[2]).toBeCloseTo(1, 6); // 0/100 clamps
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resizes in HU before windowing', () => {
    const big = { hu: new Float32Array(8 * 8).fill(60), width: 8, height: 8 };
    const x = imagesToBatch([big, slice], windowed);
    expect(x.shape).toEqual([2, 4, 4, 3]);
    expect(x.arraySync()[0]![3]![3]![0]).toBeCloseTo(0.75, 6);
    x.dispose();
  });

  it("uses the slice's own window for 'file'", () => {
    const x = imageToTensor({ ...slice, window: { level: 50, width: 100 } }, { ...spec, windows: ['file'] });
    expect(x.arraySync()[0]![0]![0]).toBeCloseTo(0, 6);
    expect(x.arraySync()[1]![1]![0]).toBeCloseTo(0.5, 6); // pixel 5: 50 HU
    expect(x.arraySync()[2]![2]![0]).toBeCloseTo(1, 6); // pixel 10: 100 HU
    x.dispose();
  });

  it('windows a HU tensor for a model with windows', () => {
    const hu = tf.tensor2d([[60, -1000], [40, 3000]]);
    const x = tensorToBatch(hu, { ...windowed, inputSize: [2, 2] });
    expect(x.shape).toEqual([1, 2, 2, 3]);
    expect(x.arraySync()[0]![0]![0]![0]).toBeCloseTo(0.75, 6);
    tf.dispose([hu, x]);
  });

  it('refuses display pixels for a HU model and HU for a display model, saying what to do', () => {
    expect(() => imageToTensor({ data: new Uint8Array(16), width: 4, height: 4 }, windowed)).toThrow(/Hounsfield units/);
    expect(() => imageToTensor(slice, spec)).toThrow(/Window it first/);
    expect(() => imageToTensor({ hu: new Float32Array(3), width: 4, height: 4 }, windowed)).toThrow(CtHemorrhageError);
  });
});
