import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSliceDataset, decodeSlice, DEFAULT_PREPROCESSING, imageToTensor, listDataset, loadImageFolder, writeDicom } from '../src/node.js';
import { encodePng, useCpu, writeFolder } from './helpers.js';

let root: string;
beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'cth-size-limit-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const gray = (width: number, height: number, value = 100) => ({ data: new Uint8Array(width * height).fill(value), width, height, channels: 1 });

describe('maxPixels in the dataset loaders', () => {
  it('loadImageFolder and createSliceDataset skip images over maxPixels as BAD_INPUT and read them by default', async () => {
    const dir = await writeFolder(root, 'limit', {
      'normal/small.png': await encodePng(gray(8, 8)),
      'hemorrhage/big.png': await encodePng(gray(64, 64)),
    });
    const limited = await loadImageFolder(dir, { maxPixels: 100 });
    expect(limited.samples.map((s) => s.id)).toEqual(['normal/small']);
    expect(limited.skipped[0]?.error).toMatchObject({ code: 'BAD_INPUT', details: { option: 'maxPixels' } });
    expect(limited.skipped[0]?.error.message).toMatch(/big\.png.*64 x 64 = 4,096 pixels, more than the limit of 100/);
    await expect(loadImageFolder(dir, { maxPixels: 100, strict: true })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect((await loadImageFolder(dir)).samples).toHaveLength(2);

    const data = createSliceDataset(await listDataset(dir), { preprocessing: DEFAULT_PREPROCESSING, maxPixels: 100, shuffle: false });
    const set = await data.toTensorData();
    expect(set.xs.shape[0]).toBe(1);
    expect(data.skipped[0]?.error.code).toBe('BAD_INPUT');
    tf.dispose([set.xs, set.ys]);
  });
});

describe('1 x 1 slices', () => {
  it('decode and resize to the model input (PNG and DICOM)', async () => {
    const png = await decodeSlice(await encodePng(gray(1, 1, 200)), { name: 'dot.png' });
    const t = imageToTensor(png, DEFAULT_PREPROCESSING, 'dot.png');
    expect(t.shape).toEqual([128, 128, 1]);
    const values = await t.data();
    expect(Math.min(...values)).toBeCloseTo(200 / 255, 5);
    expect(Math.max(...values)).toBeCloseTo(200 / 255, 5);
    t.dispose();
    const dcm = await decodeSlice(writeDicom({ hu: Float32Array.of(40), width: 1, height: 1, window: { level: 40, width: 80 } }));
    expect(dcm).toMatchObject({ width: 1, height: 1 });
    const hu = imageToTensor(dcm, { ...DEFAULT_PREPROCESSING, windows: [{ level: 40, width: 80 }] }, 'dot.dcm');
    expect(hu.shape).toEqual([128, 128, 1]);
    hu.dispose();
  });
});
