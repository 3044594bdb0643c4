import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLargerCnn, loadModel, saveModel } from '../src/node.js';
import { createRng } from '../src/random/index.js';
import { useCpu } from './helpers.js';

const saver = fileURLToPath(new URL('./fixtures/save-forever.mjs', import.meta.url));
let root: string;
beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'cth-kill-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Starts a child that saves the model of `seed` to `dir` in a loop, kills it after `delayMs` of saving. */
function killDuringSave(dir: string, seed: number, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [saver, dir, String(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs));
    child.on('error', reject);
    child.on('close', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`saver exited without being killed (${signal})`))));
  });
}

const fingerprint = async (dir: string) => {
  const model = await loadModel(dir);
  const w = model.getWeights();
  const sum = w.reduce((acc, t) => acc + Array.from(t.dataSync()).reduce((a, b) => a + b, 0), 0);
  model.dispose();
  return sum;
};

describe('saving is atomic', () => {
  it('a child killed at 20 random moments while saving always leaves a model that loads, the previous or the new one', async () => {
    const dir = join(root, 'model');
    const previous = buildLargerCnn({ seed: 1 });
    await saveModel(previous, dir);
    previous.dispose();
    const known = new Map<number, string>([[await fingerprint(dir), 'seed 1']]);
    const rng = createRng(2026);
    let leftoversSeen = 0;
    for (let i = 0; i < 20; i++) {
      const seed = 100 + i;
      await killDuringSave(dir, seed, Math.floor(rng() * 400));
      const reference = buildLargerCnn({ seed });
      const tmpRoot = join(root, `ref-${i}`);
      await saveModel(reference, tmpRoot);
      reference.dispose();
      known.set(await fingerprint(tmpRoot), `seed ${seed}`);
      if ((await readdir(root)).some((f) => f.startsWith('.model.'))) leftoversSeen++;
      // The folder loads (repairing a save cut between its two renames) and holds a whole model
      // that some save wrote: the one before, or one the killed child finished.
      const loaded = await fingerprint(dir);
      expect(known.has(loaded)).toBe(true);
      expect((await readdir(root)).filter((f) => f.startsWith('.model.'))).toEqual([]);
    }
    // Many kills landed in the middle of writing files (a temporary folder was left behind); the
    // others between saves, while the child serialised the weights.
    console.log(`kills that cut a save: ${leftoversSeen} of 20`);
    expect(leftoversSeen).toBeGreaterThanOrEqual(4);
  }, 240_000);

  it('a save cut between moving the old folder aside and moving the new one in is repaired on load', async () => {
    const dir = join(root, 'cut');
    const model = buildLargerCnn({ inputSize: 32, filters: 4, seed: 9 });
    await saveModel(model, dir);
    const expected = await fingerprint(dir);
    const dead = await deadPid();
    // What a save killed at that moment leaves: no folder, the old one aside, a full new one in tmp.
    await rename(dir, join(root, `.cut.old-${dead}-${Date.now()}-1`));
    await mkdir(join(root, `.cut.tmp-${dead}-${Date.now()}-1`));
    expect(await fingerprint(dir)).toBe(expected);
    expect((await readdir(root)).filter((f) => f.startsWith('.cut.'))).toEqual([]);
    // A save in progress in a live process is left alone.
    await mkdir(join(root, `.cut.tmp-${process.pid}-${Date.now()}-2`));
    await fingerprint(dir);
    expect((await readdir(root)).filter((f) => f.startsWith('.cut.'))).toHaveLength(1);
    model.dispose();
  });
});

/** The pid of a process that has exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '0']);
    child.on('error', reject);
    child.on('close', () => resolve(child.pid as number));
  });
}
