import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers.js';
import { CtHemorrhageError } from '../errors/index.js';
import { DEFAULT_PREPROCESSING, imageToTensor, inputRegion, tensorToBatch, type Preprocessing } from './index.js';

beforeAll(useCpu);

const spec = (resize: Preprocessing['resize'], inputSize: readonly [number, number] = [2, 2]): Preprocessing => ({
  ...DEFAULT_PREPROCESSING,
  inputSize,
  resize,
  scale: 1,
});

// 4 wide, 2 high: columns 10, 20, 30, 40 in both rows.
const wide = { data: Uint8Array.from([10, 20, 30, 40, 10, 20, 30, 40]), width: 4, height: 2, channels: 1 };

describe('inputRegion', () => {
  it.each([
    ['stretch', 400, 300, [128, 128], { top: 0, left: 0, height: 300, width: 400 }],
    ['crop', 400, 300, [128, 128], { top: 0, left: 50, height: 300, width: 300 }],
    ['crop', 300, 400, [128, 128], { top: 50, left: 0, height: 300, width: 300 }],
    ['pad', 400, 300, [128, 128], { top: -50, left: 0, height: 400, width: 400 }],
    ['pad', 300, 400, [128, 128], { top: 0, left: -50, height: 400, width: 400 }],
    ['crop', 400, 400, [64, 128], { top: 100, left: 0, height: 200, width: 400 }],
    ['pad', 400, 400, [64, 128], { top: 0, left: -200, height: 400, width: 800 }],
    ['crop', 256, 256, [128, 128], { top: 0, left: 0, height: 256, width: 256 }],
  ] as const)('%s of %ix%i into %j', (mode, width, height, size, expected) => {
    expect(inputRegion(width, height, size, mode)).toEqual(expected);
  });

  it('refuses an unknown mode with the modes it takes', () => {
    expect(() => inputRegion(4, 4, [2, 2], 'fit' as never)).toThrow(CtHemorrhageError);
    expect(() => inputRegion(4, 4, [2, 2], 'fit' as never)).toThrow(/stretch, crop, pad/);
  });
});

describe('imageToTensor with resize', () => {
  it("'crop' keeps the centre square of a wide image", () => {
    const t = imageToTensor(wide, spec('crop'));
    expect(Array.from(t.dataSync())).toEqual([20, 30, 20, 30]);
    t.dispose();
  });

  it("'pad' centres a wide image on black", () => {
    const t = imageToTensor(wide, spec('pad', [4, 4]));
    expect(Array.from(t.dataSync())).toEqual([0, 0, 0, 0, 10, 20, 30, 40, 10, 20, 30, 40, 0, 0, 0, 0]);
    t.dispose();
  });

  it("'stretch' keeps every column (the default)", () => {
    const t = imageToTensor(wide, spec('stretch', [2, 4]));
    expect(Array.from(t.dataSync())).toEqual([10, 20, 30, 40, 10, 20, 30, 40]);
    t.dispose();
  });

  it("'pad' fills HU slices with air, so every window reads 0 there", () => {
    const slice = { hu: Float32Array.from([40, 40, 40, 40]), width: 2, height: 2 };
    const t = imageToTensor(slice, { ...spec('pad', [4, 2]), windows: ['brain'] });
    const brainAt40 = 0.5; // brain window 40/80: 40 HU is its middle
    expect(Array.from(t.dataSync())).toEqual([0, 0, brainAt40, brainAt40, brainAt40, brainAt40, 0, 0]);
    t.dispose();
  });

  it('a tensor gives the same input as the same image in every mode', () => {
    const data = Uint8Array.from({ length: 5 * 9 * 3 }, (_, i) => (i * 37) % 256);
    const image = { data, width: 9, height: 5, channels: 3 };
    for (const mode of ['stretch', 'crop', 'pad'] as const) {
      const before = tf.memory().numTensors;
      const a = imageToTensor(image, spec(mode, [4, 4]));
      const pixels = tf.tensor3d(data, [5, 9, 3], 'int32');
      const b = tensorToBatch(pixels, spec(mode, [4, 4]));
      expect(b.shape).toEqual([1, 4, 4, 1]);
      const da = a.dataSync();
      b.dataSync().forEach((v, i) => expect(v).toBeCloseTo(da[i] as number, 3));
      tf.dispose([a, b, pixels]);
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('refuses a spec with an unknown resize mode', () => {
    expect(() => imageToTensor(wide, spec('squash' as never))).toThrow(/Option resize must be one of stretch, crop, pad/);
  });
});
