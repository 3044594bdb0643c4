import * as tf from '@tensorflow/tfjs-core';
import { encode } from 'fast-png';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSimpleCnn,
  createSliceDataset,
  CtHemorrhageError,
  decodeSlice,
  formatSkipped,
  generatePhantoms,
  getModelInfo,
  listDataset,
  loadImageFolder,
  train,
  writeDicom,
  writePhantomDataset,
} from '../src/node.js';
import { readdir } from 'node:fs/promises';
import { encodePng, useCpu, writeFolder } from './helpers.js';

let root: string;
beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'cth-datasets-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const slices = generatePhantoms({ count: 8, size: 24, seed: 3 });

const folder = (name: string, files: Record<string, string | Uint8Array>) => writeFolder(root, name, files);

/** A small DICOM slice whose HU encode `value`, for patient `patient`. */
function dicom(value: number, patient: string, sop: string): Uint8Array {
  return writeDicom(
    { hu: new Float32Array(16 * 16).fill(value), width: 16, height: 16 },
    { patientId: patient, sopInstanceUid: sop, windows: [{ level: 40, width: 80 }] },
  );
}

/** Every kind of bad file, with the error code its decode must give. */
async function badFiles(): Promise<[string, Uint8Array, string][]> {
  const png = await encodePng(slices[0]!.image);
  const good = dicom(40, 'p', '1.2.3.4');
  // RLE Lossless has the same length as explicit VR little endian: patch the transfer syntax UID.
  const rle = good.slice();
  rle.set(new TextEncoder().encode('1.2.840.10008.1.2.5'), Buffer.from(rle).indexOf('1.2.840.10008.1.2.1'));
  return [
    ['zero-byte.png', new Uint8Array(0), 'DECODE_FAILED'],
    ['truncated.png', png.slice(0, Math.floor(png.length / 2)), 'DECODE_FAILED'],
    ['corrupt.png', Uint8Array.from({ length: 400 }, (_, i) => (i * 37) % 256), 'DECODE_FAILED'],
    ['notes.jpg', new TextEncoder().encode('these are notes, not an image'), 'DECODE_FAILED'],
    ['truncated.dcm', good.slice(0, good.length - 200), 'DECODE_FAILED'],
    ['not-dicom.dcm', new TextEncoder().encode('x'.repeat(300)), 'DECODE_FAILED'],
    ['compressed.dcm', rle, 'UNSUPPORTED_DICOM'],
  ];
}

describe('dataset layouts', () => {
  it('reads a CSV manifest of path,label,group with paths relative to it', async () => {
    const dir = await folder('manifest', {
      'a/x.png': await encodePng(slices[0]!.image),
      'b/y.png': await encodePng(slices[1]!.image),
      'list.csv': 'path,label,group\na/x.png,1,p1\nb/y.png,normal,p2\n',
    });
    const listing = await listDataset(join(dir, 'list.csv'));
    expect(listing.layout).toBe('manifest');
    expect(listing.entries.map((e) => [e.id, e.label, e.group])).toEqual([
      ['a/x.png', 1, 'p1'],
      ['b/y.png', 0, 'p2'],
    ]);
    const loaded = await loadImageFolder(join(dir, 'list.csv'));
    expect(loaded.samples).toHaveLength(2);
  });

  it('searches DICOM folders recursively, labels by file name or SOPInstanceUID, groups by PatientID', async () => {
    const dir = await folder('dicom', {
      'scan1/IM1.dcm': dicom(60, 'patient-A', '1.2.826.0.1.1'),
      'scan1/IM2.dcm': dicom(30, 'patient-A', '1.2.826.0.1.2'),
      'scan2/deeper/IM3': dicom(20, 'patient-B', '1.2.826.0.1.3'),
      'labels.csv': 'file,label\nIM1.dcm,1\n1.2.826.0.1.2,0\nIM3,0\n',
    });
    const listing = await listDataset(dir);
    expect(listing.layout).toBe('dicom-folder');
    expect(listing.entries.map((e) => [e.id, e.label, e.group])).toEqual([
      ['scan1/IM1', 1, 'patient:patient-A'],
      ['scan1/IM2', 0, 'patient:patient-A'],
      ['scan2/deeper/IM3', 0, 'patient:patient-B'],
    ]);
    expect((await listDataset(dir, { groupBy: 'none' })).entries.every((e) => e.group === undefined)).toBe(true);
    const { samples } = await loadImageFolder(dir);
    expect(samples.map((s) => ('hu' in s.image ? s.image.hu[0] : NaN))).toEqual([60, 30, 20]);
  });

  it('reads class folders recursively and 16-bit HU PNGs with an offset', async () => {
    const hu = (v: number) => encode({ width: 2, height: 2, data: new Uint16Array(4).fill(v + 1024), depth: 16, channels: 1 });
    const dir = await folder('classes', { 'normal/s1/a.png': hu(30), 'hemorrhage/b.png': hu(70) });
    const { samples, layout } = await loadImageFolder(dir, { huOffset: 1024 });
    expect(layout).toBe('class-folders');
    expect(samples.map((s) => [s.id, s.label, 'hu' in s.image ? s.image.hu[0] : NaN])).toEqual([
      ['normal/s1/a', 0, 30],
      ['hemorrhage/b', 1, 70],
    ]);
  });
});

describe('bad files', () => {
  it('each kind gets a typed error naming the file', async () => {
    for (const [name, bytes, code] of await badFiles()) {
      const error = await decodeSlice(bytes, { name }).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(CtHemorrhageError);
      expect((error as CtHemorrhageError).code, name).toBe(code);
      expect((error as CtHemorrhageError).message, name).toContain(name);
    }
  });

  it('a mixed folder yields the good images and reports every bad file, or throws in strict mode', async () => {
    const bad = await badFiles();
    const files: Record<string, string | Uint8Array> = {};
    const rows = ['id,label'];
    for (const [name, bytes] of bad) {
      files[`in/${name}`] = bytes;
      rows.push(`in/${name},1`);
    }
    for (let i = 0; i < 3; i++) {
      files[`in/good${i}.png`] = await encodePng(slices[i]!.image);
      rows.push(`in/good${i}.png,${i % 2}`);
    }
    rows.push('in/absent.png,0');
    files['list.csv'] = rows.join('\n');
    const dir = await folder('mixed', files);
    const loaded = await loadImageFolder(join(dir, 'list.csv'));
    expect(loaded.samples.map((s) => s.id)).toEqual(['in/good0.png', 'in/good1.png', 'in/good2.png']);
    const report = loaded.skipped.map((s) => [s.file.split(/[\\/]/).pop(), s.error.code]);
    expect(report).toEqual(
      expect.arrayContaining([...bad.map(([name, , code]) => [name, code]), ['absent.png', 'FILE_NOT_FOUND']]),
    );
    expect(report).toHaveLength(bad.length + 1);
    expect(formatSkipped(loaded.skipped, 11)).toMatch(/^Skipped 8 of 11 file\(s\):\n {2}\S*zero-byte\.png: DECODE_FAILED/);
    await expect(loadImageFolder(join(dir, 'list.csv'), { strict: true })).rejects.toBeInstanceOf(CtHemorrhageError);
  });
});

describe('streaming slice dataset', () => {
  async function phantomFolder(name: string, count: number): Promise<string> {
    const files: Record<string, string | Uint8Array> = {};
    const rows = ['path,label,group'];
    const set = generatePhantoms({ count, size: 24, seed: 11 });
    for (const [i, s] of set.entries()) {
      files[`${i}.png`] = await encodePng(s.image);
      rows.push(`${i}.png,${s.label},g${Math.floor(i / 2)}`);
    }
    files['list.csv'] = rows.join('\n');
    return join(await folder(name, files), 'list.csv');
  }

  it('streams seeded shuffled batches into model.fitDataset and leaves no tensor behind', async () => {
    const listing = await listDataset(await phantomFolder('stream', 10));
    const model = buildSimpleCnn({ inputSize: 24, filters: 2, convBlocks: 1, denseUnits: 2 });
    const spec = getModelInfo(model).preprocessing;
    const order = async (seed: number) => {
      const data = createSliceDataset(listing, { preprocessing: spec, batchSize: 4, seed, prefetch: 0 });
      const passes: number[][] = [];
      for (let p = 0; p < 2; p++) {
        const labels: number[] = [];
        await data.dataset.forEachAsync((b) => {
          expect(b.xs.shape.slice(1)).toEqual([24, 24, 1]);
          labels.push(...(b.ys.dataSync() as Float32Array));
          tf.dispose([b.xs, b.ys]);
        });
        passes.push(labels);
      }
      return passes;
    };
    const before = tf.memory().numTensors;
    const a = await order(5);
    expect(a[0]).toHaveLength(10);
    expect(await order(5)).toEqual(a); // same seed, same order on every pass
    expect(tf.memory().numTensors).toBe(before);
    const data = createSliceDataset(listing, { preprocessing: spec, batchSize: 4, seed: 5, cache: true });
    await model.fitDataset(data.dataset, { epochs: 1, verbose: 0 }); // creates the optimizer's slots
    const afterWarmUp = tf.memory().numTensors;
    const history = await model.fitDataset(data.dataset, { epochs: 2, verbose: 0 });
    expect(history.history.loss).toHaveLength(2);
    expect(data.cachedCount).toBe(10);
    expect(tf.memory().numTensors).toBe(afterWarmUp);
    model.dispose();
  });

  it('reports bad files once and gives tensor data with groups to the trainer', async () => {
    const manifest = await phantomFolder('stream-bad', 8);
    await writeFile(join(manifest, '..', '3.png'), 'broken');
    const listing = await listDataset(manifest);
    const model = buildSimpleCnn({ inputSize: 24, filters: 2, convBlocks: 1, denseUnits: 2 });
    const met: string[] = [];
    const data = createSliceDataset(listing, { preprocessing: getModelInfo(model).preprocessing, onSkip: (s) => met.push(s.file) });
    const before = tf.memory().numTensors;
    const set = await data.toTensorData();
    expect(set.xs.shape).toEqual([7, 24, 24, 1]);
    expect(set.groups).toHaveLength(7);
    await data.dataset.forEachAsync((b) => tf.dispose([b.xs, b.ys]));
    expect(met).toHaveLength(1);
    expect(data.skipped[0]?.error.code).toBe('DECODE_FAILED');
    const history = await train(model, set, { epochs: 1, batchSize: 4, validationSplit: 0.25, patience: 0 });
    expect(history.trainCount + history.validationCount).toBe(7);
    tf.dispose([set.xs, set.ys]);
    expect(tf.memory().numTensors).toBe(before);
    const strict = createSliceDataset(listing, { preprocessing: getModelInfo(model).preprocessing, strict: true, shuffle: false });
    await expect(strict.toTensorData()).rejects.toMatchObject({ code: 'DECODE_FAILED' });
    model.dispose();
  });
});

describe('writePhantomDataset', () => {
  it.each([
    ['dicom', {}, 'dicom-folder'],
    ['hu-png', { huOffset: 1024 }, 'labels-csv'],
    ['png', {}, 'labels-csv'],
  ] as const)('writes %s phantoms that the loader reads back with their labels', async (format, load, layout) => {
    const dir = join(root, `phantoms-${format}`);
    const written = await writePhantomDataset(dir, { count: 6, size: 32, format, seed: 4 });
    expect((await readdir(join(dir, 'masks'))).length).toBe(6);
    const folder = await loadImageFolder(dir, load);
    expect(folder.layout).toBe(layout);
    expect(folder.skipped).toEqual([]);
    expect(folder.samples.map((s) => s.label)).toEqual(written.phantoms.map((p) => p.label));
    const image = folder.samples[0]!.image;
    if (format === 'png') {
      expect('data' in image && image.width).toBe(32);
    } else {
      const { generateCtPhantoms } = await import('../src/phantom/index.js');
      const original = generateCtPhantoms({ count: 6, size: 32, seed: 4 })[0]!;
      const hu = 'hu' in image ? image.hu : new Float32Array();
      expect(hu).toHaveLength(32 * 32);
      hu.forEach((v, i) => expect(Math.abs(v - (original.hu[i] as number))).toBeLessThanOrEqual(0.5));
    }
  });
});
