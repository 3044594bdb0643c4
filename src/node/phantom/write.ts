import { encode } from 'fast-png';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDicom } from '../../dicom/index.js';
import { CtHemorrhageError } from '../../errors/index.js';
import { generateCtPhantoms, type CtPhantom, type CtPhantomsOptions } from '../../phantom/index.js';
import { applyWindow, resolveWindow, type WindowSpec } from '../../windowing/index.js';

/** File formats {@link writePhantomDataset} writes. */
export type PhantomFileFormat = 'png' | 'hu-png' | 'dicom';

/** Options of {@link writePhantomDataset}: those of `generateCtPhantoms`, and these. */
export interface PhantomDatasetOptions extends CtPhantomsOptions {
  /**
   * `'png'`: 8-bit grey PNGs in `window` (display images); `'hu-png'`: 16-bit grey PNGs storing
   * HU + 1024 (read them with `huOffset: 1024`); `'dicom'`: CT Image DICOM files in HU.
   * Default `'png'`.
   */
  format?: PhantomFileFormat;
  /** Window of `'png'` files. Default `'brain'`. */
  window?: WindowSpec;
  /** Also write each lesion mask as `masks/<id>.png` (0 or 255). Default `true`. */
  masks?: boolean;
}

/** What {@link writePhantomDataset} wrote. */
export interface PhantomDataset {
  /** The folder: read it back with `loadImageFolder(dir)` or `listDataset(dir)`. */
  readonly dir: string;
  /** The slices written, in file order. */
  readonly phantoms: readonly Omit<CtPhantom, 'hu' | 'mask'>[];
  /** File names of the slices, relative to `dir`. */
  readonly files: readonly string[];
}

const EXTENSIONS: Record<PhantomFileFormat, string> = { png: 'png', 'hu-png': 'png', dicom: 'dcm' };

function sliceBytes(p: CtPhantom, format: PhantomFileFormat, window: WindowSpec, index: number): Uint8Array {
  const { width, height } = p;
  if (format === 'dicom') {
    return writeDicom(p, { patientId: p.id, instanceNumber: index + 1, windows: [p.window] });
  }
  if (format === 'hu-png') {
    const data = Uint16Array.from(p.hu, (v) => Math.max(0, Math.min(65535, Math.round(v + 1024))));
    return encode({ width, height, data, depth: 16, channels: 1 });
  }
  const w = resolveWindow(window, p.window);
  return encode({ width, height, depth: 8, channels: 1, data: Uint8Array.from(applyWindow(p.hu, w), (v) => Math.round(v * 255)) });
}

/**
 * Generates seeded phantom slices and writes them to `dir` as a dataset any loader reads:
 * one file per slice (PNG in a window, 16-bit HU PNG, or DICOM), `labels.csv` (Kaggle layout,
 * `id, hemorrhage`), `kinds.csv` (`id,kind,contrast`) and, by default, `masks/<id>.png`.
 * The slices are held in memory while they are written (80 KiB per 128x128 slice).
 *
 * @example
 * ```ts
 * const written = await writePhantomDataset('runs/phantoms', { count: 200, size: 128, format: 'dicom', seed: 3 });
 * written.files[0];                              // '00000.dcm'
 * (await loadImageFolder('runs/phantoms')).layout; // 'dicom-folder'
 * ```
 */
export async function writePhantomDataset(dir: string, options: PhantomDatasetOptions = {}): Promise<PhantomDataset> {
  const format = options.format ?? 'png';
  if (!(format in EXTENSIONS)) {
    throw new CtHemorrhageError('BAD_INPUT', `Option format must be png, hu-png or dicom; got "${String(format)}".`, {
      option: 'format',
      received: format,
    });
  }
  const window = options.window ?? 'brain';
  const withMasks = options.masks ?? true;
  const slices = generateCtPhantoms(options); // checks the options before anything is written
  await mkdir(withMasks ? join(dir, 'masks') : dir, { recursive: true });
  const labels = ['id, hemorrhage'];
  const kinds = ['id,kind,contrast'];
  const files: string[] = [];
  const phantoms: Omit<CtPhantom, 'hu' | 'mask'>[] = [];
  for (const [i, p] of slices.entries()) {
    const id = String(i).padStart(5, '0');
    const file = `${id}.${EXTENSIONS[format]}`;
    await writeFile(join(dir, file), sliceBytes(p, format, window, i));
    if (withMasks) {
      await writeFile(
        join(dir, 'masks', `${id}.png`),
        encode({ width: p.width, height: p.height, depth: 8, channels: 1, data: Uint8Array.from(p.mask, (m) => m * 255) }),
      );
    }
    labels.push(`${id},${p.label}`);
    kinds.push(`${id},${p.kind},${p.contrast.toFixed(1)}`);
    files.push(file);
    const { hu: _hu, mask: _mask, ...rest } = p;
    phantoms.push(rest);
  }
  await writeFile(join(dir, 'labels.csv'), `${labels.join('\n')}\n`);
  await writeFile(join(dir, 'kinds.csv'), `${kinds.join('\n')}\n`);
  return { dir, phantoms, files };
}
