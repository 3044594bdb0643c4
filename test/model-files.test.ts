import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtemp, readFile, readdir, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLargerCnn,
  createPredictor,
  CtHemorrhageError,
  fileSystemIO,
  generatePhantoms,
  getModelInfo,
  loadModel,
  loadPredictor,
  saveModel,
  setModelInfo,
  train,
} from '../src/node.js';
import { useCpu } from './helpers.js';

let root: string;
beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'cth-model-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const images = generatePhantoms({ count: 10, size: 48, seed: 4 });

async function trainedModel(threshold = 0.5) {
  const model = buildLargerCnn({ inputSize: 32, filters: 4, threshold });
  await train(model, images, { epochs: 1, batchSize: 5 });
  return model;
}

describe('model folders', () => {
  it('a save-then-load round trip predicts exactly what the in-memory model predicted', async () => {
    const model = await trainedModel();
    const dir = join(root, 'roundtrip');
    await saveModel(model, dir);
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const inMemory = await createPredictor(model).predictBatch(images.map((s) => s.image));
    const loaded = await loadPredictor(dir);
    const fromDisk = await loaded.predictBatch(images.map((s) => s.image));
    expect(fromDisk).toEqual(inMemory);
    expect(loaded.info).toEqual(getModelInfo(model));
    loaded.dispose();
    model.dispose();
  });

  it('loading reads the preprocessing from the saved folder', async () => {
    const model = await trainedModel();
    const dir = join(root, 'edited');
    await saveModel(model, dir);
    // Change only the stored preprocessing (scale and threshold) in model.json.
    const jsonPath = join(dir, 'model.json');
    const json = JSON.parse(await readFile(jsonPath, 'utf8'));
    json.userDefinedMetadata.ctHemorrhage.preprocessing.scale = 0.5 / 255;
    json.userDefinedMetadata.ctHemorrhage.preprocessing.threshold = 0.123;
    await writeFile(jsonPath, JSON.stringify(json));
    // The same change made in memory is the reference.
    const info = getModelInfo(model);
    setModelInfo(model, { ...info, preprocessing: { ...info.preprocessing, scale: 0.5 / 255, threshold: 0.123 } });
    const expected = await createPredictor(model).predictBatch(images.map((s) => s.image));
    const loaded = await loadPredictor(dir);
    const got = await loaded.predictBatch(images.map((s) => s.image));
    expect(got).toEqual(expected);
    expect(got[0]?.threshold).toBe(0.123);
    loaded.dispose();
    model.dispose();
  });

  it("a model built with resize 'crop' predicts a wide slice as its centre square, also after save and load", async () => {
    const model = buildLargerCnn({ inputSize: 32, filters: 4, seed: 2, resize: 'crop' });
    await train(model, images, { epochs: 1, batchSize: 5 });
    const dir = join(root, 'crop');
    await saveModel(model, dir);
    const loaded = await loadPredictor(dir);
    expect(loaded.info.preprocessing.resize).toBe('crop');
    // A 48x48 phantom with 16 columns of noise added either side: crop must drop them again.
    const square = images[1]!.image as { data: Uint8Array; width: number; height: number };
    const width = square.width + 32;
    const wide = new Uint8Array(width * square.height);
    for (let y = 0; y < square.height; y++) {
      for (let x = 0; x < width; x++) {
        const inside = x >= 16 && x < 16 + square.width;
        wide[y * width + x] = inside ? (square.data[y * square.width + x - 16] as number) : (x * 97 + y * 31) % 256;
      }
    }
    const [fromSquare, fromWide] = await loaded.predictBatch([square, { data: wide, width, height: square.height }]);
    expect(fromWide!.probability).toBeCloseTo(fromSquare!.probability, 6);
    // The same weights with resize 'stretch' see the noise.
    setModelInfo(model, { ...getModelInfo(model), preprocessing: { ...getModelInfo(model).preprocessing, resize: 'stretch' } });
    const stretched = createPredictor(model);
    const [stretchedWide] = await stretched.predictBatch([{ data: wide, width, height: square.height }]);
    expect(stretchedWide!.probability).not.toBeCloseTo(fromSquare!.probability, 6);
    loaded.dispose();
    model.dispose();
  });

  it('saved folders load with plain tf.loadLayersModel (as a browser would)', async () => {
    const model = await trainedModel();
    const dir = join(root, 'plain');
    await saveModel(model, dir);
    const plain = await tfl.loadLayersModel(fileSystemIO(join(dir, 'model.json')));
    const x = tf.randomUniform([2, 32, 32, 1]);
    expect(Array.from((plain.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
    );
    tf.disposeVariables();
    plain.dispose();
    model.dispose();
  });

  it('overwriting keeps one complete model and leaves no temporary folder', async () => {
    const a = await trainedModel(0.3);
    const b = await trainedModel(0.7);
    const dir = join(root, 'overwrite');
    await saveModel(a, dir);
    await saveModel(b, dir);
    const loaded = await loadModel(dir);
    expect(getModelInfo(loaded).preprocessing.threshold).toBe(0.7);
    expect((await readdir(root)).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);
    [a, b, loaded].forEach((m) => m.dispose());
  });

  it('refuses to save into a folder that holds other files', async () => {
    const model = buildLargerCnn({ inputSize: 32, filters: 4 });
    const dir = join(root, 'occupied');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'keep me');
    await expect(saveModel(model, dir)).rejects.toThrow(/holds other files/);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
    model.dispose();
  });

  it.each([
    ['../outside.bin', /outside the model folder/],
    ['/etc/passwd', /outside the model folder/],
    ['missing.bin', /lacks the weight file/],
  ])('refuses weight path %s', async (path, message) => {
    const model = buildLargerCnn({ inputSize: 32, filters: 4 });
    const dir = join(root, `weights-${Math.random().toString(36).slice(2)}`);
    await saveModel(model, dir);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = [path];
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
    const error = await loadModel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtHemorrhageError);
    expect((error as CtHemorrhageError).code).toBe('MODEL_FORMAT');
    expect((error as Error).message).toMatch(message);
    model.dispose();
  });

  it('refuses a weight file that is a link leading outside the folder', async () => {
    const model = buildLargerCnn({ inputSize: 32, filters: 4 });
    const dir = join(root, 'symlinked');
    await saveModel(model, dir);
    const outside = join(root, 'outside.bin');
    await writeFile(outside, await readFile(join(dir, 'weights.bin')));
    await rm(join(dir, 'weights.bin'));
    await symlink(outside, join(dir, 'weights.bin'));
    await expect(loadModel(dir)).rejects.toThrow(/link that leads outside/);
    model.dispose();
  });

  it.each([
    ['a missing folder', async () => join(root, 'nope'), 'FILE_NOT_FOUND'],
    ['broken JSON', async (dir: string) => writeFile(join(dir, 'model.json'), '{oops'), 'MODEL_FORMAT'],
    [
      'an unknown metadata format',
      async (dir: string) => {
        const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
        json.userDefinedMetadata.ctHemorrhage.format = 99;
        await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      },
      'MODEL_FORMAT',
    ],
    [
      'weights damaged after saving (one flipped bit; the SHA-256 in model.json catches it)',
      async (dir: string) => {
        const bytes = await readFile(join(dir, 'weights.bin'));
        bytes[100] = (bytes[100] as number) ^ 1;
        await writeFile(join(dir, 'weights.bin'), bytes);
      },
      'MODEL_FORMAT',
    ],
    [
      'truncated weights',
      async (dir: string) => writeFile(join(dir, 'weights.bin'), new Uint8Array(10)),
      'MODEL_FORMAT',
    ],
  ])('loading %s gives %s', async (_what, damage, code) => {
    const model = buildLargerCnn({ inputSize: 32, filters: 4 });
    const dir = join(root, `damaged-${Math.random().toString(36).slice(2)}`);
    await saveModel(model, dir);
    const other = await damage(dir);
    const before = tf.memory().numTensors;
    const error = await loadModel(typeof other === 'string' ? other : dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtHemorrhageError);
    expect((error as CtHemorrhageError).code).toBe(code);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
