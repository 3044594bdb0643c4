import { open, readdir, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

/** Image file extensions the loaders read as display images (or HU PNGs, with `huOffset`). */
export const IMAGE_EXTENSIONS = Object.freeze(['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff']);

/** File extensions the loaders read as DICOM; files without an extension are sniffed for the `DICM` marker. */
export const DICOM_EXTENSIONS = Object.freeze(['.dcm', '.dicom']);

/** True when `path` is a folder. */
export async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** True when the file at `path` carries the DICOM Part 10 marker `DICM` at byte 128. */
export async function sniffDicom(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buffer = new Uint8Array(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 128);
    return bytesRead === 4 && String.fromCharCode(...buffer) === 'DICM';
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/** What kind of input a file name says it is: `'image'`, `'dicom'`, `'unknown'` (no extension) or undefined (ignored). */
export function fileKind(name: string): 'image' | 'dicom' | 'unknown' | undefined {
  const ext = extname(name).toLowerCase();
  if (IMAGE_EXTENSIONS.includes(ext)) return 'image';
  if (DICOM_EXTENSIONS.includes(ext)) return 'dicom';
  return ext === '' ? 'unknown' : undefined;
}

/**
 * Lists the input files under `dir` (recursively when `recursive`), sorted by relative path
 * with `/` separators: images and DICOM by extension, and files without an extension that
 * carry the DICOM marker. Hidden files and folders (starting with `.`) are skipped.
 */
export async function listInputFiles(dir: string, recursive: boolean): Promise<string[]> {
  const out: string[] = [];
  async function walk(folder: string): Promise<void> {
    const names = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of names) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (recursive) await walk(path);
        continue;
      }
      const kind = fileKind(entry.name);
      if (kind === 'image' || kind === 'dicom' || (kind === 'unknown' && (await sniffDicom(path)))) out.push(path);
    }
  }
  await walk(dir);
  return out;
}

/** `path` relative to `root`, with `/` separators on every platform. */
export function relativeId(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
