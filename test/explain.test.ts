import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSimpleCnn, createPredictor, generateCtPhantoms, generatePhantoms, heatmapOverlay, writeDicom } from '../src/index.js';
import { saveModel } from '../src/node/io/index.js';
import { encodePng, useCpu, runCli } from './helpers.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const cli = runCli;

const SIZE = 24;
let root: string;
let modelDir: string;
let huModelDir: string;
let png: string;
let dicom: string;
let probability: number;
/** Width of an overlay of a SIZE x SIZE input with its legend. */
const overlayWidth = () => heatmapOverlay(new Float32Array(SIZE * SIZE), new Float32Array(SIZE * SIZE), SIZE, SIZE).width;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run "npm run build" first (npm test does).');
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'cth-explain-'));
  const model = buildSimpleCnn({ inputSize: SIZE, convBlocks: 2, seed: 3 });
  modelDir = join(root, 'model');
  await saveModel(model, modelDir);
  const [slice] = generatePhantoms({ count: 1, size: 40, seed: 4, positiveFraction: 1 });
  png = join(root, 'slice.png');
  await writeFile(png, await encodePng(slice!.image));
  probability = (await createPredictor(model).predict(await readFile(png))).probability;
  model.dispose();

  const huModel = buildSimpleCnn({ inputSize: SIZE, convBlocks: 2, seed: 3, windows: ['brain', 'subdural', 'soft-tissue'] });
  huModelDir = join(root, 'hu-model');
  await saveModel(huModel, huModelDir);
  huModel.dispose();
  const [ct] = generateCtPhantoms({ count: 1, size: 32, seed: 2, positiveFraction: 1 });
  dicom = join(root, 'slice.dcm');
  await writeFile(dicom, writeDicom(ct!, { windows: [{ level: 40, width: 80 }] }));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('ct-hemorrhage explain', () => {
  it('--help lists its options', async () => {
    const { code, stdout } = await cli('explain', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: ct-hemorrhage explain --model <dir> --image <file> --out <png>');
    for (const flag of ['--layer <name>', '--class <hemorrhage|normal>', '--backend <name>']) expect(stdout).toContain(flag);
  });

  it('writes the overlay PNG and prints the probability and the layer', async () => {
    const out = join(root, 'out', 'cam.png');
    const { code, stdout, stderr } = await cli('explain', '--model', modelDir, '--image', png, '--out', out, '--backend', 'cpu');
    expect(stderr).toContain('backend: cpu');
    expect(code).toBe(0);
    expect(stdout).toContain(`probability=${probability.toFixed(4)}\t`);
    expect(stdout).toMatch(/slice\.png\tprobability=0\.\d{4}\tlabel=(normal|hemorrhage)\tlayer=conv2\tclass=hemorrhage\tout=/);
    const image = decode(await readFile(out));
    expect([image.width, image.height, image.channels]).toEqual([overlayWidth(), SIZE, 4]);
    expect(image.width).toBeGreaterThan(SIZE);
  });

  it('takes --layer, --class normal and --json on the default backend', async () => {
    const out = join(root, 'normal.png');
    const { code, stdout } = await cli('explain', '--model', modelDir, '--image', png, '--out', out, '--layer', 'pool1', '--class', 'normal', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ layer: 'pool1', class: 'normal', width: SIZE, height: SIZE, out });
    expect(result.probability).toBeCloseTo(probability, 4);
    expect(decode(await readFile(out)).height).toBe(SIZE);
  });

  it('explains a DICOM slice with a windowed model', async () => {
    const out = join(root, 'dicom.png');
    const { code, stdout } = await cli('explain', '--model', huModelDir, '--image', dicom, '--out', out, '--backend', 'cpu');
    expect(code).toBe(0);
    expect(stdout).toMatch(/slice\.dcm\tprobability=0\.\d{4}\tlabel=\w+\tlayer=conv2\t/);
    const image = decode(await readFile(out));
    expect([image.width, image.height]).toEqual([overlayWidth(), SIZE]);
  });

  it.each([
    [['--image', 'no/such.png'], /error \[FILE_NOT_FOUND\]: Could not read image file no\/such\.png/],
    [['--class', 'bleed'], /error \[BAD_INPUT\]: --class must be hemorrhage or normal; got "bleed"/],
    [['--layer', 'conv7'], /error \[BAD_INPUT\]: The model has no layer named "conv7"/],
    [['--alpha', '3'], /--alpha must be a number in \[0, 1\]/],
  ])('%j fails with a typed error', async (extra, message) => {
    const args = { '--model': modelDir, '--image': png, '--out': join(root, 'x.png') } as Record<string, string>;
    for (let i = 0; i < extra.length; i += 2) args[extra[i]!] = extra[i + 1]!;
    const { code, stderr } = await cli('explain', ...Object.entries(args).flat(), '--backend', 'cpu');
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
  });

  it('names the file when the image does not suit the model', async () => {
    const { code, stderr } = await cli('explain', '--model', huModelDir, '--image', png, '--out', join(root, 'y.png'), '--backend', 'cpu');
    expect(code).toBe(2);
    expect(stderr).toMatch(/error \[BAD_INPUT\]: .*slice\.png: This model takes CT slices in Hounsfield units/);
    const { stderr: missing } = await cli('explain', '--model', modelDir, '--out', 'z.png');
    expect(missing).toMatch(/--image is required/);
  });
});
