// The forward convolution of a 3x3 filter, stride 1, by Winograd's F(4x4, 3x3): each 4x4 block
// of outputs from a 6x6 block of inputs with 36 products per input and output channel pair
// instead of 144. Transforms of Lavin & Gray (2016):
//   B^T = [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0],
//          [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]]
//   G   = [[1/4, 0, 0], [-1/6, -1/6, -1/6], [-1/6, 1/6, -1/6], [1/24, 1/12, 1/6], [1/24, -1/12, 1/6], [0, 0, 1]]
//   A^T = [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]]
import { madd, pixel } from './simd';

/** Products per channel pair and tile: the 6x6 transformed block. */
export const WINOGRAD_K: i32 = 36;

// Tiles per block: their transformed inputs and products stay in cache.
const TILES: i32 = 16;

/**
 * Floats between the 36 planes of a transformed block beyond the tiles' own: without them a
 * plane of 16 or 32 tiles x 32 channels is 2 or 4 KiB, and the 36 stores of one tile's
 * transform all land on one or two cache sets (measured: the filter gradient of a 16x63x63x32
 * convolution took 30 ms unpadded, 17 ms padded).
 */
export const PLANE_PAD: i32 = 16;

// Floats of one plane of V (c = ci) or M (c = co).
@inline function planeFloats(c: i32): i32 {
  return TILES * c + PLANE_PAD;
}

/** Two 6x6 blocks of 4-lane vectors for the transforms' intermediate results. */
export const TEMP_FLOATS: i32 = 2 * 36 * 4;

/** Floats of scratch memory {@link conv2dWinograd} needs for ci input and co output channels. */
export function winogradScratchFloats(ci: i32, co: i32): i32 {
  return WINOGRAD_K * ci * co + tileScratchFloats(ci, co);
}

function tileScratchFloats(ci: i32, co: i32): i32 {
  return WINOGRAD_K * (planeFloats(ci) + planeFloats(co)) + TEMP_FLOATS;
}

/**
 * The same convolution as conv2dForward for a 3x3 filter, stride 1 and dilation 1. Needs
 * ci % 4 == 0, co % 8 == 0 and winogradScratchFloats(ci, co) floats of scratch at scratchPtr.
 */
export function conv2dWinograd(
  xPtr: usize, filterPtr: usize, biasPtr: usize, outPtr: usize, scratchPtr: usize,
  n: i32, h: i32, w: i32, ci: i32, ho: i32, wo: i32, co: i32, padTop: i32, padLeft: i32, relu: i32,
): void {
  winogradFilter(filterPtr, scratchPtr, ci, co);
  winogradTiles(xPtr, scratchPtr, biasPtr, outPtr, scratchPtr + (<usize>(WINOGRAD_K * ci * co) << 2), n, h, w, ci, ho, wo, co, padTop, padLeft, relu);
}

/** conv2dWinograd with the filter already transformed into uPtr (winogradFilter); tilePtr: the rest of the scratch. */
export function winogradTiles(
  xPtr: usize, uPtr: usize, biasPtr: usize, outPtr: usize, tilePtr: usize,
  n: i32, h: i32, w: i32, ci: i32, ho: i32, wo: i32, co: i32, padTop: i32, padLeft: i32, relu: i32,
): void {
  const vPtr = tilePtr;
  const mPtr = vPtr + (<usize>(WINOGRAD_K * planeFloats(ci)) << 2);
  const temp = mPtr + (<usize>(WINOGRAD_K * planeFloats(co)) << 2);
  memory.fill(vPtr, 0, <usize>(WINOGRAD_K * planeFloats(ci)) << 2); // unused tile rows hold finite values
  const tilesH = (ho + 3) >> 2, tilesW = (wo + 3) >> 2;
  const perImage = tilesH * tilesW;
  const total = n * perImage;
  for (let t0 = 0; t0 < total; t0 += TILES) {
    const count = min(TILES, total - t0);
    for (let t = 0; t < count; t++) {
      const g = t0 + t;
      const b = g / perImage, r = g % perImage;
      inputTile(xPtr, vPtr, temp, <usize>planeFloats(ci) << 2, t, b, ((r / tilesW) << 2) - padTop, ((r % tilesW) << 2) - padLeft, h, w, ci);
    }
    products(uPtr, vPtr, mPtr, count, ci, co);
    for (let t = 0; t < count; t++) {
      const g = t0 + t;
      const b = g / perImage, r = g % perImage;
      outputTile(mPtr, temp, biasPtr, outPtr, t, b, (r / tilesW) << 2, (r % tilesW) << 2, ho, wo, co, relu);
    }
  }
}

/** U[k][c][o] = (G g G^T)[k] for every input channel c and output channel o, k = 6 * row + column. */
export function winogradFilter(filterPtr: usize, uPtr: usize, ci: i32, co: i32): void {
  const plane = <usize>(ci * co) << 2;
  for (let c = 0; c < ci; c++) {
    for (let o = 0; o < co; o++) {
      const src = filterPtr + (<usize>(c * co + o) << 2);
      const dst = uPtr + (<usize>(c * co + o) << 2);
      for (let i = 0; i < 6; i++) {
        // row i of G g over the 3 filter columns, then that row times G^T
        const a = gRow(src, plane, i, 0), b = gRow(src, plane, i, 1), c2 = gRow(src, plane, i, 2);
        for (let j = 0; j < 6; j++) store<f32>(dst + <usize>(6 * i + j) * plane, g6(a, b, c2, j));
      }
    }
  }
}

// (G g)[i][j]: transform i of filter column j.
@inline function gRow(src: usize, plane: usize, i: i32, j: i32): f32 {
  return g6(load<f32>(src + <usize>j * plane), load<f32>(src + <usize>(3 + j) * plane), load<f32>(src + <usize>(6 + j) * plane), i);
}

// Row i of G times (g0, g1, g2).
@inline function g6(g0: f32, g1: f32, g2: f32, i: i32): f32 {
  if (i == 0) return g0 / 4;
  if (i == 1) return -(g0 + g1 + g2) / 6;
  if (i == 2) return -(g0 - g1 + g2) / 6;
  if (i == 3) return g0 / 24 + g1 / 12 + g2 / 6;
  if (i == 4) return g0 / 24 - g1 / 12 + g2 / 6;
  return g2;
}

/**
 * V[k][t][c] = (B^T d B)[k] for the 6x6 input block d at (y0, x0) of image b (zeros outside x);
 * kStride is the distance in bytes from V[k] to V[k + 1]; temp holds TEMP_FLOATS floats.
 */
export function inputTile(xPtr: usize, vPtr: usize, temp: usize, kStride: usize, t: i32, b: i32, y0: i32, x0: i32, h: i32, w: i32, ci: i32): void {
  const image = xPtr + (<usize>(b * h * w * ci) << 2);
  const inside = y0 >= 0 && x0 >= 0 && y0 + 6 <= h && x0 + 6 <= w;
  const copy = temp + 36 * 16;
  const cs = <usize>ci << 2;
  for (let c = 0; c < ci; c += 4) {
    // the block, straight from x or through a zero-padded copy
    let src = image + (<usize>((y0 * w + x0) * ci + c) << 2), rowStride = <usize>(w * ci) << 2, colStride = cs;
    if (!inside) {
      const base = image + (<usize>c << 2);
      for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) v128.store(copy + <usize>(6 * i + j) * 16, pixel(base, y0 + i, x0 + j, h, w, ci));
      src = copy; rowStride = 6 * 16; colStride = 16;
    }
    // B^T d, column by column, into temp (6x6, row-major); then (B^T d) B, row by row, into V
    for (let j = 0; j < 6; j++) bt6(src + <usize>j * colStride, rowStride, temp + <usize>j * 16, 6 * 16);
    const out = vPtr + (<usize>(t * ci + c) << 2);
    for (let i = 0; i < 6; i++) bt6(temp + <usize>(6 * i) * 16, 16, out + <usize>(6 * i) * kStride, kStride);
  }
}

// B^T times the 6 vectors at src + k * srcStride, stored at dst + k * dstStride.
@inline function bt6(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  const d0 = v128.load(src), d1 = v128.load(src + srcStride), d2 = v128.load(src + 2 * srcStride);
  const d3 = v128.load(src + 3 * srcStride), d4 = v128.load(src + 4 * srcStride), d5 = v128.load(src + 5 * srcStride);
  const four = f32x4.splat(4), five = f32x4.splat(5), two = f32x4.splat(2);
  const d4d2 = f32x4.sub(d4, d2);
  v128.store(dst, f32x4.sub(f32x4.add(f32x4.mul(four, d0), d4), f32x4.mul(five, d2)));
  v128.store(dst + dstStride, f32x4.sub(f32x4.add(d3, d4), f32x4.mul(four, f32x4.add(d1, d2))));
  v128.store(dst + 2 * dstStride, f32x4.add(f32x4.sub(d4, d3), f32x4.mul(four, f32x4.sub(d1, d2))));
  const d1d3 = f32x4.mul(two, f32x4.sub(d1, d3));
  v128.store(dst + 3 * dstStride, f32x4.sub(d4d2, d1d3));
  v128.store(dst + 4 * dstStride, f32x4.add(d4d2, d1d3));
  v128.store(dst + 5 * dstStride, f32x4.sub(f32x4.add(f32x4.mul(four, d1), d5), f32x4.mul(five, d3)));
}

// M[k][t][o] = sum over c of V[k][t][c] * U[k][c][o], for the first `count` tiles (in fours).
function products(uPtr: usize, vPtr: usize, mPtr: usize, count: i32, ci: i32, co: i32): void {
  const coBytes = <usize>co << 2, ciBytes = <usize>ci << 2;
  for (let k = 0; k < WINOGRAD_K; k++) {
    const uk = uPtr + (<usize>(k * ci * co) << 2);
    const vk = vPtr + (<usize>(k * planeFloats(ci)) << 2);
    const mk = mPtr + (<usize>(k * planeFloats(co)) << 2);
    for (let t = 0; t < count; t += 4) {
      const v0 = vk + <usize>t * ciBytes;
      for (let o = 0; o < co; o += 8) {
        let a00 = f32x4.splat(0), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        let up = uk + (<usize>o << 2);
        let vp = v0;
        for (let c = 0; c < ci; c++) {
          const f0 = v128.load(up), f1 = v128.load(up, 16);
          const x0 = v128.load32_splat(vp);
          a00 = madd(x0, f0, a00); a01 = madd(x0, f1, a01);
          const x1 = v128.load32_splat(vp + ciBytes);
          a10 = madd(x1, f0, a10); a11 = madd(x1, f1, a11);
          const x2 = v128.load32_splat(vp + 2 * ciBytes);
          a20 = madd(x2, f0, a20); a21 = madd(x2, f1, a21);
          const x3 = v128.load32_splat(vp + 3 * ciBytes);
          a30 = madd(x3, f0, a30); a31 = madd(x3, f1, a31);
          up += coBytes; vp += 4;
        }
        const mp = mk + <usize>t * coBytes + (<usize>o << 2);
        v128.store(mp, a00); v128.store(mp, a01, 16);
        v128.store(mp + coBytes, a10); v128.store(mp + coBytes, a11, 16);
        v128.store(mp + 2 * coBytes, a20); v128.store(mp + 2 * coBytes, a21, 16);
        v128.store(mp + 3 * coBytes, a30); v128.store(mp + 3 * coBytes, a31, 16);
      }
    }
  }
}

// The 4x4 outputs of tile t at (oy, ox) of image b: A^T M A, plus bias, ReLU when asked.
function outputTile(mPtr: usize, temp: usize, biasPtr: usize, outPtr: usize, t: i32, b: i32, oy: i32, ox: i32, ho: i32, wo: i32, co: i32, relu: i32): void {
  const kStride = <usize>planeFloats(co) << 2;
  const zero = f32x4.splat(0);
  const coBytes = <usize>co << 2;
  const rows = min(4, ho - oy), cols = min(4, wo - ox);
  const y = temp + 36 * 16;
  for (let o = 0; o < co; o += 4) {
    const m = mPtr + (<usize>(t * co + o) << 2);
    // A^T M, column by column, into temp (4x6); then (A^T M) A, row by row, into y (4x4)
    for (let j = 0; j < 6; j++) at6(m + <usize>j * kStride, 6 * kStride, temp + <usize>j * 16, 6 * 16);
    for (let i = 0; i < 4; i++) at6(temp + <usize>(6 * i) * 16, 16, y + <usize>(4 * i) * 16, 16);
    const bias = biasPtr != 0 ? v128.load(biasPtr + (<usize>o << 2)) : zero;
    for (let i = 0; i < rows; i++) {
      const row = outPtr + <usize>((b * ho + oy + i) * wo + ox) * coBytes + (<usize>o << 2);
      for (let j = 0; j < cols; j++) {
        let v = f32x4.add(bias, v128.load(y + <usize>(4 * i + j) * 16));
        if (relu != 0) v = f32x4.max(v, zero);
        v128.store(row + <usize>j * coBytes, v);
      }
    }
  }
}

// A^T times the 6 vectors at src + k * srcStride: 4 vectors at dst + k * dstStride.
@inline function at6(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  const m0 = v128.load(src), m1 = v128.load(src + srcStride), m2 = v128.load(src + 2 * srcStride);
  const m3 = v128.load(src + 3 * srcStride), m4 = v128.load(src + 4 * srcStride), m5 = v128.load(src + 5 * srcStride);
  const s12 = f32x4.add(m1, m2), d12 = f32x4.sub(m1, m2), s34 = f32x4.add(m3, m4), d34 = f32x4.sub(m3, m4);
  v128.store(dst, f32x4.add(f32x4.add(m0, s12), s34));
  v128.store(dst + dstStride, f32x4.add(d12, f32x4.mul(f32x4.splat(2), d34)));
  v128.store(dst + 2 * dstStride, f32x4.add(s12, f32x4.mul(f32x4.splat(4), s34)));
  v128.store(dst + 3 * dstStride, f32x4.add(f32x4.add(d12, f32x4.mul(f32x4.splat(8), d34)), m5));
}
