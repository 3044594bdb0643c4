import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Jimp } from 'jimp';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { CtHemorrhageError } from '../src/errors/index.js';
import { isHuImage, toGray, type SliceImage } from '../src/preprocessing/index.js';

/** Activates the stock cpu backend and quiets tfjs' Node banner. */
export async function useCpu(): Promise<void> {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Encodes a display image as PNG bytes with jimp. */
export async function encodePng(image: SliceImage): Promise<Uint8Array> {
  if (isHuImage(image)) throw new Error('encodePng takes display images; window HU slices first.');
  const gray = toGray(image);
  const rgba = Buffer.alloc(image.width * image.height * 4);
  gray.forEach((v, i) => {
    const b = Math.round(v);
    rgba[i * 4] = b;
    rgba[i * 4 + 1] = b;
    rgba[i * 4 + 2] = b;
    rgba[i * 4 + 3] = 255;
  });
  const jimp = new Jimp({ width: image.width, height: image.height, data: rgba });
  return new Uint8Array(await jimp.getBuffer('image/png'));
}

/** Path of the shared real data (`../shared/data` from the repository root). */
export const SHARED_DATA = fileURLToPath(new URL('../../shared/data', import.meta.url));

/** Throws a clear error when the shared data is missing, instead of skipping silently. */
export function requireSharedData(sub: string): string {
  const path = `${SHARED_DATA}/${sub}`;
  if (!existsSync(path)) {
    throw new Error(`This test reads shared data at ${path}; place the project's shared/ folder beside the repository.`);
  }
  return path;
}

/** Registers the wasm backend (its .wasm files from node_modules) and activates it. */
export async function useWasm(): Promise<void> {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(fileURLToPath(new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url)));
  tf.enableProdMode();
  await tf.setBackend('wasm');
  await tf.ready();
}

/** Writes `files` (relative path -> content) under `root/name` and returns that folder. */
export async function writeFolder(root: string, name: string, files: Record<string, string | Uint8Array>): Promise<string> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** Runs the built CLI (`dist/cli.js`) with `args`; never throws, returns the exit code and output. */
export async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cliPath, ...args], { timeout: 300_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs `fn`, expects it to throw a CtHemorrhageError, and returns that error. */
export function thrownError(fn: () => unknown): CtHemorrhageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CtHemorrhageError);
    return error as CtHemorrhageError;
  }
  throw new Error('expected an error');
}
