// The filter gradient of a 3x3 stride-1 convolution by Winograd's F(3x3, 4x4), the transpose of
// the forward F(4x4, 3x3) (winograd.ts): each 4x4 block e of the output gradient against the 6x6
// input block d under it, dW = G^T [sum over blocks of (A e A^T) * (B^T d B)] G, with the
// forward's B^T, G and A^T. 36 products per channel pair and block of 16 outputs, instead of 144.
import { madd, pixel } from './simd';
import { inputTile, PLANE_PAD, TEMP_FLOATS, WINOGRAD_K } from './winograd';

// Tiles per block: their transformed inputs and output gradients stay in cache.
const GRAD_TILES: i32 = 32;

// Floats of one plane of V (c channels) or G (c = co).
@inline function planeFloats(c: i32): i32 {
  return GRAD_TILES * c + PLANE_PAD;
}

/** Floats of scratch memory {@link conv2dFilterGradWinograd} needs. */
export function winogradGradScratchFloats(ci: i32, co: i32): i32 {
  return WINOGRAD_K * (ci * co + planeFloats(ci) + planeFloats(co)) + TEMP_FLOATS;
}

/**
 * The filter gradient of conv2dFilterGrad for a 3x3 filter, stride 1 and dilation 1, by
 * Winograd's F(3x3, 4x4), summed over blocks in the transformed domain. Needs ci % 4 == 0,
 * co % 8 == 0 and winogradGradScratchFloats floats.
 */
export function conv2dFilterGradWinograd(
  xPtr: usize, dyPtr: usize, outPtr: usize, scratchPtr: usize,
  n: i32, h: i32, w: i32, ci: i32, ho: i32, wo: i32, co: i32, padTop: i32, padLeft: i32,
): void {
  const T = GRAD_TILES;
  const wPtr = scratchPtr;
  const vPtr = wPtr + (<usize>(WINOGRAD_K * ci * co) << 2);
  const gPtr = vPtr + (<usize>(WINOGRAD_K * planeFloats(ci)) << 2);
  const temp = gPtr + (<usize>(WINOGRAD_K * planeFloats(co)) << 2);
  memory.fill(wPtr, 0, <usize>(WINOGRAD_K * ci * co) << 2);
  const tilesH = (ho + 3) >> 2, tilesW = (wo + 3) >> 2;
  const perImage = tilesH * tilesW;
  const total = n * perImage;
  for (let t0 = 0; t0 < total; t0 += T) {
    const count = min(T, total - t0);
    for (let t = 0; t < count; t++) {
      const g = t0 + t;
      const b = g / perImage, r = g % perImage;
      const ty = (r / tilesW) << 2, tx = (r % tilesW) << 2;
      inputTile(xPtr, vPtr, temp, <usize>planeFloats(ci) << 2, t, b, ty - padTop, tx - padLeft, h, w, ci);
      gradientTile(dyPtr, gPtr, temp, t, b, ty, tx, ho, wo, co);
    }
    gradientProducts(vPtr, gPtr, wPtr, count, ci, co);
  }
  gradientOutput(wPtr, outPtr, temp, ci, co);
}

// G[k][t][o] = (A e A^T)[k] for the 4x4 output-gradient block e at (oy, ox) of image b (zeros outside).
function gradientTile(dyPtr: usize, gPtr: usize, temp: usize, t: i32, b: i32, oy: i32, ox: i32, ho: i32, wo: i32, co: i32): void {
  const kStride = <usize>planeFloats(co) << 2;
  const image = dyPtr + (<usize>(b * ho * wo * co) << 2);
  const e = temp + 24 * 16;
  for (let o = 0; o < co; o += 4) {
    const base = image + (<usize>o << 2);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) v128.store(e + <usize>(4 * i + j) * 16, pixel(base, oy + i, ox + j, ho, wo, co));
    // A e, column by column, into temp (6x4, row-major); then (A e) A^T, row by row, into G
    for (let j = 0; j < 4; j++) a6(e + <usize>j * 16, 4 * 16, temp + <usize>j * 16, 4 * 16);
    const out = gPtr + (<usize>(t * co + o) << 2);
    for (let i = 0; i < 6; i++) a6(temp + <usize>(4 * i) * 16, 16, out + <usize>(6 * i) * kStride, kStride);
  }
}

// A = (A^T)^T times the 4 vectors at src + k * srcStride: e0, e0 + e1 + e2 + e3,
// e0 - e1 + e2 - e3, e0 + 2 e1 + 4 e2 + 8 e3, e0 - 2 e1 + 4 e2 - 8 e3, e3 at dst + k * dstStride.
@inline function a6(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  const e0 = v128.load(src), e1 = v128.load(src + srcStride), e2 = v128.load(src + 2 * srcStride), e3 = v128.load(src + 3 * srcStride);
  const s02 = f32x4.add(e0, e2), s13 = f32x4.add(e1, e3);
  const p = f32x4.add(e0, f32x4.mul(f32x4.splat(4), e2)), q = f32x4.add(f32x4.mul(f32x4.splat(2), e1), f32x4.mul(f32x4.splat(8), e3));
  v128.store(dst, e0);
  v128.store(dst + dstStride, f32x4.add(s02, s13));
  v128.store(dst + 2 * dstStride, f32x4.sub(s02, s13));
  v128.store(dst + 3 * dstStride, f32x4.add(p, q));
  v128.store(dst + 4 * dstStride, f32x4.sub(p, q));
  v128.store(dst + 5 * dstStride, e3);
}

// W[k][c][o] += sum over the first `count` tiles t of V[k][t][c] * G[k][t][o].
function gradientProducts(vPtr: usize, gPtr: usize, wPtr: usize, count: i32, ci: i32, co: i32): void {
  const coBytes = <usize>co << 2, ciBytes = <usize>ci << 2;
  for (let k = 0; k < WINOGRAD_K; k++) {
    const vk = vPtr + (<usize>(k * planeFloats(ci)) << 2);
    const gk = gPtr + (<usize>(k * planeFloats(co)) << 2);
    const wk = wPtr + (<usize>(k * ci * co) << 2);
    for (let c = 0; c < ci; c += 4) {
      for (let o = 0; o < co; o += 8) {
        const ap = wk + (<usize>(c * co + o) << 2);
        let a00 = v128.load(ap), a01 = v128.load(ap, 16);
        let a10 = v128.load(ap + coBytes), a11 = v128.load(ap + coBytes, 16);
        let a20 = v128.load(ap + 2 * coBytes), a21 = v128.load(ap + 2 * coBytes, 16);
        let a30 = v128.load(ap + 3 * coBytes), a31 = v128.load(ap + 3 * coBytes, 16);
        let vp = vk + (<usize>c << 2);
        let gp = gk + (<usize>o << 2);
        for (let t = 0; t < count; t++) {
          const g0 = v128.load(gp), g1 = v128.load(gp, 16);
          const x0 = v128.load32_splat(vp);
          a00 = madd(x0, g0, a00); a01 = madd(x0, g1, a01);
          const x1 = v128.load32_splat(vp + 4);
          a10 = madd(x1, g0, a10); a11 = madd(x1, g1, a11);
          const x2 = v128.load32_splat(vp + 8);
          a20 = madd(x2, g0, a20); a21 = madd(x2, g1, a21);
          const x3 = v128.load32_splat(vp + 12);
          a30 = madd(x3, g0, a30); a31 = madd(x3, g1, a31);
          vp += ciBytes; gp += coBytes;
        }
        v128.store(ap, a00); v128.store(ap, a01, 16);
        v128.store(ap + coBytes, a10); v128.store(ap + coBytes, a11, 16);
        v128.store(ap + 2 * coBytes, a20); v128.store(ap + 2 * coBytes, a21, 16);
        v128.store(ap + 3 * coBytes, a30); v128.store(ap + 3 * coBytes, a31, 16);
      }
    }
  }
}

// out[3i + j][c][o] = (G^T W G)[i][j] for every channel pair, four at a time.
function gradientOutput(wPtr: usize, outPtr: usize, temp: usize, ci: i32, co: i32): void {
  const plane = <usize>(ci * co) << 2;
  for (let p: usize = 0; p < plane; p += 16) {
    // G^T W, column by column, into temp (3x6, row-major); then (G^T W) G, row by row
    for (let j = 0; j < 6; j++) gt6(wPtr + p + <usize>j * plane, 6 * plane, temp + <usize>j * 16, 6 * 16);
    for (let i = 0; i < 3; i++) gt6(temp + <usize>(6 * i) * 16, 16, outPtr + p + <usize>(3 * i) * plane, plane);
  }
}

// G^T times the 6 vectors at src + k * srcStride: m0 / 4 - (m1 + m2) / 6 + (m3 + m4) / 24,
// (m2 - m1) / 6 + (m3 - m4) / 12, (m3 + m4 - m1 - m2) / 6 + m5 at dst + k * dstStride.
@inline function gt6(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  const m0 = v128.load(src), m1 = v128.load(src + srcStride), m2 = v128.load(src + 2 * srcStride);
  const m3 = v128.load(src + 3 * srcStride), m4 = v128.load(src + 4 * srcStride), m5 = v128.load(src + 5 * srcStride);
  const s12 = f32x4.add(m1, m2), d21 = f32x4.sub(m2, m1), s34 = f32x4.add(m3, m4), d34 = f32x4.sub(m3, m4);
  const sixth = f32x4.splat(1.0 / 6);
  v128.store(dst, f32x4.add(f32x4.sub(f32x4.mul(f32x4.splat(0.25), m0), f32x4.mul(sixth, s12)), f32x4.mul(f32x4.splat(1.0 / 24), s34)));
  v128.store(dst + dstStride, f32x4.add(f32x4.mul(sixth, d21), f32x4.mul(f32x4.splat(1.0 / 12), d34)));
  v128.store(dst + 2 * dstStride, f32x4.add(f32x4.mul(sixth, f32x4.sub(s34, s12)), m5));
}
