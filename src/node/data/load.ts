import { readFile } from 'node:fs/promises';
import type { LabeledImage } from '../../data/index.js';
import { decodeSlice, type DecodeSliceOptions } from '../../decode/index.js';
import { CtHemorrhageError } from '../../errors/index.js';
import { isHuImage, type SliceImage } from '../../preprocessing/index.js';
import { listDataset, type DatasetEntry, type DatasetLayout, type DatasetListing, type ListDatasetOptions } from './listing.js';

/** A file a loader skipped, and why. */
export interface SkippedFile {
  readonly file: string;
  readonly error: CtHemorrhageError;
}

/** Options of {@link loadImageFolder}. */
export interface ImageFolderOptions extends ListDatasetOptions {
  /** Throw on the first unreadable file (or label-table row without a file) instead of reporting it. Default `false`. */
  strict?: boolean;
  /** Read 16-bit grey PNGs as Hounsfield units with this offset (HU = stored - offset). Default: PNGs are display images. */
  huOffset?: number;
  /** Largest image accepted, in pixels; larger files are skipped (or thrown in strict mode) as `BAD_INPUT`. Default 4096 x 4096. */
  maxPixels?: number;
  /** Called after each file with the count done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link loadImageFolder} returns. */
export interface ImageFolder {
  /** Decoded images (display pixels, or HU slices for DICOM and HU PNGs) with labels and groups. */
  readonly samples: LabeledImage[];
  /** Files that could not be read, with the reason, in file order; empty in strict mode. */
  readonly skipped: SkippedFile[];
  readonly layout: DatasetLayout;
  /** Files in the folder that the label table does not name (left out); see {@link DatasetListing.unlabelled}. */
  readonly unlabelled: string[];
}

/**
 * Reads and decodes one dataset file; every failure is a {@link CtHemorrhageError} naming the file.
 * `options` are {@link decodeSlice}'s `huOffset` and `maxPixels` (a bare number is `huOffset`).
 */
export async function readEntry(
  entry: DatasetEntry,
  options: Pick<DecodeSliceOptions, 'huOffset' | 'maxPixels'> | number = {},
): Promise<SliceImage> {
  const { huOffset, maxPixels } = typeof options === 'number' ? { huOffset: options, maxPixels: undefined } : options;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(entry.file);
  } catch (cause) {
    throw new CtHemorrhageError('FILE_NOT_FOUND', `Could not read ${entry.file} (listed as "${entry.id}").`, { file: entry.file }, { cause });
  }
  return decodeSlice(bytes, { name: entry.file, maxPixels, ...(huOffset !== undefined ? { huOffset } : {}) });
}

/** Turns label-table keys without a file into skip reports (or throws in strict mode). */
export function missingFiles(listing: DatasetListing, strict: boolean | undefined): SkippedFile[] {
  const errors = listing.missing.map(
    (key) =>
      new CtHemorrhageError(
        'FILE_NOT_FOUND',
        `The label table lists "${key}" but no image or DICOM file under ${listing.root} matches it ` +
          '(by file name, relative path or SOPInstanceUID). Add the file or remove the row.',
        { file: key },
      ),
  );
  if (strict && errors.length > 0) throw errors[0];
  return errors.map((error, i) => ({ file: listing.missing[i] as string, error }));
}

/**
 * Formats a skip report, one line per file, for logs and the CLI.
 *
 * @example
 * ```ts
 * formatSkipped(folder.skipped);
 * // 'Skipped 2 of 160 files:\n  data/017.png: DECODE_FAILED Could not decode ...'
 * ```
 */
export function formatSkipped(skipped: readonly SkippedFile[], total?: number): string {
  if (skipped.length === 0) return 'No files skipped.';
  const head = `Skipped ${skipped.length}${total !== undefined ? ` of ${total}` : ''} file(s):`;
  return [head, ...skipped.map((s) => `  ${s.file}: ${s.error.code} ${s.error.message}`)].join('\n');
}

/**
 * Loads and decodes a labelled dataset (every layout of {@link listDataset}: Kaggle
 * `labels.csv`, class folders, a `path,label[,group]` manifest, DICOM folders), keeping each
 * image at its original size (the model's preprocessing resizes later). DICOM files become HU
 * slices; so do 16-bit PNGs with `huOffset`.
 *
 * A file that cannot be read (corrupt, truncated, empty, not an image, unsupported DICOM,
 * missing) is reported in `skipped` and loading goes on; all are reported at the end. With
 * `strict`, the first one throws instead.
 *
 * @example
 * ```ts
 * const { samples, skipped } = await loadImageFolder('data/head_ct');
 * samples.length; // 160
 * samples[0];     // { image: {...}, label: 1, id: '000', group: 'g000' }
 * ```
 */
export async function loadImageFolder(source: string, options: ImageFolderOptions = {}): Promise<ImageFolder> {
  const listing = await listDataset(source, options);
  const skipped: SkippedFile[] = missingFiles(listing, options.strict);
  const { entries } = listing;
  if (entries.length === 0) {
    throw new CtHemorrhageError(
      'EMPTY_DATASET',
      `No labelled images or DICOM files found in ${source} (layout ${listing.layout}).`,
      { file: source },
    );
  }
  const samples: LabeledImage[] = [];
  for (const [i, entry] of entries.entries()) {
    try {
      const image = await readEntry(entry, { huOffset: options.huOffset, maxPixels: options.maxPixels });
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
      `None of the ${entries.length} files in ${source} could be read (first problem: ${skipped[0]?.error.message}).`,
      { file: source },
    );
  }
  const hu = samples.filter((s) => isHuImage(s.image)).length;
  if (hu > 0 && hu < samples.length) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `${source} mixes ${hu} slices in Hounsfield units (DICOM or HU PNG) with ${samples.length - hu} display images; ` +
        'one model takes one kind. Keep one kind per dataset, or convert the display images.',
      { file: source, received: { hu, display: samples.length - hu } },
    );
  }
  return { samples, skipped, layout: listing.layout, unlabelled: listing.unlabelled };
}
