import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtHemorrhageError, generatePhantoms, loadImageFolder } from '../src/node.js';
import { encodePng, useCpu, writeFolder } from './helpers.js';

let root: string;
beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'cth-folder-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const slices = generatePhantoms({ count: 6, size: 20, seed: 1 });

const folder = (name: string, files: Record<string, string | Uint8Array>) => writeFolder(root, name, files);

describe('loadImageFolder', () => {
  it('reads the Kaggle layout: "id, hemorrhage" header, unpadded ids, groups.csv', async () => {
    const files: Record<string, string | Uint8Array> = {
      'labels.csv': 'id, hemorrhage\n0,1\n1,0\n2,1\n',
      'groups.csv': 'id,group\n000,a\n001,a\n002,b\n',
    };
    for (let i = 0; i < 3; i++) files[`00${i}.png`] = await encodePng(slices[i]!.image);
    const dir = await folder('kaggle', files);
    const result = await loadImageFolder(dir);
    expect(result.layout).toBe('labels-csv');
    expect(result.samples.map((s) => [s.id, s.label, s.group])).toEqual([
      ['000', 1, 'a'],
      ['001', 0, 'a'],
      ['002', 1, 'b'],
    ]);
    expect(result.samples[0]!.image).toMatchObject({ width: 20, height: 20, channels: 1 });
    expect(result.skipped).toEqual([]);
  });

  it('reads one sub-folder per class and reports a corrupt image without stopping', async () => {
    const dir = await folder('classes', {
      'normal/a.png': await encodePng(slices[0]!.image),
      'normal/broken.png': new Uint8Array([1, 2, 3]),
      'hemorrhage/b.png': await encodePng(slices[1]!.image),
      'hemorrhage/notes.txt': 'not an image, ignored',
    });
    const result = await loadImageFolder(dir);
    expect(result.layout).toBe('class-folders');
    expect(result.samples.map((s) => [s.id, s.label])).toEqual([
      ['normal/a', 0],
      ['hemorrhage/b', 1],
    ]);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]!.file).toMatch(/broken\.png$/);
    expect(result.skipped[0]!.error.code).toBe('DECODE_FAILED');
    await expect(loadImageFolder(dir, { strict: true })).rejects.toMatchObject({
      code: 'DECODE_FAILED',
      details: { file: expect.stringMatching(/broken\.png$/) },
    });
  });

  it.each([
    ['no folder', null, 'FILE_NOT_FOUND', /does not exist/],
    ['no labels and no class folders', { 'x/a.png': 'x' }, 'BAD_INPUT', /no labels.csv and no class sub-folders/],
    ['a label of 2', { 'labels.csv': 'id,h\n0,2\n', '0.png': 'x' }, 'BAD_INPUT', /label 0\/1/],
    ['a duplicate id', { 'labels.csv': 'id,h\n0,1\n000,0\n' }, 'BAD_INPUT', /twice/],
    ['only ids with no image', { 'labels.csv': 'id,h\n5,1\n' }, 'EMPTY_DATASET', /No labelled images/],
    ['only unreadable images', { 'labels.csv': 'id,h\n0,1\n', '0.png': 'garbage' }, 'EMPTY_DATASET', /could be read/],
  ])('%s gives %s', async (name, files, code, message) => {
    const dir = files === null ? join(root, 'absent') : await folder(name.replace(/\W/g, '-'), files);
    const error = await loadImageFolder(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtHemorrhageError);
    expect((error as CtHemorrhageError).code).toBe(code);
    expect((error as Error).message).toMatch(message);
  });
});
