import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useCpu, useWasm } from '../../test/helpers.js';
import { CtHemorrhageError } from '../errors/index.js';
import { affineMatrix, augmentBatch, AUGMENT_PRESETS, IDENTITY, type AugmentOptions, type FillMode } from './index.js';
import { transformImages } from './transform.js';

afterAll(useCpu);

const values = (t: tf.Tensor) => Array.from(t.dataSync());

function batch(n: number, size: number, channels = 1, seed = 1): tf.Tensor4D {
  return tf.randomUniform([n, size, size, channels], 0, 1, 'float32', seed) as tf.Tensor4D;
}

describe.each(['cpu', 'wasm'] as const)('augmentBatch on %s', (backend) => {
  const use = backend === 'cpu' ? useCpu : useWasm;

  it('zero ranges are the identity, exactly', async () => {
    await use();
    const x = batch(3, 17, 3);
    const zero: AugmentOptions = {
      rotationRange: 0, widthShiftRange: 0, heightShiftRange: 0, shearRange: 0, zoomRange: 0,
      brightnessRange: [1, 1], contrastRange: [1, 1], gammaRange: [1, 1], noiseStd: 0,
    };
    const y = augmentBatch(x, zero, 5);
    expect(values(y)).toEqual(values(x));
    tf.dispose([x, y]);
  });

  it.each([
    ['ct preset', AUGMENT_PRESETS.ct],
    ['reference preset', AUGMENT_PRESETS.reference],
    ['everything', { ...AUGMENT_PRESETS.reference, gammaRange: [0.8, 1.2], noiseStd: 0.05, randomResizedCrop: { scale: [0.5, 1], ratio: [0.75, 1.33] } }],
  ] as [string, AugmentOptions][])('%s keeps shape, dtype and value range, is seeded, and leaks nothing', async (_name, options) => {
    await use();
    const x = batch(4, 20, 3);
    const before = tf.memory().numTensors;
    const a = augmentBatch(x, options, { seed: 3, epoch: 1 });
    const b = augmentBatch(x, options, { seed: 3, epoch: 1 });
    const other = augmentBatch(x, options, { seed: 3, epoch: 2 });
    expect(tf.memory().numTensors).toBe(before + 3);
    expect(a.shape).toEqual(x.shape);
    expect(a.dtype).toBe('float32');
    const va = values(a);
    expect(Math.min(...va)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...va)).toBeLessThanOrEqual(1);
    expect(values(b)).toEqual(va);
    expect(values(other)).not.toEqual(va);
    tf.dispose([x, a, b, other]);
  });

  it('a row depends on its sample id, not on the batch it sits in', async () => {
    await use();
    const x = batch(3, 16);
    const whole = augmentBatch(x, AUGMENT_PRESETS.ct, { seed: 9, samples: [10, 11, 12] });
    const last = tf.slice(x, [2, 0, 0, 0], [1, -1, -1, -1]);
    const alone = augmentBatch(last, AUGMENT_PRESETS.ct, { seed: 9, samples: [12] });
    const row = tf.slice(whole, [2, 0, 0, 0], [1, -1, -1, -1]);
    values(alone).forEach((v, i) => expect(values(row)[i]).toBeCloseTo(v, 6));
    tf.dispose([x, whole, last, alone, row]);
  });

  it('a horizontal flip applied twice is the identity', async () => {
    await use();
    const x = batch(2, 15, 3);
    const m = affineMatrix({ ...IDENTITY, flipH: true }, 15, 15);
    const flip = (t: tf.Tensor4D) => transformImages(t, [m, m], 'nearest', 0);
    const once = flip(x);
    expect(values(once)).not.toEqual(values(x));
    const twice = flip(once);
    expect(values(twice)).toEqual(values(x));
    tf.dispose([x, once, twice]);
  });

  it('a rotation about the centre keeps the centre pixel', async () => {
    await use();
    const x = batch(1, 21);
    for (const rotation of [7, 45, 90, 173]) {
      const m = affineMatrix({ ...IDENTITY, rotation }, 21, 21);
      const y = transformImages(x, [m], 'constant', 0);
      expect(y.dataSync()[10 * 21 + 10]).toBeCloseTo(x.dataSync()[10 * 21 + 10] as number, 5);
      y.dispose();
    }
    x.dispose();
  });

  // One bright pixel at (x=1, y=2) in a 5x5 image, shifted by whole pixels (output -> input):
  // tx = -2 moves content right by 2, ty = 3 moves it up by 3 (off the top edge).
  it.each([
    ['constant', 2, 3, 0.25],
    ['nearest', 2, 3, 0],
    ['reflect', 2, 3, 0],
    ['wrap', 2, 3, 0],
  ] as [FillMode, number, number, number][])('whole-pixel translation with fill %s', async (fillMode, tx, ty, cval) => {
    await use();
    const img = new Float32Array(25);
    img[2 * 5 + 1] = 1;
    const x = tf.tensor4d(img, [1, 5, 5, 1]);
    const m = affineMatrix({ ...IDENTITY, tx: -tx, ty }, 5, 5);
    const out = transformImages(x, [m], fillMode, cval).dataSync();
    // Output (xo, yo) reads input (xo - 2, yo + 3); the pixel (1, 2) is read by no output
    // inside (yo = -1), so the visible output holds only what the fill mode brings in.
    const expected = new Float32Array(25);
    for (let yo = 0; yo < 5; yo++) {
      for (let xo = 0; xo < 5; xo++) {
        let xi = xo - tx;
        let yi = yo + ty;
        const inside = xi >= 0 && xi < 5 && yi >= 0 && yi < 5;
        if (!inside && fillMode === 'constant') {
          expected[yo * 5 + xo] = cval;
          continue;
        }
        const fold = (v: number) => {
          if (fillMode === 'nearest') return Math.min(4, Math.max(0, v));
          if (fillMode === 'wrap') return ((v % 5) + 5) % 5;
          if (fillMode === 'reflect') {
            let r = ((v % 10) + 10) % 10; // period 2n, edge pixel repeated (d c b a | a b c d | d c b a)
            if (r >= 5) r = 9 - r;
            return r;
          }
          return v;
        };
        xi = fold(xi);
        yi = fold(yi);
        expected[yo * 5 + xo] = img[yi * 5 + xi] as number;
      }
    }
    expect(Array.from(out)).toEqual(Array.from(expected));
    // Output (3, 4) reads input (1, 7): folded back onto the bright pixel by wrap (7 -> 2) and
    // reflect (7 -> 2), clamped to row 4 by nearest, outside for constant.
    expect(out[4 * 5 + 3]).toBe(fillMode === 'wrap' || fillMode === 'reflect' ? 1 : fillMode === 'constant' ? cval : 0);
    x.dispose();
  });

  it('a shift inside the frame moves the bright pixel to the expected place', async () => {
    await use();
    const img = new Float32Array(49);
    img[3 * 7 + 2] = 1; // (x=2, y=3)
    const x = tf.tensor4d(img, [1, 7, 7, 1]);
    const m = affineMatrix({ ...IDENTITY, tx: -3, ty: 2 }, 7, 7); // content moves right 3, up 2
    const out = Array.from(transformImages(x, [m], 'constant', 0).dataSync());
    expect(out.indexOf(1)).toBe(1 * 7 + 5);
    expect(out.filter((v) => v !== 0)).toEqual([1]);
    x.dispose();
  });
});

describe('augmentation options', () => {
  it.each([
    [{ rotationRange: -1 }, 'rotationRange', 'a number >= 0'],
    [{ rotationRange: 400 }, 'rotationRange', '[0, 180]'],
    [{ zoomRange: 1.5 }, 'zoomRange', '[0, 1)'],
    [{ zoomRange: [1.2, 0.8] }, 'zoomRange', 'min <= max'],
    [{ brightnessRange: [0.5] }, 'brightnessRange', '[min, max]'],
    [{ gammaRange: [0, 1] }, 'gammaRange', '0 < min'],
    [{ randomCrop: 0 }, 'randomCrop', '(0, 1]'],
    [{ randomResizedCrop: { scale: [0.5, 2], ratio: [1, 1] } }, 'randomResizedCrop.scale', 'max <= 1'],
    [{ fillMode: 'mirror' }, 'fillMode', "'reflect'"],
    [{ noiseStd: Number.NaN }, 'noiseStd', '>= 0'],
  ])('%j is refused, naming %s and what it expects', async (options, option, expected) => {
    await useCpu();
    const x = batch(1, 8);
    try {
      augmentBatch(x, options as AugmentOptions, 1);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CtHemorrhageError);
      expect((error as CtHemorrhageError).details.option).toBe(option);
      expect((error as CtHemorrhageError).message).toContain(expected);
      expect((error as CtHemorrhageError).message).toContain('got');
    }
    x.dispose();
  });
});

describe('augmentDataset', () => {
  it('augments every batch of a tfjs-data pipeline, seeded, and leaves no tensor behind', async () => {
    const tfd = await import('@tensorflow/tfjs-data');
    const { augmentDataset } = await import('./index.js');
    await useCpu();
    const before = tf.memory().numTensors;
    const make = () =>
      tfd.generator(function* () {
        for (let i = 0; i < 3; i++) yield { xs: tf.fill([2, 12, 12, 1], 0.5 + i / 10) as tf.Tensor4D, ys: tf.tensor1d([0, 1]) };
      });
    const pass = async (seed: number) => {
      const out: number[][] = [];
      await augmentDataset(make(), AUGMENT_PRESETS.ct, seed).forEachAsync((b) => {
        out.push(Array.from(b.xs.dataSync()));
        tf.dispose([b.xs, b.ys]);
      });
      return out;
    };
    const a = await pass(4);
    const b = await pass(4);
    expect(a).toHaveLength(3);
    expect(b).toEqual(a);
    expect(a[0]).not.toEqual(Array(288).fill(0.5));
    expect(tf.memory().numTensors).toBe(before);
  });
});
