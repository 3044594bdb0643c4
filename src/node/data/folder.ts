import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, parse } from 'node:path';
import { idKey, parseCsv, type LabeledImage } from '../../data/index.js';
import { decodeImage } from '../../decode/index.js';
import { CtHemorrhageError } from '../../errors/index.js';
import { DEFAULT_PREPROCESSING } from '../../preprocessing/index.js';

/** Image file extensions the folder loader reads. */
export const IMAGE_EXTENSIONS = Object.freeze(['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff']);

/** Options of {@link loadImageFolder}. */
export interface ImageFolderOptions {
  /** Throw on the first unreadable image instead of reporting it. Default `false`. */
  strict?: boolean;
  /** Class names `[negative, positive]` matched (case-insensitively) against sub-folder names. Default `['normal', 'hemorrhage']`. */
  classNames?: readonly [string, string];
  /** Called after each image with the count done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** An image the loader skipped, and why. */
export interface SkippedFile {
  readonly file: string;
  readonly error: CtHemorrhageError;
}

/** What {@link loadImageFolder} returns. */
export interface ImageFolder {
  /** Decoded images with labels (and groups when `groups.csv` exists). */
  readonly samples: LabeledImage[];
  /** Images that could not be read, with the reason; empty in strict mode. */
  readonly skipped: SkippedFile[];
  /** `'labels-csv'` (Kaggle layout) or `'class-folders'`. */
  readonly layout: 'labels-csv' | 'class-folders';
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

interface Entry {
  file: string;
  label: number;
  id: string;
  group?: string;
}

function parseLabels(text: string, file: string): Map<string, number> {
  const rows = parseCsv(text);
  const header = rows[0];
  if (!header || header.length < 2) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `${file} needs a header with an id column and a label column (Kaggle: "id, hemorrhage").`,
      { file },
    );
  }
  const labels = new Map<string, number>();
  rows.slice(1).forEach((row, i) => {
    const [id, value] = row;
    const label = Number(value);
    if (!id || (label !== 0 && label !== 1) || value === '') {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        `${file} line ${i + 2} ("${row.join(',')}") needs an id and a label 0 or 1.`,
        { file, received: row },
      );
    }
    const key = idKey(id);
    if (labels.has(key)) {
      throw new CtHemorrhageError('BAD_INPUT', `${file} lists id "${id}" twice (line ${i + 2}); keep one row per image.`, {
        file,
        received: id,
      });
    }
    labels.set(key, label);
  });
  return labels;
}

async function labelsCsvEntries(dir: string, text: string): Promise<Entry[]> {
  const labelsFile = join(dir, 'labels.csv');
  const labels = parseLabels(text, labelsFile);
  const groupsText = await readText(join(dir, 'groups.csv'));
  const groups = new Map<string, string>();
  if (groupsText !== undefined) {
    for (const [id, group] of parseCsv(groupsText).slice(1)) {
      if (id && group) groups.set(idKey(id), group);
    }
  }
  const files = (await readdir(dir)).filter((f) => IMAGE_EXTENSIONS.includes(extname(f).toLowerCase())).sort();
  const entries: Entry[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const key = idKey(parse(f).name);
    const label = labels.get(key);
    if (label === undefined) continue;
    seen.add(key);
    entries.push({ file: join(dir, f), label, id: parse(f).name, group: groups.get(key) });
  }
  const missing = [...labels.keys()].filter((k) => !seen.has(k));
  if (missing.length > 0) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `${labelsFile} lists ${missing.length} id(s) with no image in ${dir} (first: ${missing.slice(0, 5).join(', ')}). ` +
        'Add the images or remove those rows.',
      { file: labelsFile, received: missing },
    );
  }
  return entries;
}

async function classFolderEntries(dir: string, classNames: readonly [string, string]): Promise<Entry[]> {
  const names = (await readdir(dir)).sort();
  const byClass = new Map<number, string>();
  for (const name of names) {
    if (!(await isDir(join(dir, name)))) continue;
    const lower = name.toLowerCase();
    const label = lower === classNames[0].toLowerCase() || lower === '0' ? 0 : lower === classNames[1].toLowerCase() || lower === '1' ? 1 : undefined;
    if (label !== undefined) byClass.set(label, name);
  }
  if (byClass.size === 0) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `${dir} has neither a labels.csv nor class sub-folders named "${classNames[0]}"/"${classNames[1]}" (or "0"/"1"). ` +
        'Add a labels.csv (header "id, hemorrhage") or sort the images into those sub-folders.',
      { file: dir },
    );
  }
  const entries: Entry[] = [];
  for (const [label, name] of [...byClass.entries()].sort((a, b) => a[0] - b[0])) {
    const sub = join(dir, name);
    for (const f of (await readdir(sub)).sort()) {
      if (IMAGE_EXTENSIONS.includes(extname(f).toLowerCase())) {
        entries.push({ file: join(sub, f), label, id: `${name}/${parse(f).name}` });
      }
    }
  }
  return entries;
}

/**
 * Loads a folder of labelled images: the Kaggle layout (`labels.csv` with header
 * `id, hemorrhage`, ids zero-padded or not, and an optional `groups.csv` of `id,group`), or one
 * sub-folder per class (`normal/`, `hemorrhage/`, or `0/`, `1/`). Images are decoded with
 * jimp and kept at their original size; the model's preprocessing resizes them later.
 *
 * An unreadable image is reported in `skipped` and loading goes on, unless `strict` is set.
 *
 * @example
 * ```ts
 * const { samples, skipped } = await loadImageFolder('data/head_ct');
 * samples.length; // 160
 * samples[0];     // { image: {...}, label: 1, id: '000', group: 'g000' }
 * ```
 */
export async function loadImageFolder(dir: string, options: ImageFolderOptions = {}): Promise<ImageFolder> {
  if (!(await isDir(dir))) {
    throw new CtHemorrhageError('FILE_NOT_FOUND', `Data folder ${dir} does not exist or is not a folder.`, { file: dir });
  }
  const labelsText = await readText(join(dir, 'labels.csv'));
  const layout = labelsText !== undefined ? 'labels-csv' : 'class-folders';
  const entries =
    labelsText !== undefined
      ? await labelsCsvEntries(dir, labelsText)
      : await classFolderEntries(dir, options.classNames ?? DEFAULT_PREPROCESSING.classNames);
  if (entries.length === 0) {
    throw new CtHemorrhageError('EMPTY_DATASET', `No labelled images (${IMAGE_EXTENSIONS.join(', ')}) found in ${dir}.`, {
      file: dir,
    });
  }
  const samples: LabeledImage[] = [];
  const skipped: SkippedFile[] = [];
  for (const [i, entry] of entries.entries()) {
    try {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(entry.file);
      } catch (cause) {
        throw new CtHemorrhageError('FILE_NOT_FOUND', `Could not read ${entry.file}.`, { file: entry.file }, { cause });
      }
      const image = await decodeImage(bytes, { name: entry.file });
      samples.push({ image, label: entry.label, id: entry.id, ...(entry.group !== undefined ? { group: entry.group } : {}) });
    } catch (error) {
      if (options.strict || !(error instanceof CtHemorrhageError)) throw error;
      skipped.push({ file: entry.file, error });
    }
    options.onProgress?.(i + 1, entries.length);
  }
  if (samples.length === 0) {
    throw new CtHemorrhageError(
      'EMPTY_DATASET',
      `None of the ${entries.length} images in ${dir} could be read (first problem: ${skipped[0]?.error.message}).`,
      { file: dir },
    );
  }
  return { samples, skipped, layout };
}
