import { isDicom, readDicom } from '../dicom/index.js';
import type { SliceImage } from '../preprocessing/index.js';
import { decodeImage } from './decode.js';
import { decodePng16, pngBitDepth, readHuPng } from './png16.js';

/** Options of {@link decodeSlice}. */
export interface DecodeSliceOptions {
  /** Name shown in errors (a file name, say). */
  name?: string;
  /**
   * Read 16-bit grey PNGs as Hounsfield units with this offset (HU = stored - offset, see
   * {@link readHuPng}). Default: PNGs are display images.
   */
  huOffset?: number;
  /**
   * Largest image accepted, in pixels (width x height), checked on the size a PNG, JPEG, GIF, BMP
   * or DICOM header declares before anything is decoded: larger files fail fast with `BAD_INPUT`.
   * Default 16,777,216 (4096 x 4096); `Infinity` turns the limit off.
   */
  maxPixels?: number;
}

/**
 * Decodes any input file the library reads: DICOM (recognised by its `DICM` marker) into a
 * slice in Hounsfield units; PNG, JPEG, BMP, TIFF or GIF into a display image (16-bit PNGs keep
 * their precision), or, with `huOffset`, a 16-bit PNG into HU. Errors name the input:
 * `DECODE_FAILED` for empty, truncated or non-image bytes, `UNSUPPORTED_DICOM` for DICOM the
 * reader cannot handle (a compressed transfer syntax, say), `BAD_INPUT` for an image larger than
 * `options.maxPixels`.
 *
 * @example
 * ```ts
 * const a = await decodeSlice(await readFile('scan/IM0001.dcm'), { name: 'IM0001.dcm' });
 * 'hu' in a; // true: { hu: Float32Array, width: 512, height: 512, window: { level: 40, width: 80 }, meta }
 * const b = await decodeSlice(await readFile('000.png'), { name: '000.png' });
 * 'data' in b; // true: { data, width, height, channels }
 * ```
 */
export async function decodeSlice(bytes: Uint8Array | ArrayBuffer, options: DecodeSliceOptions = {}): Promise<SliceImage> {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const name = options.name ?? 'the image bytes';
  const { maxPixels } = options;
  if (isDicom(view)) return readDicom(view, { name, maxPixels });
  if (options.huOffset !== undefined) return readHuPng(view, { offset: options.huOffset, name, maxPixels });
  if (pngBitDepth(view) === 16) return decodePng16(view, name, maxPixels);
  return decodeImage(view, options.name !== undefined ? { name: options.name, maxPixels } : { maxPixels });
}
