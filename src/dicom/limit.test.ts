import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { thrownError } from '../../test/helpers.js';
import { decodeSlice } from '../decode/index.js';
import { readDicom, writeDicom } from './index.js';

const slice = (width: number, height: number) => writeDicom({ hu: new Float32Array(width * height).fill(40), width, height });

function element(bytes: Uint8Array, tag: string): dicomParser.Element {
  const e = dicomParser.parseDicom(bytes).elements[tag];
  if (!e) throw new Error(`no ${tag}`);
  return e;
}

/** A copy of `bytes` with the US value of `tag` replaced. */
function withUs(bytes: Uint8Array, tag: string, value: number): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setUint16(element(bytes, tag).dataOffset, value, true);
  return out;
}

/** A copy of explicit-VR `bytes` whose PixelData (OW, 4-byte length) declares `length` bytes. */
function withPixelLength(bytes: Uint8Array, length: number): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(element(bytes, 'x7fe00010').dataOffset - 4, length, true);
  return out;
}


describe('readDicom maxPixels', () => {
  it('refuses Rows x Columns 65535 x 65535 before touching the pixels, saying the limit and how to raise it', async () => {
    const bytes = withUs(withUs(slice(4, 4), 'x00280010', 65_535), 'x00280011', 65_535);
    const start = performance.now();
    const error = thrownError(() => readDicom(bytes, { name: 'huge.dcm' }));
    expect(performance.now() - start).toBeLessThan(250);
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toMatch(/huge\.dcm: its DICOM header declares 65535 x 65535 = 4,294,836,225 pixels, more than the limit of 16,777,216 \(maxPixels\)/);
    expect(error.message).toMatch(/pass a larger \{ maxPixels \}/);
    expect(error.details).toMatchObject({ file: 'huge.dcm', option: 'maxPixels' });
    await expect(decodeSlice(bytes, { name: 'huge.dcm' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('is configurable: 64 x 64 is refused with maxPixels 100 and read by default', async () => {
    const bytes = slice(64, 64);
    expect(thrownError(() => readDicom(bytes, { maxPixels: 100 })).message).toContain('64 x 64 = 4,096 pixels, more than the limit of 100');
    expect(readDicom(bytes).width).toBe(64);
    expect(readDicom(bytes, { maxPixels: 4096 }).width).toBe(64);
    await expect(decodeSlice(bytes, { maxPixels: 100 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(thrownError(() => readDicom(bytes, { maxPixels: 0 })).details.option).toBe('maxPixels');
  });

  it('reads a 1 x 1 slice', () => {
    expect(readDicom(slice(1, 1))).toMatchObject({ width: 1, height: 1, hu: Float32Array.of(40) });
  });
});

describe('readDicom with lying lengths', () => {
  const good = slice(8, 8); // 128 bytes of pixel data

  it('PixelData declaring fewer bytes than Rows x Columns need -> DECODE_FAILED', () => {
    const error = thrownError(() => readDicom(withPixelLength(good, 64), { name: 'short.dcm' }));
    expect(error.code).toBe('DECODE_FAILED');
    expect(error.message).toMatch(/short\.dcm: its pixel data holds 64 bytes, but 8 x 8 pixels of 16 bits need 128/);
  });

  it('PixelData declaring more bytes than the file holds: read when the pixels are all there, else DECODE_FAILED', () => {
    expect(readDicom(withPixelLength(good, 1 << 30))).toMatchObject({ width: 8, height: 8 });
    const cut = withPixelLength(good, 1 << 30).slice(0, good.length - 10);
    expect(thrownError(() => readDicom(cut, { name: 'long.dcm' })).message).toMatch(/long\.dcm: its pixel data holds 118 bytes/);
  });

  it('Rows x Columns larger than the pixel data (but under the limit) -> DECODE_FAILED', () => {
    const error = thrownError(() => readDicom(withUs(good, 'x00280010', 4000), { name: 'rows.dcm' }));
    expect(error.code).toBe('DECODE_FAILED');
    expect(error.details).toMatchObject({ expected: 4000 * 8 * 2, received: 128 });
  });

  it('PixelData longer than needed (trailing bytes) is read from its start, as other readers do', () => {
    const smaller = withUs(good, 'x00280010', 4); // 4 x 8 needs 64 of the 128 bytes
    expect(readDicom(smaller)).toMatchObject({ width: 8, height: 4 });
  });

  it('Rows 0 or a missing PixelData -> DECODE_FAILED, not a crash', () => {
    expect(thrownError(() => readDicom(withUs(good, 'x00280010', 0), { name: 'zero.dcm' })).message).toMatch(/lacks Rows, Columns/);
    const pd = element(good, 'x7fe00010');
    const noPixels = good.slice(0, pd.dataOffset - 12);
    expect(thrownError(() => readDicom(noPixels, { name: 'nopix.dcm' })).message).toMatch(/no PixelData \(7FE0,0010\)/);
  });
});
