import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { CtHemorrhageError } from '../errors/index.js';
import { isPng, readHuPng } from './index.js';
import { decodePng16 } from './png16.js';

function png16(values: number[], width: number, channels = 1): Uint8Array {
  return encode({ width, height: values.length / width / channels, data: Uint16Array.from(values), depth: 16, channels });
}

describe('readHuPng', () => {
  it('reads HU = stored - offset (default 1024)', () => {
    const slice = readHuPng(png16([24, 1024, 1064, 3024], 2), { name: 'hu.png' });
    expect(slice).toMatchObject({ width: 2, height: 2 });
    expect(Array.from(slice.hu)).toEqual([-1000, 0, 40, 2000]);
  });

  it('takes another offset and slope', () => {
    const slice = readHuPng(png16([32768 - 1000, 32768 + 40], 2), { offset: 32768 });
    expect(Array.from(slice.hu)).toEqual([-1000, 40]);
    expect(Array.from(readHuPng(png16([100], 1), { offset: 1000, slope: 2 }).hu)).toEqual([-800]);
  });

  it.each([
    ['an empty file', new Uint8Array(0), 'DECODE_FAILED', /empty/],
    ['text', new TextEncoder().encode('hello, not a png'), 'DECODE_FAILED', /not a PNG/],
    ['a truncated PNG', png16(new Array(64).fill(500), 8).slice(0, 40), 'DECODE_FAILED', /truncated or corrupt/],
    ['an 8-bit PNG', encode({ width: 1, height: 1, data: Uint8Array.of(7), depth: 8, channels: 1 }), 'BAD_INPUT', /8-bit/],
    ['an RGB 16-bit PNG', png16([1, 2, 3], 1, 3), 'BAD_INPUT', /3 channel/],
  ] as const)('refuses %s naming the file', (_what, bytes, code, message) => {
    try {
      readHuPng(bytes, { name: 'bad.png' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CtHemorrhageError);
      expect((error as CtHemorrhageError).code).toBe(code);
      expect((error as CtHemorrhageError).message).toMatch(message);
      expect((error as CtHemorrhageError).message).toContain('bad.png');
      expect((error as CtHemorrhageError).details.file).toBe('bad.png');
    }
  });
});

describe('decodePng16', () => {
  it('keeps 16-bit precision as 0-255 floats', () => {
    const image = decodePng16(png16([0, 257, 65535, 32896], 2), 'x.png');
    expect(image.channels).toBe(1);
    expect(Array.from(image.data)).toEqual([0, 1, 255, 128].map((v) => Math.fround(v)));
  });

  it('recognises the PNG signature', () => {
    expect(isPng(png16([1], 1))).toBe(true);
    expect(isPng(Uint8Array.of(1, 2, 3))).toBe(false);
  });
});
