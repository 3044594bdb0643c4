import { Jimp } from 'jimp';
import { CtHemorrhageError } from '../errors/index.js';
import type { RawImage } from '../preprocessing/index.js';
import { declaredSize, imageFormat, type DeclaredSize } from './dimensions.js';
import { checkDataLength, checkImageSize, resolveMaxPixels } from './limit.js';
import { pngInflatedLength, pngRawLength } from './png-data.js';

/** Options of {@link decodeImage}. */
export interface DecodeOptions {
  /** Name shown in errors (a file name, say). */
  name?: string;
  /**
   * Largest image accepted, in pixels (width x height). The size declared in a PNG, JPEG, GIF or
   * BMP header is checked before anything is decoded, so a corrupt or hostile file declaring
   * gigapixels fails fast with `BAD_INPUT` instead of exhausting memory; other formats are checked
   * after decoding. Default 16,777,216 (4096 x 4096); `Infinity` turns the limit off.
   */
  maxPixels?: number;
}

function toArrayBuffer(bytes: Uint8Array | ArrayBuffer): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Decodes PNG, JPEG, BMP, TIFF or GIF bytes with jimp into a {@link RawImage}: one channel when
 * every pixel is grey and opaque, RGBA otherwise.
 * Throws `DECODE_FAILED` naming the input when the bytes are not a readable image, and
 * `BAD_INPUT` when the image is larger than `options.maxPixels` (default 4096 x 4096).
 *
 * @example
 * ```ts
 * const image = await decodeImage(await readFile('slice.png'), { name: 'slice.png' });
 * image.width; // 512
 * image.channels; // 1 for a grey image, 4 (RGBA) for a coloured one
 * ```
 */
export async function decodeImage(bytes: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): Promise<RawImage> {
  const name = options.name ?? 'the image bytes';
  if (bytes.byteLength === 0) {
    throw new CtHemorrhageError('DECODE_FAILED', `Could not decode ${name}: it is empty (0 bytes).`, {
      file: options.name,
    });
  }
  const maxPixels = resolveMaxPixels(options.maxPixels);
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const declared = declaredSize(view);
  if (declared) {
    checkImageSize(declared, maxPixels, name, options.name, declared.format);
    checkDataLength(declared, name, options.name);
    if (declared.format === 'PNG') await checkPngData(view, declared, name, options.name);
  }
  let image: Awaited<ReturnType<typeof Jimp.fromBuffer>>;
  try {
    // jpeg-js checks the limit again on every frame it meets, whatever the header walk above found.
    const jpeg = Number.isFinite(maxPixels) ? { 'image/jpeg': { maxResolutionInMP: maxPixels / 1e6 } } : undefined;
    image = await Jimp.fromBuffer(toArrayBuffer(bytes), jpeg);
  } catch (cause) {
    throw decodeFailure(view, name, options.name, cause);
  }
  const { data, width, height } = image.bitmap;
  checkImageSize({ width, height }, maxPixels, name, options.name, 'decoded');
  return compactGray({ data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height, channels: 4 });
}

/**
 * Real PNGs deflate 2-8 to 1 (head_ct: at most 7.2); image data this much smaller than the
 * declared size is inflated and checked before decoding.
 */
const SUSPICIOUS_PNG_RATIO = 16;

/**
 * Refuses a PNG whose image data inflates to less than its declared size needs, when it is
 * suspiciously small (a header inflated by corruption, or a cut deflate stream): the PNG decoder
 * would spend the time and memory of the declared size, padding the missing rows with black, and
 * return a silently damaged image.
 */
async function checkPngData(png: Uint8Array, size: DeclaredSize, name: string, file: string | undefined): Promise<void> {
  const needed = pngRawLength(png);
  if (size.dataBytes === undefined || needed <= size.dataBytes * SUSPICIOUS_PNG_RATIO) return;
  const got = await pngInflatedLength(png, needed);
  if (got >= needed) return;
  throw new CtHemorrhageError(
    'DECODE_FAILED',
    `Could not decode ${name}: its PNG image data inflates to ${got} bytes, but its declared ${size.width} x ${size.height} pixels ` +
      `need ${needed}. The file is truncated or corrupt (or its header lies about its size); copy or export it again.`,
    { file, expected: needed, received: got },
  );
}

/** The error for bytes jimp could not decode: a corrupt file of a known format, or not an image at all. */
function decodeFailure(bytes: Uint8Array, name: string, file: string | undefined, cause: unknown): CtHemorrhageError {
  const format = imageFormat(bytes);
  if (format === undefined) {
    const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return new CtHemorrhageError(
      'DECODE_FAILED',
      `Could not decode ${name}: it is not a PNG, JPEG, BMP, TIFF or GIF image (it starts with the bytes ${head}). ` +
        'Give an image in one of those formats, or a DICOM file to decodeSlice.',
      { file },
      { cause },
    );
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  if (/maxResolutionInMP/.test(reason)) {
    return new CtHemorrhageError(
      'BAD_INPUT',
      `Refusing to decode ${name}: one of its JPEG frames is larger than the limit (maxPixels). The file is corrupt or far ` +
        'larger than a CT slice; if it is a genuine image, pass a larger { maxPixels } (Infinity for no limit) or downscale it first.',
      { file, option: 'maxPixels' },
      { cause },
    );
  }
  return new CtHemorrhageError(
    'DECODE_FAILED',
    `Could not decode ${name}: its ${format} data is corrupt or truncated (the decoder said: ${reason}). ` +
      'Copy or export the file again; if it opens elsewhere, re-save it as PNG.',
    { file },
    { cause },
  );
}

/**
 * Returns a one-channel copy of an RGBA image whose pixels are all grey (R = G = B) and opaque,
 * which loses nothing and takes a quarter of the memory; any other image is returned as is.
 */
export function compactGray(image: RawImage & { data: Uint8Array }): RawImage {
  const { data, width, height } = image;
  const pixels = width * height;
  for (let i = 0; i < pixels; i++) {
    const o = i * 4;
    if (data[o] !== data[o + 1] || data[o] !== data[o + 2] || data[o + 3] !== 255) return image;
  }
  const gray = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) gray[i] = data[i * 4] as number;
  return { data: gray, width, height, channels: 1 };
}
