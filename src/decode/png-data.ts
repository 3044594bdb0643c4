/** Adam7 passes: x start, x step, y start, y step. */
const ADAM7 = [
  [0, 8, 0, 8],
  [4, 8, 0, 8],
  [0, 4, 4, 8],
  [2, 4, 0, 4],
  [0, 2, 2, 4],
  [1, 2, 0, 2],
  [0, 1, 1, 2],
] as const;

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function u32(b: Uint8Array, o: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(o, false);
}

/** Filtered bytes a PNG's IDAT stream must inflate to (rows with their filter byte, per Adam7 pass when interlaced); needs the 29-byte IHDR. */
export function pngRawLength(b: Uint8Array): number {
  const width = u32(b, 16);
  const height = u32(b, 20);
  const bits = (b[24] as number) * (CHANNELS[b[25] as number] ?? 1);
  const rows = (w: number, h: number) => (w > 0 && h > 0 ? h * (1 + Math.ceil((w * bits) / 8)) : 0);
  if (b[28] !== 1) return rows(width, height);
  return ADAM7.reduce((sum, [x0, dx, y0, dy]) => sum + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)), 0);
}

/** The data of every IDAT chunk, in order (cut chunks included as far as they go). */
function idatChunks(b: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let o = 8; o + 8 <= b.length; ) {
    const length = u32(b, o);
    if (b[o + 4] === 0x49 && b[o + 5] === 0x44 && b[o + 6] === 0x41 && b[o + 7] === 0x54) parts.push(b.subarray(o + 8, Math.min(b.length, o + 8 + length)));
    o += 12 + length;
  }
  return parts;
}

/** Bytes of compressed image data (all IDAT chunks) in a PNG. */
export function pngDataLength(b: Uint8Array): number {
  return idatChunks(b).reduce((n, p) => n + p.length, 0);
}

/** The concatenated IDAT data. */
function idat(b: Uint8Array): Uint8Array<ArrayBuffer> {
  const parts = idatChunks(b);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * How many bytes a PNG's image data inflates to, counting no further than `enough` (so a
 * decompression bomb costs no more than the image it claims to be), with the platform's
 * DecompressionStream. A stream that is corrupt or ends early counts what it gave before.
 */
export async function pngInflatedLength(b: Uint8Array, enough: number): Promise<number> {
  const stream = new Blob([idat(b)]).stream().pipeThrough(new DecompressionStream('deflate'));
  const reader = stream.getReader();
  let total = 0;
  try {
    while (total < enough) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
    }
  } catch {
    // corrupt or cut deflate data: what came out before is what counts
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return total;
}
