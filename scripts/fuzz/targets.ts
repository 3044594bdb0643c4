import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage, decodeSlice } from '../../src/decode/index.js';
import { readDicom } from '../../src/dicom/index.js';
import { CtHemorrhageError } from '../../src/errors/index.js';
import { loadImageFolder } from '../../src/node/data/index.js';
import type { SliceImage } from '../../src/preprocessing/index.js';
import type { SeedKind } from './mutate.js';

/** One file given to a target. */
export interface FuzzInput {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** What the library under test may do with an input. */
export interface Target {
  readonly name: string;
  /** Seeds the inputs are mutated from. */
  readonly kinds: readonly SeedKind[];
  /** Files per case. */
  readonly files: number;
  /** Decodes the inputs; resolves when they decode, throws whatever the library throws. */
  run(inputs: readonly FuzzInput[]): Promise<void>;
}

/** A result the library returned that breaks its own contract: a crash too, not a decode. */
export class BrokenContract extends Error {
  override readonly name = 'BrokenContract';
}

/** Checks a decoded slice's buffer matches its declared size. */
function checkSlice(image: SliceImage, name: string): void {
  const ok =
    'hu' in image
      ? image.width >= 1 && image.height >= 1 && image.hu.length === image.width * image.height
      : image.width >= 1 && image.height >= 1 && image.data.length === image.width * image.height * (image.channels ?? 1);
  if (!ok) throw new BrokenContract(`${name} decoded to an inconsistent image (${image.width} x ${image.height}).`);
}

/** A typed error must name the file, so users know which one to fix. */
function checkNamed(error: unknown, name: string): void {
  if (error instanceof CtHemorrhageError && !error.message.includes(name)) {
    throw new BrokenContract(`CtHemorrhageError ${error.code} does not name ${name}: ${error.message}`);
  }
}

function single(kinds: readonly SeedKind[], name: string, decode: (input: FuzzInput) => Promise<SliceImage> | SliceImage): Target {
  return {
    name,
    kinds,
    files: 1,
    async run([input]) {
      if (!input) throw new Error(`${name} needs one input.`);
      try {
        checkSlice(await decode(input), input.name);
      } catch (error) {
        checkNamed(error, input.name);
        throw error;
      }
    },
  };
}

/** Writes the inputs into `normal/` and `hemorrhage/` folders and loads them with loadImageFolder. */
async function loadFolder(inputs: readonly FuzzInput[]): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'ct-fuzz-'));
  try {
    for (const [i, input] of inputs.entries()) {
      const dir = join(root, i % 2 === 0 ? 'normal' : 'hemorrhage');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, input.name), input.bytes);
    }
    const folder = await loadImageFolder(root);
    for (const s of folder.samples) checkSlice(s.image, s.id ?? root);
    for (const s of folder.skipped) checkNamed(s.error, s.file);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Every target, by name. */
export const TARGETS: Record<string, Target> = {
  'decodeImage:png': single(['png'], 'decodeImage:png', (i) => decodeImage(i.bytes, { name: i.name })),
  'decodeImage:jpeg': single(['jpeg'], 'decodeImage:jpeg', (i) => decodeImage(i.bytes, { name: i.name })),
  decodeSlice: single(['png', 'png16', 'jpeg', 'dicom'], 'decodeSlice', (i) => decodeSlice(i.bytes, { name: i.name })),
  readDicom: single(['dicom'], 'readDicom', (i) => readDicom(i.bytes, { name: i.name })),
  loadImageFolder: { name: 'loadImageFolder', kinds: ['png', 'jpeg', 'dicom'], files: 3, run: loadFolder },
};
