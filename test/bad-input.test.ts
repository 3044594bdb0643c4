import * as tf from '@tensorflow/tfjs-core';
import { Jimp } from 'jimp';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as lib from '../src/node.js';
import { encodePng, useCpu, writeFolder } from './helpers.js';

/**
 * The bad-input matrix: one row per kind of bad input. Each row either fails with a typed
 * CtHemorrhageError of the given code whose message matches (it names the problem and says
 * what to do), or is accepted and checked. Rows never crash with a raw error.
 */
type Expect = { code: lib.CtHemorrhageErrorCode; message: RegExp } | { ok: (result: unknown) => void };
type Row = [name: string, run: () => Promise<unknown> | unknown, expect: Expect];

let root: string;
let model: ReturnType<typeof lib.buildSimpleCnn>;
let modelDir: string;
let png: Uint8Array;
let jpeg: Uint8Array;
let dcm: Uint8Array;
const at = (...parts: string[]) => join(root, ...parts);
const gray = (w: number, h: number) => ({ data: new Uint8Array(w * h).fill(90), width: w, height: h, channels: 1 as const });

beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'cth-bad-'));
  png = await encodePng(gray(32, 32));
  jpeg = new Uint8Array(await new Jimp({ width: 32, height: 32, color: 0x808080ff }).getBuffer('image/jpeg'));
  dcm = lib.writeDicom({ hu: new Float32Array(32 * 32).fill(40), width: 32, height: 32 });
  model = lib.buildSimpleCnn({ inputSize: 24, filters: 4, seed: 1 });
  modelDir = at('model');
  await lib.saveModel(model, modelDir);
});
afterAll(async () => {
  model.dispose();
  await rm(root, { recursive: true, force: true });
});

/** Writes `bytes` to a fresh file under the test folder and returns its path. */
let fileCount = 0;
async function file(name: string, bytes: Uint8Array | string): Promise<string> {
  const dir = at(`f${fileCount++}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, name), bytes);
  return join(dir, name);
}
const decodeFile = async (name: string, bytes: Uint8Array | string, options: lib.DecodeSliceOptions = {}) =>
  lib.decodeSlice(await readFile(await file(name, bytes)), { name, ...options });

/** Index of the first occurrence of `pattern` in `bytes`. */
function find(bytes: Uint8Array, pattern: number[]): number {
  outer: for (let i = 0; i <= bytes.length - pattern.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return i;
  }
  throw new Error(`pattern ${pattern} not found`);
}
const PIXEL_DATA = [0xe0, 0x7f, 0x10, 0x00];
/** The DICOM with its PixelData element's 4-byte length (explicit VR OW) set to `length`. */
function dicomWithPixelLength(length: number, cut?: number): Uint8Array {
  const out = dcm.slice(0, cut ?? dcm.length);
  new DataView(out.buffer).setUint32(find(out, PIXEL_DATA) + 8, length, true);
  return out;
}
/** The DICOM with Rows (0028,0010) and Columns (0028,0011) set. */
function dicomOfSize(rows: number, cols: number): Uint8Array {
  const out = dcm.slice();
  const view = new DataView(out.buffer);
  view.setUint16(find(out, [0x28, 0x00, 0x10, 0x00]) + 8, rows, true);
  view.setUint16(find(out, [0x28, 0x00, 0x11, 0x00]) + 8, cols, true);
  return out;
}
/** A PNG whose IHDR declares `width x height` (valid CRC), followed by a tiny IDAT and IEND. */
function pngDeclaring(width: number, height: number): Uint8Array {
  const out = png.slice();
  const view = new DataView(out.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(out.subarray(12, 29)));
  return out;
}
/** The JPEG with its SOF0 frame header declaring `width x height`. */
function jpegDeclaring(width: number, height: number): Uint8Array {
  const out = jpeg.slice();
  const sof = find(out, [0xff, 0xc0]);
  const view = new DataView(out.buffer);
  view.setUint16(sof + 5, height);
  view.setUint16(sof + 7, width);
  return out;
}

/** A folder with labels.csv `csv` and 32x32 PNGs `names`. */
async function labelled(csv: string, names: string[], extra: Record<string, string | Uint8Array> = {}): Promise<string> {
  const files: Record<string, string | Uint8Array> = { 'labels.csv': csv, ...extra };
  for (const n of names) files[`${n}.png`] = png;
  return writeFolder(root, `d${fileCount++}`, files);
}
const load = async (dir: Promise<string> | string, options: lib.ImageFolderOptions = {}) => lib.loadImageFolder(await dir, options);
const count = (n: number) => (r: unknown) => expect((r as lib.ImageFolder).samples).toHaveLength(n);

/** A model folder saved from `model`, then changed by `edit(modelJson)` (and `weights` when given). */
async function editedModel(edit: (json: Record<string, any>) => void, weights?: Uint8Array): Promise<string> {
  const dir = at(`m${fileCount++}`);
  await lib.saveModel(model, dir);
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  edit(json);
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
  if (weights) await writeFile(join(dir, 'weights.bin'), weights);
  return dir;
}
const images = lib.generatePhantoms({ count: 12, size: 24, seed: 1 });
const fails = (code: lib.CtHemorrhageErrorCode, message: RegExp): Expect => ({ code, message });

const ROWS: Row[] = [
  // Files
  ['a missing file', () => lib.createPredictor(model).predict(at('nope.png')), fails('FILE_NOT_FOUND', /nope\.png/)],
  ['an empty file', () => decodeFile('empty.png', new Uint8Array(0)), fails('DECODE_FAILED', /empty\.png.*(empty|0 bytes)/i)],
  ['a folder where a file should be', async () => lib.createPredictor(model).predict(root), fails('FILE_NOT_FOUND', /could not read|folder|directory/i)],
  ['a text file named .png', () => decodeFile('notes.png', 'hello, not an image'), fails('DECODE_FAILED', /notes\.png/)],
  ['random bytes named .jpg', () => decodeFile('noise.jpg', Uint8Array.from({ length: 500 }, (_, i) => (i * 97) % 251)), fails('DECODE_FAILED', /noise\.jpg/)],
  ['a truncated PNG', () => decodeFile('cut.png', png.slice(0, Math.floor(png.length / 2))), fails('DECODE_FAILED', /cut\.png/)],
  ['a PNG with corrupt image data', () => decodeFile('bad.png', Uint8Array.from(png, (b, i) => (i > 45 && i < png.length - 20 ? b ^ 0x5a : b))), fails('DECODE_FAILED', /bad\.png/)],
  ['a truncated JPEG', () => decodeFile('cut.jpg', jpeg.slice(0, 40)), fails('DECODE_FAILED', /cut\.jpg/)],
  ['a JPEG with a corrupt header', () => decodeFile('bad.jpg', Uint8Array.from(jpeg, (b, i) => (i > 2 && i < 30 ? 0xff : b))), fails('DECODE_FAILED', /bad\.jpg/)],
  ['a truncated DICOM', () => decodeFile('cut.dcm', dcm.slice(0, 300)), fails('DECODE_FAILED', /cut\.dcm/)],
  ['a .dcm that is not DICOM', () => lib.readDicom(new TextEncoder().encode('x'.repeat(200)), { name: 'fake.dcm' }), fails('DECODE_FAILED', /fake\.dcm/)],
  ['a DICOM without pixel data', () => decodeFile('nopixels.dcm', dcm.slice(0, find(dcm, PIXEL_DATA))), fails('DECODE_FAILED', /nopixels\.dcm: it has no PixelData.*Give a complete DICOM/)],
  ['a DICOM whose pixel data length runs past the end (the pixels are all there: read, as pydicom does)', () => decodeFile('long.dcm', dicomWithPixelLength(0x7ffffff0)), { ok: (s) => expect((s as lib.HuImage).hu).toHaveLength(32 * 32) }],
  ['a DICOM whose Rows element lies about its length', () => {
    const out = dcm.slice();
    new DataView(out.buffer).setUint16(find(out, [0x28, 0x00, 0x10, 0x00]) + 6, 0xfff0, true);
    return decodeFile('lying.dcm', out);
  }, fails('DECODE_FAILED', /lying\.dcm/)],
  ['a DICOM with fewer pixel bytes than rows x columns', () => decodeFile('short.dcm', dicomWithPixelLength(100, find(dcm, PIXEL_DATA) + 12 + 100)), fails('DECODE_FAILED', /short\.dcm/)],
  ['a DICOM in an unsupported transfer syntax (RLE)', async () => {
    const rle = new TextEncoder().encode('1.2.840.10008.1.2.5\0');
    const out = dcm.slice();
    const explicit = new TextEncoder().encode('1.2.840.10008.1.2.1\0');
    out.set(rle, find(out, [...explicit]));
    return decodeFile('rle.dcm', out);
  }, fails('UNSUPPORTED_DICOM', /rle\.dcm.*(RLE|1\.2\.840\.10008\.1\.2\.5)/)],
  ['a 1x1 PNG', async () => lib.createPredictor(model).predict(await decodeFile('one.png', await encodePng(gray(1, 1)))), { ok: (p) => expect((p as lib.Prediction).probability).toBeGreaterThanOrEqual(0) }],
  ['a 1x1 DICOM', () => decodeFile('one.dcm', lib.writeDicom({ hu: [40], width: 1, height: 1 })), { ok: (s) => expect((s as lib.HuImage).hu).toHaveLength(1) }],
  ['a PNG declaring 100000 x 100000 pixels (decompression bomb)', () => decodeFile('bomb.png', pngDeclaring(100000, 100000)), fails('BAD_INPUT', /bomb\.png.*100000 x 100000.*maxPixels/)],
  ['a JPEG declaring 65535 x 65535 pixels', () => decodeFile('bomb.jpg', jpegDeclaring(65535, 65535)), fails('BAD_INPUT', /65535 x 65535.*maxPixels/)],
  ['a DICOM declaring 65535 x 65535 pixels', () => decodeFile('bomb.dcm', dicomOfSize(65535, 65535)), fails('BAD_INPUT', /65535 x 65535.*maxPixels/)],
  ['a 32x32 PNG under maxPixels 100 (the limit is an option)', () => decodeFile('small.png', png, { maxPixels: 100 }), fails('BAD_INPUT', /1,024 pixels.*limit of 100/)],
  // Label tables
  ['labels.csv with a byte-order mark', () => load(labelled('\ufeffid,hemorrhage\na,1\nb,0\n', ['a', 'b'])), { ok: count(2) }],
  ['labels.csv with CRLF line ends', () => load(labelled('id,hemorrhage\r\na,1\r\nb,0\r\n', ['a', 'b'])), { ok: count(2) }],
  ['labels.csv with extra spaces', () => load(labelled(' id , hemorrhage \n a , 1 \nb,   0\n', ['a', 'b'])), { ok: count(2) }],
  ['labels.csv with a row missing its id', () => load(labelled('id,hemorrhage\n,1\nb,0\n', ['b'])), fails('BAD_INPUT', /line 2.*needs a key and a label/)],
  ['labels.csv listing an id twice', () => load(labelled('id,hemorrhage\na,1\na,0\n', ['a'])), fails('BAD_INPUT', /"a" twice \(lines 2 and 3\); keep one row/)],
  ['labels.csv with a label 2', () => load(labelled('id,hemorrhage\na,2\n', ['a'])), fails('BAD_INPUT', /line 2.*label 0\/1/)],
  ['labels.csv with a label "maybe"', () => load(labelled('id,hemorrhage\na,maybe\n', ['a'])), fails('BAD_INPUT', /line 2.*label 0\/1/)],
  ['labels.csv with only one column', () => load(labelled('id\na\n', ['a'])), fails('BAD_INPUT', /header with a key column and a label column/)],
  ['ids with no image (reported, the rest loads)', () => load(labelled('id,hemorrhage\na,1\nb,0\nghost,1\n', ['a', 'b'])), {
    ok: (r) => {
      const f = r as lib.ImageFolder;
      expect(f.samples).toHaveLength(2);
      expect(f.skipped.map((s) => [s.file, s.error.code])).toEqual([['ghost', 'FILE_NOT_FOUND']]);
    },
  }],
  ['ids with no image, strict', () => load(labelled('id,hemorrhage\na,1\nghost,0\n', ['a']), { strict: true }), fails('FILE_NOT_FOUND', /ghost/)],
  ['images with no id (listed as unlabelled)', () => load(labelled('id,hemorrhage\na,1\n', ['a', 'stray'])), {
    ok: (r) => expect([(r as lib.ImageFolder).samples.length, (r as lib.ImageFolder).unlabelled]).toEqual([1, ['stray.png']]),
  }],
  ['corrupt files among good ones (reported, nothing lost)', () =>
    load(labelled('id,hemorrhage\na,1\nb,0\nc,1\n', ['a', 'b'], { 'c.png': 'garbage' })), {
    ok: (r) => {
      const f = r as lib.ImageFolder;
      expect(f.samples.map((s) => s.id)).toEqual(['a', 'b']);
      expect(f.skipped.map((s) => s.error.code)).toEqual(['DECODE_FAILED']);
    },
  }],
  ['an empty folder', async () => load(await writeFolder(root, `e${fileCount++}`, { '.keep': '' })), fails('BAD_INPUT', /no labels\.csv and no class sub-folders/)],
  ['labels.csv with no images at all', () => load(labelled('id,hemorrhage\na,1\n', [])), fails('EMPTY_DATASET', /No labelled images/)],
  ['a data source that does not exist', () => load(at('no-such-data')), fails('FILE_NOT_FOUND', /does not exist/)],
  // Splits and data
  ['a validation split that leaves a class empty', () => lib.train(model, images.map((s, i) => ({ ...s, label: i === 0 ? 1 : 0 })), { validationSplit: 0.25 }), fails('EMPTY_DATASET', /validation split of 0.25 leaves the (training|validation) side.*no hemorrhage \(1\) images.*needs both classes/)],
  ['training data of one class only', () => lib.train(model, images.map((s) => ({ ...s, label: 0 as const })), { epochs: 1 }), fails('EMPTY_DATASET', /training data has no hemorrhage \(1\) images \(12 normal, 0 hemorrhage\)/)],
  ['more folds than images of a class', () => lib.crossValidate(() => lib.buildSimpleCnn({ inputSize: 24 }), images.map((s, i) => ({ ...s, label: i < 2 ? 1 : 0 })), { folds: 3 }), fails('BAD_INPUT', /has 2 groups, too few for 3 folds.*use k <= 2/)],
  ['an empty image list', () => lib.train(model, []), fails('EMPTY_DATASET', /no|empty/i)],
  ['labels that are not 0/1 in memory', () => lib.train(model, images.map((s) => ({ ...s, label: 3 as unknown as 0 }))), fails('BAD_INPUT', /label/i)],
  // Options out of range
  ['epochs 0', () => lib.train(model, images, { epochs: 0 }), fails('BAD_INPUT', /epochs must be an integer >= 1/)],
  ['batch size -1', () => lib.train(model, images, { batchSize: -1 }), fails('BAD_INPUT', /batchSize/)],
  ['learning rate NaN', () => lib.train(model, images, { learningRate: Number.NaN }), fails('BAD_INPUT', /learningRate/)],
  ['validation split 1.5', () => lib.train(model, images, { validationSplit: 1.5 }), fails('BAD_INPUT', /validationSplit/)],
  ['an input size of 3 pixels', () => lib.buildLargerCnn({ inputSize: 3 }), fails('BAD_INPUT', /inputSize/)],
  ['a rotation of 400 degrees', () => lib.validateAugmentOptions({ rotationRange: 400 }), fails('BAD_INPUT', /rotationRange/)],
  ['cross-validation with 1 fold', () => lib.crossValidate(() => lib.buildSimpleCnn({ inputSize: 24 }), images, { folds: 1 }), fails('BAD_INPUT', /folds/)],
  ['a window of width 0', () => lib.parseWindowSpec('40/0'), fails('BAD_INPUT', /width/)],
  ['Grad-CAM of a layer that does not exist', () => lib.gradCam(model, images[0]!.image, { layer: 'nope' }), fails('BAD_INPUT', /nope/)],
  ['a tensor of the wrong rank to predict', async () => {
    const x = tf.zeros([1, 2, 24, 24, 1]);
    try {
      return await lib.createPredictor(model).predict(x);
    } finally {
      x.dispose();
    }
  }, fails('SHAPE_MISMATCH', /rank|shape/i)],
  // Model folders
  ['a model folder that does not exist', () => lib.loadModel(at('no-model')), fails('FILE_NOT_FOUND', /model\.json is missing.*Point at a folder/)],
  ['a model folder missing its weights', async () => {
    const dir = await editedModel(() => undefined);
    await rm(join(dir, 'weights.bin'));
    return lib.loadModel(dir);
  }, fails('MODEL_FORMAT', /lacks the weight file "weights\.bin".*Copy the whole folder/)],
  ['weights of the wrong shape', async () => lib.loadModel(await editedModel((j) => (j.weightsManifest[0].weights[0].shape = [1, 1, 1, 1]))), fails('MODEL_FORMAT', /bytes but model\.json describes/)],
  ['weights damaged after saving', async () => {
    const dir = await editedModel(() => undefined);
    const w = await readFile(join(dir, 'weights.bin'));
    w[7] = (w[7] as number) ^ 0x10;
    await writeFile(join(dir, 'weights.bin'), w);
    return lib.loadModel(dir);
  }, fails('MODEL_FORMAT', /SHA-256.*copy the folder again/)],
  ['a model from an incompatible library version', async () => lib.loadModel(await editedModel((j) => (j.userDefinedMetadata.ctHemorrhage.format = 99))), fails('MODEL_FORMAT', /format/)],
  ['a model.json that is not JSON', async () => {
    const dir = await editedModel(() => undefined);
    await writeFile(join(dir, 'model.json'), '{"modelTopology": ');
    return lib.loadModel(dir);
  }, fails('MODEL_FORMAT', /not valid JSON/)],
  ['a weight path that leaves the folder (../)', async () => lib.loadModel(await editedModel((j) => (j.weightsManifest[0].paths = ['../model/weights.bin']))), fails('MODEL_FORMAT', /outside the model folder.*refusing/)],
  ['an absolute weight path', async () => lib.loadModel(await editedModel((j) => (j.weightsManifest[0].paths = [join(modelDir, 'weights.bin')]))), fails('MODEL_FORMAT', /outside the model folder/)],
];

describe('bad-input matrix', () => {
  it('has at least 40 rows', () => expect(ROWS.length).toBeGreaterThanOrEqual(40));

  it.each(ROWS)('%s', async (_name, run, expected) => {
    const before = tf.memory().numTensors;
    let result: unknown;
    let error: unknown;
    try {
      const value = run();
      result = await value;
    } catch (e) {
      error = e;
    }
    if ('ok' in expected) {
      expect(error).toBeUndefined();
      expected.ok(result);
    } else {
      expect(error, 'a typed error').toBeInstanceOf(lib.CtHemorrhageError);
      expect((error as lib.CtHemorrhageError).code).toBe(expected.code);
      expect((error as Error).message).toMatch(expected.message);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
