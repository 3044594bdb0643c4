// End to end: the built CLI (dist/cli.js) trains a tiny model (model card and history.json),
// evaluates it with --report, and cross-validates with --report. Run "npm run build" first.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCLAIMER, generatePhantoms } from '../src/index.js';
import { encodePng, runCli } from './helpers.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const cli = runCli;

async function expectPngs(dir: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const png = decode(await readFile(join(dir, name)));
    expect(png.width, name).toBeGreaterThan(400);
    expect(png.height, name).toBeGreaterThan(300);
  }
}

let root: string;
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run "npm run build" first (npm test does).');
  root = await mkdtemp(join(tmpdir(), 'cth-report-cli-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('CLI reports', () => {
  it('train writes MODEL_CARD.md and history.json; evaluate --report writes the report with training curves', async () => {
    const model = join(root, 'model');
    const trained = await cli(
      'train', '--out', model, '--arch', 'simple', '--size', '24', '--epochs', '2', '--phantoms', '16',
      '--batch-size', '8', '--validation-split', '0.25', '--backend', 'cpu',
    );
    expect(trained.stderr).toContain('wrote MODEL_CARD.md and history.json');
    expect(trained.code).toBe(0);
    const card = await readFile(join(model, 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain(DISCLAIMER);
    expect(card).toMatch(/\| ROC AUC \| [\d.]+|n\/a/);
    expect(card).toContain('generated phantom slices');
    const history = JSON.parse(await readFile(join(model, 'history.json'), 'utf8'));
    expect(history.epoch).toEqual([0, 1]);
    expect(history.history.loss).toHaveLength(2);

    const data = join(root, 'data');
    const slices = generatePhantoms({ count: 8, size: 30, seed: 8 });
    for (const [i, s] of slices.entries()) {
      const dir = join(data, s.label === 1 ? 'hemorrhage' : 'normal');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${i}.png`), await encodePng(s.image));
    }
    const report = join(root, 'report');
    const evaluated = await cli('evaluate', '--model', model, '--data', data, '--report', report, '--backend', 'cpu');
    expect(evaluated.stderr).toContain(`report: wrote 7 files to ${report}`);
    expect(evaluated.code).toBe(0);
    const files = (await readdir(report)).sort();
    expect(files).toEqual(
      ['calibration.png', 'confusion-matrix.png', 'precision-recall.png', 'report.json', 'report.md', 'roc.png', 'training-curves.png'],
    );
    const json = JSON.parse(await readFile(join(report, 'report.json'), 'utf8'));
    expect(json.kind).toBe('evaluation');
    expect(json.samples).toEqual({ count: 8, positives: 4, negatives: 4, prevalence: 0.5 });
    expect(json.model.architecture).toBe('simple-cnn');
    expect(json.histories[0].epoch).toEqual([0, 1]);
    const md = await readFile(join(report, 'report.md'), 'utf8');
    expect(md).toContain(DISCLAIMER);
    expect(md).toContain('![Training curves](training-curves.png)');
    await expectPngs(report, files.filter((f) => f.endsWith('.png')));
  });

  it('crossval --report writes a cross-validation report with per-fold ROC', async () => {
    const report = join(root, 'cv');
    const result = await cli(
      'crossval', '--folds', '2', '--arch', 'simple', '--size', '24', '--epochs', '1', '--phantoms', '16',
      '--batch-size', '8', '--validation-split', '0', '--patience', '0', '--backend', 'cpu', '--report', report,
    );
    expect(result.stderr).toMatch(/fold 2\/2: 8 train, 8 held out; AUC/);
    expect(result.stdout).toContain('pooled out-of-fold (16 images, 2 folds');
    expect(result.stdout).toMatch(/fold AUC\s+[\d.]+ ± [\d.]+/);
    expect(result.code).toBe(0);
    const json = JSON.parse(await readFile(join(report, 'report.json'), 'utf8'));
    expect(json.kind).toBe('cross-validation');
    expect(json.crossValidation.perFold).toHaveLength(2);
    expect(json.predictions.map((p: { fold: number }) => p.fold).sort()).toEqual([...Array(8).fill(1), ...Array(8).fill(2)]);
    await expectPngs(report, ['roc.png', 'roc-folds.png', 'training-curves.png']);
  });

  it('crossval refuses bad flags', async () => {
    const bad = await cli('crossval', '--folds', '1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--folds must be an integer >= 2/);
  });
});
