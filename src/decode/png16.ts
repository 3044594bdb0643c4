import { decode as decodePng } from 'fast-png';
import { CtHemorrhageError } from '../errors/index.js';
import type { HuImage, RawImage } from '../preprocessing/index.js';
import { declaredSize } from './dimensions.js';
import { checkDataLength, checkImageSize, resolveMaxPixels } from './limit.js';

/** The 8 bytes every PNG starts with. */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Bit depth of a PNG from its IHDR chunk (byte 24), or undefined when the header is cut. */
export function pngBitDepth(bytes: Uint8Array): number | undefined {
  return bytes.length > 24 && isPng(bytes) ? bytes[24] : undefined;
}

function decodeFast(bytes: Uint8Array, name: string, maxPixels: number | undefined) {
  const limit = resolveMaxPixels(maxPixels);
  const declared = declaredSize(bytes);
  if (declared) {
    checkImageSize(declared, limit, name, name, 'PNG');
    checkDataLength(declared, name, name);
  }
  try {
    return decodePng(bytes);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new CtHemorrhageError('DECODE_FAILED', `Could not decode ${name} as PNG (${reason}). The file may be truncated or corrupt.`, { file: name }, { cause });
  }
}

/**
 * Decodes a 16-bit PNG as a display image, keeping its grey levels (scaled to 0-255 as
 * floats, so no precision is lost to 8-bit rounding). Colour is kept for `toGray` to convert.
 */
export function decodePng16(bytes: Uint8Array, name: string, maxPixels?: number): RawImage {
  const png = decodeFast(bytes, name, maxPixels);
  const { width, height, channels } = png;
  if (png.data.length !== width * height * channels) {
    throw new CtHemorrhageError(
      'DECODE_FAILED',
      `Could not decode ${name} as PNG: it decoded to ${png.data.length} values for ${width} x ${height} pixels of ${channels} channel(s). ` +
        'The file is truncated or corrupt; copy or export it again.',
      { file: name, expected: width * height * channels, received: png.data.length },
    );
  }
  const scale = png.depth === 16 ? 255 / 65535 : 1;
  const data = new Float32Array(png.data.length);
  for (let i = 0; i < data.length; i++) data[i] = (png.data[i] as number) * scale;
  return { data, width, height, channels };
}

/** Options of {@link readHuPng}. */
export interface HuPngOptions {
  /**
   * What was added to HU before storing: HU = stored value - `offset`. Default `1024`, the usual
   * convention for 16-bit CT PNGs (air -1000 HU is stored as 24). Use `32768` for PNGs that store
   * signed HU around the middle of the 16-bit range.
   */
  offset?: number;
  /** HU per stored unit: HU = stored * `slope` - `offset`. Default `1`. */
  slope?: number;
  /** Name shown in errors. */
  name?: string;
  /** Largest image accepted, in pixels, checked on the PNG header before decoding (`BAD_INPUT` above it). Default 16,777,216 (4096 x 4096); `Infinity` turns it off. */
  maxPixels?: number;
}

/**
 * Reads a one-channel 16-bit PNG that stores Hounsfield units with an offset (as many CT
 * pipelines export slices) into a {@link HuImage}. Throws `DECODE_FAILED` naming the file for
 * bytes that are not a PNG, and `BAD_INPUT` for an 8-bit or colour PNG (it cannot hold HU) or one
 * larger than `options.maxPixels`.
 *
 * @example
 * ```ts
 * const slice = readHuPng(await readFile('slice.png'), { offset: 1024 });
 * slice.hu[0]; // -1000 for a stored value of 24
 * ```
 */
export function readHuPng(bytes: Uint8Array | ArrayBuffer, options: HuPngOptions = {}): HuImage {
  const name = options.name ?? 'the PNG bytes';
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (view.byteLength === 0) {
    throw new CtHemorrhageError('DECODE_FAILED', `Could not decode ${name}: it is empty (0 bytes).`, { file: name });
  }
  if (!isPng(view)) {
    throw new CtHemorrhageError('DECODE_FAILED', `${name} is not a PNG file; HU PNGs must be 16-bit grey PNGs.`, { file: name });
  }
  const png = decodeFast(view, name, options.maxPixels);
  if (png.depth !== 16 || png.channels !== 1) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `${name} is a ${png.depth}-bit PNG with ${png.channels} channel(s); an HU PNG must be 16-bit grey ` +
        '(8 bits cannot hold the HU range). Read it as a display image instead, or export 16-bit HU PNGs.',
      { file: name, expected: '16-bit, 1 channel', received: { depth: png.depth, channels: png.channels } },
    );
  }
  const offset = options.offset ?? 1024;
  const slope = options.slope ?? 1;
  const hu = new Float32Array(png.data.length);
  for (let i = 0; i < hu.length; i++) hu[i] = (png.data[i] as number) * slope - offset;
  return { hu, width: png.width, height: png.height };
}
