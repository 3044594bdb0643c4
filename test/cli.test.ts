import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePhantoms } from '../src/index.js';
import { encodePng, runCli } from './helpers.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const cli = runCli;

let root: string;
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run "npm run build" first (npm test does).');
  root = await mkdtemp(join(tmpdir(), 'cth-cli-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('ct-hemorrhage CLI', () => {
  it.each(['train', 'evaluate', 'predict'])('%s --help lists its options', async (command) => {
    const { code, stdout } = await cli(command, '--help');
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: ct-hemorrhage ${command}`);
    expect(stdout).toContain('--backend');
  });

  it.each([
    [['train'], /--out is required/],
    [['train', '--out', 'x', '--epochs', 'many'], /--epochs must be auto or an integer >= 1; got "many"/],
    [['train', '--out', 'x', '--arch', 'huge'], /--arch must be one of simple, larger, deep/],
    [['train', '--bogus'], /Unknown option '--bogus'/],
    [['train', '--out', 'x', '--augment', 'wild'], /--augment must be none, ct or reference/],
    [['train', '--out', 'x', '--threads', '0'], /--threads must be auto or an integer >= 1/],
    [['train', '--out', 'x', '--bn-statistics', 'precise'], /--bn-statistics must be population or moving; got "precise"/],
    [['train', '--out', 'x', '--epochs', '3', '--swa-epochs', '5'], /--swa-epochs must be an integer from 0 to --epochs \(3\); got "5"/],
    [['evaluate', '--model', 'm'], /--data is required/],
    [['predict', '--model', 'm'], /--image is required/],
    [['predict', '--model', 'no/such/dir', '--image', 'a.png'], /No model at no\/such\/dir/],
  ])('%j fails with a clear message', async (args, message) => {
    const { code, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('trains on wasm with the relaxed-SIMD training kernels (V8 flag turned on in Node 20) and says so', async () => {
    const trained = await cli(
      'train', '--out', join(root, 'wasm-model'), '--arch', 'larger', '--size', '24', '--epochs', '1', '--phantoms', '16',
      '--batch-size', '8', '--validation-split', '0.25', '--backend', 'wasm', '--threads', '1', '--augment', 'none',
      '--kernel-initializer', 'glorotUniform', '--resize', 'pad',
    );
    expect(trained.code).toBe(0);
    expect(trained.stderr).toContain('backend: wasm (ct-hemorrhage wasm training path, relaxed-simd kernels, 1 thread)');
    const card = await readFile(join(root, 'wasm-model', 'MODEL_CARD.md'), 'utf8');
    expect(card).toMatch(/kernel initializer\W+glorotUniform/);
    expect(card).toMatch(/\| resize \| pad \|/);
    expect(card).toMatch(/Resize \| pad: centred on black/);
    const info = JSON.parse(await readFile(join(root, 'wasm-model', 'model.json'), 'utf8')).userDefinedMetadata.ctHemorrhage;
    expect(info.preprocessing.resize).toBe('pad');
  });

  it('--swa-epochs averages the last epochs, says so and puts it in the model card', async () => {
    const out = join(root, 'swa-model');
    const trained = await cli(
      'train', '--out', out, '--arch', 'simple', '--size', '24', '--epochs', '3', '--swa-epochs', '2', '--phantoms', '16',
      '--batch-size', '8', '--validation-split', '0.25', '--backend', 'cpu', '--augment', 'none',
    );
    expect(trained.code).toBe(0);
    expect(trained.stderr).toMatch(/averaged the weights of the last 2 epochs \(val_loss=\d\.\d{4} val_acc=\d\.\d{4} val_auc=\d\.\d{4}; last epoch alone: val_auc \d\.\d{4}\)/);
    const card = await readFile(join(out, 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain('mean of the weights of the last 2 epochs (batch norm recomputed)');
    // --kernel-initializer auto: the recipe's.
    expect(card).toMatch(/kernel initializer\W+heNormal/);
    expect(card).toContain('Measured on the validation split (groups held out), 4 images, at threshold');
    // --resize auto: the recipe's (stretch for the seed CNNs).
    expect(card).toMatch(/\| resize \| stretch \|/);
    expect(card).toContain("chosen on the validation split (Youden's J with the one-standard-error rule)");
  }, 120_000);

  it('trains on generated data, then evaluates and predicts with the saved model', async () => {
    const out = join(root, 'model');
    const trained = await cli(
      'train', '--out', out, '--arch', 'simple', '--size', '24', '--epochs', '2', '--phantoms', '16',
      '--batch-size', '8', '--validation-split', '0.25', '--backend', 'cpu', '--augment', 'ct',
    );
    expect(trained.stderr).toContain('backend: cpu');
    expect(trained.stderr).toMatch(/epoch 2\/2 loss=/);
    // The default recipe chooses the threshold on the validation split and saves it.
    const chosen = /threshold (0\.\d+) chosen on the validation split/.exec(trained.stderr);
    expect(chosen).not.toBeNull();
    expect(trained.stderr).not.toContain('Hi, looks like');
    expect(trained.stdout).toMatch(/accuracy\s+\d/);
    expect(trained.code).toBe(0);
    expect(existsSync(join(out, 'model.json'))).toBe(true);

    const data = join(root, 'data');
    const slices = generatePhantoms({ count: 4, size: 30, seed: 8 });
    for (const [i, s] of slices.entries()) {
      const dir = join(data, s.label === 1 ? 'hemorrhage' : 'normal');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${i}.png`), await encodePng(s.image));
    }
    const evaluated = await cli('evaluate', '--model', out, '--data', data, '--json');
    expect(evaluated.code).toBe(0);
    const metrics = JSON.parse(evaluated.stdout);
    expect(metrics.count).toBe(4);
    expect(Object.keys(metrics)).toEqual(
      expect.arrayContaining(['accuracy', 'rocAuc', 'sensitivity', 'specificity', 'confusionMatrix']),
    );

    const png = join(data, slices[0]!.label === 1 ? 'hemorrhage' : 'normal', '0.png');
    const predicted = await cli('predict', '--model', out, '--image', png, '--image', join(root, 'missing.png'));
    expect(predicted.stdout).toMatch(/0\.png\tprobability=0\.\d{4}\tlabel=(normal|hemorrhage)\tthreshold=0\.\d+/);
    expect(Number(/threshold=(0\.\d+)/.exec(predicted.stdout)?.[1]).toFixed(3)).toBe(Number(chosen?.[1]).toFixed(3));
    expect(predicted.stderr).toMatch(/missing\.png: Could not read/);
    expect(predicted.code).toBe(1);
  }, 300_000);
});
