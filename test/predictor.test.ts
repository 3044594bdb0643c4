import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import { buildLargerCnn, createPredictor, generatePhantoms, toGray } from '../src/node.js';
import { encodePng, useCpu } from './helpers.js';
import type { RawImage } from '../src/preprocessing/index.js';

let root: string;
beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'cth-predict-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const [sample] = generatePhantoms({ count: 1, size: 40, seed: 9 });
const image = sample!.image as RawImage;

describe('predictor', () => {
  const model = buildLargerCnn({ inputSize: 32, filters: 4, seed: 5 });

  it('gives the same prediction for a path, PNG bytes, a raw image and a pixel tensor', async () => {
    const png = await encodePng(image);
    const file = join(root, 'slice.png');
    await writeFile(file, png);
    const pixels = tf.tensor3d(toGray(image), [image.height, image.width, 1]);
    const predictor = createPredictor(model);
    const before = tf.memory().numTensors;
    const results = [
      await predictor.predict(file),
      await predictor.predict(png),
      await predictor.predict(png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer),
      await predictor.predict(image),
      await predictor.predict(pixels),
    ];
    expect(tf.memory().numTensors).toBe(before);
    for (const r of results.slice(1)) expect(r.probability).toBeCloseTo(results[0]!.probability, 6);
    expect(results[0]).toMatchObject({ threshold: 0.5 });
    expect(results[0]!.label).toBe(results[0]!.probability >= 0.5 ? 'hemorrhage' : 'normal');
    pixels.dispose();
  });

  it('predictBatch keeps input order and matches predict', async () => {
    const slices = generatePhantoms({ count: 5, size: 36, seed: 3 }).map((s) => s.image);
    const predictor = createPredictor(model, { batchSize: 2 });
    const batch = await predictor.predictBatch(slices);
    const single = await Promise.all(slices.map((s) => predictor.predict(s)));
    batch.forEach((p, i) => expect(p.probability).toBeCloseTo(single[i]!.probability, 6));
  });

  it('a threshold option overrides the saved one', async () => {
    const p = await createPredictor(model, { threshold: 0 }).predict(image);
    expect(p).toMatchObject({ threshold: 0, labelIndex: 1, label: 'hemorrhage' });
  });

  it.each([
    ['corrupt bytes', () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), 'DECODE_FAILED'],
    ['zero bytes', () => new Uint8Array(0), 'DECODE_FAILED'],
    ['a number', () => 42, 'BAD_INPUT'],
    ['a missing file', () => join(root, 'absent.png'), 'FILE_NOT_FOUND'],
    ['a batch tensor', () => tf.zeros([2, 8, 8, 1]), 'SHAPE_MISMATCH'],
    ['a short buffer', () => ({ data: new Uint8Array(3), width: 4, height: 4 }), 'SHAPE_MISMATCH'],
  ])('%s gives %s and leaks nothing', async (_what, make, code) => {
    const predictor = createPredictor(model);
    const input = make();
    const before = tf.memory().numTensors;
    await expect(predictor.predict(input as never)).rejects.toMatchObject({ name: 'CtHemorrhageError', code });
    expect(tf.memory().numTensors).toBe(before);
    if (input instanceof tf.Tensor) input.dispose();
  });

  it('the browser-safe predictor refuses file paths with a pointer to the Node entry', async () => {
    await expect(core.createPredictor(model).predict('slice.png')).rejects.toThrow(/ct-hemorrhage\/node/);
  });
});
