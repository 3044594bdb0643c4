import { CtHemorrhageError } from '../errors/index.js';
import type { DeclaredSize } from './dimensions.js';

/**
 * Default of the `maxPixels` decode option: 4096 x 4096 = 16,777,216 pixels. CT slices are
 * 512 x 512 and photographs of film a few megapixels; a file declaring more is refused before
 * anything is allocated for it (a decompression bomb: a few kilobytes that decode to gigabytes).
 */
export const DEFAULT_MAX_PIXELS = 4096 * 4096;

/** The `maxPixels` option checked: a positive number (`Infinity` turns the limit off), default {@link DEFAULT_MAX_PIXELS}. */
export function resolveMaxPixels(maxPixels: number | undefined): number {
  if (maxPixels === undefined) return DEFAULT_MAX_PIXELS;
  if (typeof maxPixels !== 'number' || Number.isNaN(maxPixels) || maxPixels < 1) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `maxPixels must be a number >= 1 (Infinity for no limit); got ${String(maxPixels)}.`,
      { option: 'maxPixels', expected: '>= 1', received: maxPixels },
    );
  }
  return maxPixels;
}

/**
 * Checks an image's `width x height`, as its header declares it (call it before decoding) or as a
 * decoder returned it: `DECODE_FAILED` for an empty image (a width or height of 0, which only a
 * corrupt header gives), `BAD_INPUT` over `maxPixels`, saying the size, the limit and how to raise it.
 */
export function checkImageSize(
  size: { readonly width: number; readonly height: number },
  maxPixels: number,
  name: string,
  file: string | undefined,
  format: string,
): void {
  const { width, height } = size;
  if (!(width >= 1 && height >= 1)) {
    throw new CtHemorrhageError(
      'DECODE_FAILED',
      `Could not decode ${name}: its ${format} header declares ${width} x ${height} pixels, an empty image, so the file is ` +
        'corrupt. Copy or export it again.',
      { file, received: { width, height } },
    );
  }
  const pixels = width * height;
  if (pixels <= maxPixels) return;
  throw new CtHemorrhageError(
    'BAD_INPUT',
    `Refusing to decode ${name}: its ${format} header declares ${width} x ${height} = ${pixels.toLocaleString('en-US')} pixels, ` +
      `more than the limit of ${maxPixels.toLocaleString('en-US')} (maxPixels). The file is corrupt or far larger than a CT slice; ` +
      'if it is a genuine image, pass a larger { maxPixels } (Infinity for no limit) or downscale it first.',
    { file, option: 'maxPixels', expected: maxPixels, received: { width, height, pixels } },
  );
}

/**
 * Throws `DECODE_FAILED` when a PNG or JPEG holds fewer bytes of compressed image data than its
 * declared size needs (a cut file or an inflated header). Decoders would allocate, and spend
 * time filling, the whole declared image before failing, or pad it with black.
 */
export function checkDataLength(declared: DeclaredSize, name: string, file: string | undefined): void {
  const { dataBytes, minDataBytes } = declared;
  if (dataBytes === undefined || minDataBytes === undefined || dataBytes >= minDataBytes) return;
  throw new CtHemorrhageError(
    'DECODE_FAILED',
    `Could not decode ${name}: its ${declared.format} header declares ${declared.width} x ${declared.height} pixels, which need ` +
      `at least ${minDataBytes} bytes of compressed image data, but it holds ${dataBytes}. The file is truncated or its header ` +
      'is corrupt; copy or export it again.',
    { file, expected: minDataBytes, received: dataBytes },
  );
}
