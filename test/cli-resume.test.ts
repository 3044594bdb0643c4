import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../src/node.js';
import { runCli, useCpu } from './helpers.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
let root: string;
beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'cth-resume-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const trainArgs = (out: string) => [
  'train', '--out', out, '--phantoms', '40', '--size', '32', '--epochs', '3', '--batch-size', '4',
  '--patience', '0', '--backend', 'wasm', '--threads', '1', '--seed', '3',
];

/** Runs `train` and sends SIGINT once stderr shows the first finished epoch. */
function trainAndInterrupt(out: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...trainArgs(out)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && /epoch 1\/3/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const weights = async (dir: string) => {
  const model = await loadModel(dir);
  const w = model.getWeights().map((t) => Array.from(t.dataSync()));
  model.dispose();
  return w;
};

describe('CLI train: Ctrl-C and --resume', () => {
  it('Ctrl-C saves a checkpoint and exits 130; --resume finishes with the weights of an uninterrupted run', async () => {
    const reference = join(root, 'reference');
    expect((await runCli(...trainArgs(reference))).code).toBe(0);

    const out = join(root, 'interrupted');
    const first = await trainAndInterrupt(out);
    expect(first.stderr).toMatch(/SIGINT: stopping after the current batch/);
    expect(first.stderr).toMatch(/saved a checkpoint to .*interrupted\.checkpoint.*--resume/);
    expect(first.code).toBe(130);
    await expect(stat(join(out, 'model.json'))).rejects.toThrow(); // no half-trained model in --out
    expect((await readdir(`${out}.checkpoint`)).sort()).toContain('checkpoint.json');

    const second = await runCli(...trainArgs(out), '--resume');
    expect(second.stderr).toMatch(/resuming from .*epoch 2/);
    expect(second.code).toBe(0);
    expect(await weights(out)).toEqual(await weights(reference));
    await expect(stat(`${out}.checkpoint`)).rejects.toThrow(); // removed once the model is saved
  }, 180_000);

  it('--resume without a checkpoint says what to do', async () => {
    const r = await runCli(...trainArgs(join(root, 'never')), '--resume');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/No checkpoint in .*never\.checkpoint.*start afresh without --resume/);
  });
});
