import { Jimp } from 'jimp';
import { CtHemorrhageError } from '../errors/index.js';
import type { RawImage } from '../preprocessing/index.js';

/** Options of {@link decodeImage}. */
export interface DecodeOptions {
  /** Name shown in errors (a file name, say). */
  name?: string;
}

function toArrayBuffer(bytes: Uint8Array | ArrayBuffer): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Decodes PNG, JPEG, BMP, TIFF or GIF bytes with jimp into a {@link RawImage}: one channel when
 * every pixel is grey and opaque, RGBA otherwise.
 * Throws `DECODE_FAILED` naming the input when the bytes are not a readable image.
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
  let image: Awaited<ReturnType<typeof Jimp.fromBuffer>>;
  try {
    image = await Jimp.fromBuffer(toArrayBuffer(bytes));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new CtHemorrhageError(
      'DECODE_FAILED',
      `Could not decode ${name} (${reason}). Give a PNG, JPEG, BMP, TIFF or GIF image.`,
      { file: options.name },
      { cause },
    );
  }
  const { data, width, height } = image.bitmap;
  return compactGray({ data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height, channels: 4 });
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
