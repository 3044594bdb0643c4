import { pngDataLength, pngRawLength } from './png-data.js';

/** The size an image file declares in its header, read without decoding it. */
export interface DeclaredSize {
  /** The container format the size was read from. */
  readonly format: 'PNG' | 'JPEG' | 'GIF' | 'BMP';
  readonly width: number;
  readonly height: number;
  /**
   * PNG and JPEG: the fewest bytes of compressed image data that can hold the declared size, and
   * the bytes the file holds (PNG: IDAT chunks, which deflate at most 1032:1; JPEG: entropy-coded
   * scans, where every 8 x 8 block of every component takes at least one bit, two in a sequential
   * scan). Fewer means a truncated file or a lying header.
   */
  readonly minDataBytes?: number;
  readonly dataBytes?: number;
}

/** Deflate's best case: 258 bytes from one length/distance pair of about two bits. */
const MAX_DEFLATE_RATIO = 1032;

/** A PNG's IHDR size and its IDAT bytes against the fewest that can inflate to the declared pixels. */
function pngSize(b: Uint8Array): DeclaredSize | undefined {
  const ihdr = b[12] === 0x49 && b[13] === 0x48 && b[14] === 0x44 && b[15] === 0x52;
  if (!ihdr) return undefined;
  const size = { format: 'PNG', width: u32be(b, 16), height: u32be(b, 20) } as const;
  if (b.length < 29) return size;
  return { ...size, dataBytes: pngDataLength(b), minDataBytes: Math.floor(pngRawLength(b) / MAX_DEFLATE_RATIO) };
}

/** JPEG start-of-frame markers (SOF0-SOF15 less DHT C4, JPG C8 and DAC CC): they carry the frame size. */
function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/**
 * Minimum entropy-coded bytes of a Huffman-coded frame (SOF0-3, 5-7); 0 for arithmetic coding.
 * Reads the component list from the bytes, as decoders do, whatever the segment length says.
 */
function minScanBytes(b: Uint8Array, o: number, width: number, height: number): number {
  const marker = b[o + 1] as number;
  if (marker >= 0xc9) return 0; // arithmetic coding can spend less than a bit per block
  const count = b[o + 9] ?? 0;
  const factors: [number, number][] = [];
  for (let k = 0, at = o + 10; k < count && at + 1 < b.length; k++, at += 3) {
    const hv = b[at + 1] as number;
    factors.push([Math.max(1, hv >> 4), Math.max(1, hv & 15)]);
  }
  if (factors.length === 0) factors.push([1, 1]);
  const maxH = Math.max(...factors.map(([h]) => h));
  const maxV = Math.max(...factors.map(([, v]) => v));
  const cols = Math.ceil(width / 8);
  const rows = Math.ceil(height / 8);
  const blocks = factors.reduce((sum, [h, v]) => sum + Math.ceil((cols * h) / maxH) * Math.ceil((rows * v) / maxV), 0);
  // Sequential scans code a DC difference and an end-of-block per block; a progressive DC scan at least one symbol.
  const bitsPerBlock = marker === 0xc2 || marker === 0xc6 ? 1 : 2;
  return Math.ceil((blocks * bitsPerBlock) / 8);
}

/**
 * Largest frame of a JPEG and the bytes of its scans: walks every marker segment and the
 * entropy-coded data between. Frame and scan headers span what their component counts say,
 * whatever their length fields say, and a length under 2 skips just the length, as jpeg-js
 * reads them, so no frame it will allocate is missed.
 */
function jpegSize(b: Uint8Array): DeclaredSize | undefined {
  let best: DeclaredSize | undefined;
  let scanBytes = 0;
  let scanStart = -1;
  let o = 2;
  while (o + 1 < b.length) {
    if (b[o] !== 0xff) {
      o++; // entropy-coded data, or garbage between segments
      continue;
    }
    const marker = b[o + 1] as number;
    // Fill bytes, stuffed zero, restart markers, TEM and SOI stand alone, without a length.
    if (marker === 0xff) {
      o++;
      continue;
    }
    if (marker === 0x00 || marker === 0x01 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      o += 2;
      continue;
    }
    if (scanStart >= 0) scanBytes += o - scanStart;
    scanStart = -1;
    if (marker === 0xd9 || o + 3 >= b.length) break;
    const length = ((b[o + 2] as number) << 8) | (b[o + 3] as number);
    let end = o + 2 + Math.max(2, length);
    if (isSof(marker) && o + 8 < b.length) {
      const height = ((b[o + 5] as number) << 8) | (b[o + 6] as number);
      const width = ((b[o + 7] as number) << 8) | (b[o + 8] as number);
      if (best === undefined || width * height > best.width * best.height) {
        best = { format: 'JPEG', width, height, minDataBytes: minScanBytes(b, o, width, height) };
      }
      end = o + 10 + 3 * (b[o + 9] ?? 0);
    }
    if (marker === 0xda) {
      end = o + 8 + 2 * (b[o + 4] ?? 0);
      scanStart = Math.min(b.length, end);
    }
    o = end;
  }
  if (scanStart >= 0) scanBytes += Math.max(0, b.length - scanStart);
  return best && { ...best, dataBytes: scanBytes };
}

function u32be(b: Uint8Array, o: number): number {
  return (((b[o] as number) << 24) >>> 0) + (((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number));
}

function u16le(b: Uint8Array, o: number): number {
  return (b[o] as number) | ((b[o + 1] as number) << 8);
}

function i32le(b: Uint8Array, o: number): number {
  return (b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24);
}

/** The image format `b` starts like, from its signature; `undefined` when none of those jimp reads. */
export function imageFormat(b: Uint8Array): 'PNG' | 'JPEG' | 'GIF' | 'BMP' | 'TIFF' | undefined {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'PNG';
  if (b[0] === 0xff && b[1] === 0xd8) return 'JPEG';
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'GIF';
  if (b[0] === 0x42 && b[1] === 0x4d) return 'BMP';
  if ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a)) return 'TIFF';
  return undefined;
}

/**
 * Width and height declared by a PNG (IHDR), JPEG (largest SOFn frame), GIF (logical screen)
 * or BMP (DIB header), read from the header bytes only; `undefined` for other formats and for
 * headers too short to hold a size.
 */
export function declaredSize(b: Uint8Array): DeclaredSize | undefined {
  const format = imageFormat(b);
  if (format === 'PNG' && b.length >= 24) return pngSize(b);
  if (format === 'JPEG') return jpegSize(b);
  if (format === 'GIF' && b.length >= 10) return { format, width: u16le(b, 6), height: u16le(b, 8) };
  if (format === 'BMP' && b.length >= 26) {
    if (i32le(b, 14) === 12) return { format, width: u16le(b, 18), height: u16le(b, 20) };
    return { format, width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
  }
  return undefined;
}
