import { encode } from 'fast-png';
import { Jimp } from 'jimp';
import { describe, expect, it } from 'vitest';
import { CtHemorrhageError } from '../errors/index.js';
import { declaredSize } from './dimensions.js';
import { decodeImage, decodeSlice, readHuPng } from './index.js';
import { DEFAULT_MAX_PIXELS } from './limit.js';

async function jimpImage(width: number, height: number, mime: 'image/png' | 'image/jpeg'): Promise<Uint8Array> {
  const image = new Jimp({ width, height, color: 0x808080ff });
  return new Uint8Array(await image.getBuffer(mime));
}

/** A PNG written by hand: signature, an IHDR declaring `width x height` RGBA, a tiny IDAT, IEND (CRCs left zero). */
function pngDeclaring(width: number, height: number): Uint8Array {
  const b = new Uint8Array(8 + 25 + 14 + 12);
  const v = new DataView(b.buffer);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  v.setUint32(8, 13);
  b.set([0x49, 0x48, 0x44, 0x52], 12); // IHDR
  v.setUint32(16, width);
  v.setUint32(20, height);
  b.set([8, 6, 0, 0, 0], 24);
  v.setUint32(33, 2);
  b.set([0x49, 0x44, 0x41, 0x54, 0x78, 0x9c], 37); // IDAT with a zlib header only
  b.set([0x49, 0x45, 0x4e, 0x44], 51); // IEND
  return b;
}

/** Offset of the first SOF0 marker of a JPEG. */
function sofOffset(jpeg: Uint8Array): number {
  for (let o = 2; o < jpeg.length - 1; o++) if (jpeg[o] === 0xff && jpeg[o + 1] === 0xc0) return o;
  throw new Error('no SOF0');
}

/** A copy of `jpeg` whose SOF declares `width x height`. */
function withSof(jpeg: Uint8Array, width: number, height: number): Uint8Array {
  const b = jpeg.slice();
  const o = sofOffset(b);
  new DataView(b.buffer).setUint16(o + 5, height);
  new DataView(b.buffer).setUint16(o + 7, width);
  return b;
}

async function thrown(fn: () => unknown): Promise<CtHemorrhageError> {
  const start = performance.now();
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CtHemorrhageError);
    expect(performance.now() - start).toBeLessThan(250); // refused from the header, nothing decoded
    return error as CtHemorrhageError;
  }
  throw new Error('expected an error');
}

describe('maxPixels: images of absurd declared size are refused before decoding', () => {
  it('the default is 4096 x 4096', () => {
    expect(DEFAULT_MAX_PIXELS).toBe(16_777_216);
  });

  it('refuses a PNG whose IHDR declares 100000 x 100000, saying the size, the limit and how to raise it', async () => {
    const error = await thrown(() => decodeImage(pngDeclaring(100_000, 100_000), { name: 'bomb.png' }));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toContain('bomb.png');
    expect(error.message).toContain('100000 x 100000 = 10,000,000,000 pixels');
    expect(error.message).toContain('16,777,216');
    expect(error.message).toMatch(/maxPixels/);
    expect(error.details).toMatchObject({ file: 'bomb.png', option: 'maxPixels', expected: 16_777_216, received: { width: 100_000, height: 100_000 } });
    // decodeSlice and the 16-bit / HU PNG readers check the same header
    expect((await thrown(() => decodeSlice(pngDeclaring(100_000, 100_000), { name: 'bomb.png' }))).code).toBe('BAD_INPUT');
    const hu16 = pngDeclaring(100_000, 100_000);
    hu16.set([16, 0], 24);
    expect((await thrown(() => decodeSlice(hu16, { name: 'bomb16.png' }))).message).toContain('bomb16.png');
    expect((await thrown(() => readHuPng(hu16, { name: 'bomb16.png' }))).code).toBe('BAD_INPUT');
  });

  it('refuses a JPEG whose SOF declares 65535 x 65535', async () => {
    const jpeg = withSof(await jimpImage(16, 16, 'image/jpeg'), 65_535, 65_535);
    expect(declaredSize(jpeg)).toMatchObject({ format: 'JPEG', width: 65_535, height: 65_535 });
    const error = await thrown(() => decodeImage(jpeg, { name: 'bomb.jpg' }));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toMatch(/JPEG header declares 65535 x 65535 = 4,294,836,225 pixels.*16,777,216 \(maxPixels\)/);
  });

  it.each(['image/png', 'image/jpeg'] as const)('is configurable: a 64 x 64 %s is refused with maxPixels 100 and decodes by default', async (mime) => {
    const bytes = await jimpImage(64, 64, mime);
    const error = await thrown(() => decodeImage(bytes, { name: 'small', maxPixels: 100 }));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toContain('64 x 64 = 4,096 pixels, more than the limit of 100');
    expect(await decodeImage(bytes)).toMatchObject({ width: 64, height: 64 });
    expect(await decodeSlice(bytes, { maxPixels: 4096 })).toMatchObject({ width: 64, height: 64 });
    await expect(decodeSlice(bytes, { maxPixels: 4095 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(await decodeImage(bytes, { maxPixels: Infinity })).toMatchObject({ width: 64 });
  });

  it('applies to 16-bit and HU PNGs through decodeSlice and readHuPng', async () => {
    const png16 = encode({ width: 64, height: 64, data: new Uint16Array(64 * 64).fill(1024), depth: 16, channels: 1 });
    await expect(decodeSlice(png16, { maxPixels: 100 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(decodeSlice(png16, { maxPixels: 100, huOffset: 1024 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(() => readHuPng(png16, { maxPixels: 100 })).toThrow(/more than the limit of 100/);
    expect(readHuPng(png16).width).toBe(64);
  });

  it.each([0, -5, Number.NaN])('refuses maxPixels %s as BAD_INPUT', async (maxPixels) => {
    await expect(decodeImage(await jimpImage(2, 2, 'image/png'), { maxPixels })).rejects.toMatchObject({ code: 'BAD_INPUT', details: { option: 'maxPixels' } });
  });
});

describe('declared size against the data present', () => {
  it('refuses a PNG whose header claims far more pixels than its image data can hold', async () => {
    const png = await jimpImage(8, 8, 'image/png');
    const big = png.slice();
    new DataView(big.buffer).setUint32(16, 2000);
    new DataView(big.buffer).setUint32(20, 2000);
    const error = await thrown(() => decodeImage(big, { name: 'liar.png' }));
    expect(error.code).toBe('DECODE_FAILED');
    expect(error.message).toMatch(/liar\.png: its PNG header declares 2000 x 2000 pixels, which need at least \d+ bytes/);
  });

  it('refuses a PNG whose image data inflates to less than its declared rows need (instead of padding with black)', async () => {
    const png = await jimpImage(32, 32, 'image/png');
    const taller = png.slice();
    new DataView(taller.buffer).setUint32(20, 64); // within the deflate ratio, but half the rows are missing
    const error = await thrown(() => decodeImage(taller, { name: 'short.png' }));
    expect(error.code).toBe('DECODE_FAILED');
    expect(error.message).toMatch(/short\.png: its PNG image data inflates to \d+ bytes, but its declared 32 x 64 pixels need \d+/);
  });

  it('refuses a JPEG whose scan is far too short for its declared frame, before the decoder allocates it', async () => {
    const jpeg = withSof(await jimpImage(16, 16, 'image/jpeg'), 4000, 4000);
    const error = await thrown(() => decodeImage(jpeg, { name: 'liar.jpg' }));
    expect(error.code).toBe('DECODE_FAILED');
    expect(error.message).toMatch(/liar\.jpg: its JPEG header declares 4000 x 4000 pixels, which need at least \d+ bytes/);
  });

  it('refuses a header declaring a width or height of 0 (decoders would return an empty image)', async () => {
    const png16 = encode({ width: 4, height: 4, data: new Uint16Array(16), depth: 16, channels: 1 });
    new DataView(png16.buffer, png16.byteOffset).setUint32(20, 0);
    const error = await thrown(() => decodeSlice(png16, { name: 'flat.png' }));
    expect(error.code).toBe('DECODE_FAILED');
    expect(error.message).toMatch(/flat\.png: its PNG header declares 4 x 0 pixels, an empty image/);
    const jpeg = withSof(await jimpImage(16, 16, 'image/jpeg'), 0, 16);
    expect((await thrown(() => decodeImage(jpeg, { name: 'flat.jpg' }))).message).toMatch(/declares 0 x 16 pixels, an empty image/);
  });

  it('names a corrupt file of a known format, and says when bytes are no image at all', async () => {
    const png = await jimpImage(16, 16, 'image/png');
    const cut = png.slice(0, png.length - 20);
    const corrupt = await thrown(() => decodeImage(cut, { name: 'cut.png' }));
    expect(corrupt.message).toMatch(/cut\.png: its PNG data is corrupt or truncated/);
    const text = await thrown(() => decodeImage(new TextEncoder().encode('hello there'), { name: 'notes.png' }));
    expect(text.message).toMatch(/notes\.png: it is not a PNG, JPEG, BMP, TIFF or GIF image \(it starts with the bytes 68 65 6c/);
  });
});

describe('1 x 1 images', () => {
  it.each(['image/png', 'image/jpeg'] as const)('a 1 x 1 %s decodes', async (mime) => {
    expect(await decodeImage(await jimpImage(1, 1, mime))).toMatchObject({ width: 1, height: 1, channels: 1 });
    expect(await decodeSlice(await jimpImage(1, 1, mime))).toMatchObject({ width: 1, height: 1 });
  });

  it('a 1 x 1 16-bit PNG decodes as display and as HU', async () => {
    const png16 = encode({ width: 1, height: 1, data: Uint16Array.of(1064), depth: 16, channels: 1 });
    expect(await decodeSlice(png16)).toMatchObject({ width: 1, height: 1 });
    expect(Array.from(readHuPng(png16).hu)).toEqual([40]);
  });
});
