// The filter gradient of a 3x3 stride-1 convolution by Winograd's F(3x3, 2x2).
import { madd, pixel } from './simd';

// Tiles per block of the Winograd filter gradient.
const WINOGRAD_GRAD_TILES: i32 = 32;

/** Floats of scratch memory {@link conv2dFilterGradWinograd} needs. */
export function winogradGradScratchFloats(ci: i32, co: i32): i32 {
  return 16 * (ci * co + WINOGRAD_GRAD_TILES * ci + WINOGRAD_GRAD_TILES * co);
}

/**
 * The filter gradient of conv2dFilterGrad for a 3x3 filter, stride 1 and dilation 1, by
 * Winograd's F(3x3, 2x2): each 2x2 block of the output gradient against the 4x4 input block
 * under it, summed over blocks in the transformed domain, 16 products per channel pair and
 * block instead of 36. Needs ci % 4 == 0, co % 8 == 0 and winogradGradScratchFloats floats.
 */
export function conv2dFilterGradWinograd(
  xPtr: usize, dyPtr: usize, outPtr: usize, scratchPtr: usize,
  n: i32, h: i32, w: i32, ci: i32, ho: i32, wo: i32, co: i32, padTop: i32, padLeft: i32,
): void {
  const T = WINOGRAD_GRAD_TILES;
  const wPtr = scratchPtr;
  const vPtr = wPtr + (<usize>(16 * ci * co) << 2);
  const gPtr = vPtr + (<usize>(16 * T * ci) << 2);
  memory.fill(wPtr, 0, <usize>(16 * ci * co) << 2);
  const tilesH = (ho + 1) >> 1, tilesW = (wo + 1) >> 1;
  const perImage = tilesH * tilesW;
  const total = n * perImage;
  for (let t0 = 0; t0 < total; t0 += T) {
    const count = min(T, total - t0);
    for (let t = 0; t < count; t++) {
      const g = t0 + t;
      const b = g / perImage, r = g % perImage;
      const ty = (r / tilesW) << 1, tx = (r % tilesW) << 1;
      gradientInput(xPtr, vPtr, T, t, b, ty - padTop, tx - padLeft, h, w, ci);
      gradientTile(dyPtr, gPtr, t, b, ty, tx, ho, wo, co);
    }
    gradientProducts(vPtr, gPtr, wPtr, count, ci, co);
  }
  gradientOutput(wPtr, outPtr, ci, co);
}

// G[k][t][o] = (G' e G'^T)[k] for the 2x2 output-gradient block e at (oy, ox) (zeros outside),
// G' = [[1, 0], [1/2, 1/2], [1/2, -1/2], [0, -1]] (the last row negated to pair with B^T's d1 - d3).
function gradientTile(dyPtr: usize, gPtr: usize, t: i32, b: i32, oy: i32, ox: i32, ho: i32, wo: i32, co: i32): void {
  const T = WINOGRAD_GRAD_TILES;
  const kStride = <usize>(T * co) << 2;
  const coBytes = <usize>co << 2;
  const zero = f32x4.splat(0), half = f32x4.splat(0.5);
  const right = ox + 1 < wo, below = oy + 1 < ho;
  const p00 = dyPtr + (<usize>((b * ho + oy) * wo + ox) * coBytes);
  const p10 = p00 + <usize>wo * coBytes;
  for (let o = 0; o < co; o += 4) {
    const off = <usize>o << 2;
    const e00 = v128.load(p00 + off);
    const e01 = right ? v128.load(p00 + coBytes + off) : zero;
    const e10 = below ? v128.load(p10 + off) : zero;
    const e11 = below && right ? v128.load(p10 + coBytes + off) : zero;
    const out = gPtr + (<usize>(t * co + o) << 2);
    // rows of G' e: e0, (e0 + e1) / 2, (e0 - e1) / 2, -e1
    gradientRow(out, kStride, 0, e00, e01, half);
    gradientRow(out, kStride, 4, f32x4.mul(half, f32x4.add(e00, e10)), f32x4.mul(half, f32x4.add(e01, e11)), half);
    gradientRow(out, kStride, 8, f32x4.mul(half, f32x4.sub(e00, e10)), f32x4.mul(half, f32x4.sub(e01, e11)), half);
    gradientRow(out, kStride, 12, f32x4.neg(e10), f32x4.neg(e11), half);
  }
}

// (row a, b) G'^T: a, (a + b) / 2, (a - b) / 2, -b at k = k0 .. k0 + 3.
@inline function gradientRow(out: usize, kStride: usize, k0: i32, a: v128, b: v128, half: v128): void {
  v128.store(out + <usize>k0 * kStride, a);
  v128.store(out + <usize>(k0 + 1) * kStride, f32x4.mul(half, f32x4.add(a, b)));
  v128.store(out + <usize>(k0 + 2) * kStride, f32x4.mul(half, f32x4.sub(a, b)));
  v128.store(out + <usize>(k0 + 3) * kStride, f32x4.neg(b));
}

// W[k][c][o] += sum over the first `count` tiles t of V[k][t][c] * G[k][t][o].
function gradientProducts(vPtr: usize, gPtr: usize, wPtr: usize, count: i32, ci: i32, co: i32): void {
  const T = WINOGRAD_GRAD_TILES;
  const coBytes = <usize>co << 2, ciBytes = <usize>ci << 2;
  for (let k = 0; k < 16; k++) {
    const vk = vPtr + (<usize>(k * T * ci) << 2);
    const gk = gPtr + (<usize>(k * T * co) << 2);
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

// out[i][j][c][o] = (A'^T W A')[i][j], A'^T = [[1, 1, 1, 0], [0, 1, -1, 0], [0, 1, 1, 1]].
function gradientOutput(wPtr: usize, outPtr: usize, ci: i32, co: i32): void {
  const plane = <usize>(ci * co) << 2;
  for (let p: usize = 0; p < plane; p += 16) {
    const m = wPtr + p;
    // A'^T W: per column j, rows m0 + m1 + m2, m1 - m2, m1 + m2 + m3
    const s00 = gradSum0(m, plane, 0), s01 = gradSum0(m, plane, 1), s02 = gradSum0(m, plane, 2), s03 = gradSum0(m, plane, 3);
    const s10 = gradDiff(m, plane, 0), s11 = gradDiff(m, plane, 1), s12 = gradDiff(m, plane, 2), s13 = gradDiff(m, plane, 3);
    const s20 = gradSum1(m, plane, 0), s21 = gradSum1(m, plane, 1), s22 = gradSum1(m, plane, 2), s23 = gradSum1(m, plane, 3);
    const o = outPtr + p;
    gradientOutRow(o, plane, 0, s00, s01, s02, s03);
    gradientOutRow(o, plane, 3, s10, s11, s12, s13);
    gradientOutRow(o, plane, 6, s20, s21, s22, s23);
  }
}

@inline function gradSum0(m: usize, plane: usize, j: i32): v128 {
  return f32x4.add(f32x4.add(v128.load(m + <usize>j * plane), v128.load(m + <usize>(4 + j) * plane)), v128.load(m + <usize>(8 + j) * plane));
}

@inline function gradDiff(m: usize, plane: usize, j: i32): v128 {
  return f32x4.sub(v128.load(m + <usize>(4 + j) * plane), v128.load(m + <usize>(8 + j) * plane));
}

@inline function gradSum1(m: usize, plane: usize, j: i32): v128 {
  return f32x4.add(f32x4.add(v128.load(m + <usize>(4 + j) * plane), v128.load(m + <usize>(8 + j) * plane)), v128.load(m + <usize>(12 + j) * plane));
}

// (row s0 .. s3) A': s0 + s1 + s2, s1 - s2, s1 + s2 + s3 at taps tap0 .. tap0 + 2.
@inline function gradientOutRow(o: usize, plane: usize, tap0: i32, s0: v128, s1: v128, s2: v128, s3: v128): void {
  v128.store(o + <usize>tap0 * plane, f32x4.add(f32x4.add(s0, s1), s2));
  v128.store(o + <usize>(tap0 + 1) * plane, f32x4.sub(s1, s2));
  v128.store(o + <usize>(tap0 + 2) * plane, f32x4.add(f32x4.add(s1, s2), s3));
}

// V[k][t][c] = (B^T d B)[k], B^T of F(2x2, 3x3), for the 4x4 input block d at (y0, x0) of image b (zeros outside x).
// `tiles` is the tile count of a block (the stride of k in V).
function gradientInput(xPtr: usize, vPtr: usize, tiles: i32, t: i32, b: i32, y0: i32, x0: i32, h: i32, w: i32, ci: i32): void {
  const zero = f32x4.splat(0);
  const image = xPtr + (<usize>(b * h * w * ci) << 2);
  const kStride = <usize>(tiles * ci) << 2;
  const inside = y0 >= 0 && x0 >= 0 && y0 + 4 <= h && x0 + 4 <= w;
  for (let c = 0; c < ci; c += 4) {
    const base = image + (<usize>c << 2);
    let d00 = zero, d01 = zero, d02 = zero, d03 = zero, d10 = zero, d11 = zero, d12 = zero, d13 = zero;
    let d20 = zero, d21 = zero, d22 = zero, d23 = zero, d30 = zero, d31 = zero, d32 = zero, d33 = zero;
    if (inside) {
      const p0 = base + (<usize>((y0 * w + x0) * ci) << 2), rs = <usize>(w * ci) << 2, cs = <usize>ci << 2;
      const p1 = p0 + rs, p2 = p1 + rs, p3 = p2 + rs;
      d00 = v128.load(p0); d01 = v128.load(p0 + cs); d02 = v128.load(p0 + 2 * cs); d03 = v128.load(p0 + 3 * cs);
      d10 = v128.load(p1); d11 = v128.load(p1 + cs); d12 = v128.load(p1 + 2 * cs); d13 = v128.load(p1 + 3 * cs);
      d20 = v128.load(p2); d21 = v128.load(p2 + cs); d22 = v128.load(p2 + 2 * cs); d23 = v128.load(p2 + 3 * cs);
      d30 = v128.load(p3); d31 = v128.load(p3 + cs); d32 = v128.load(p3 + 2 * cs); d33 = v128.load(p3 + 3 * cs);
    } else {
      d00 = pixel(base, y0, x0, h, w, ci); d01 = pixel(base, y0, x0 + 1, h, w, ci);
      d02 = pixel(base, y0, x0 + 2, h, w, ci); d03 = pixel(base, y0, x0 + 3, h, w, ci);
      d10 = pixel(base, y0 + 1, x0, h, w, ci); d11 = pixel(base, y0 + 1, x0 + 1, h, w, ci);
      d12 = pixel(base, y0 + 1, x0 + 2, h, w, ci); d13 = pixel(base, y0 + 1, x0 + 3, h, w, ci);
      d20 = pixel(base, y0 + 2, x0, h, w, ci); d21 = pixel(base, y0 + 2, x0 + 1, h, w, ci);
      d22 = pixel(base, y0 + 2, x0 + 2, h, w, ci); d23 = pixel(base, y0 + 2, x0 + 3, h, w, ci);
      d30 = pixel(base, y0 + 3, x0, h, w, ci); d31 = pixel(base, y0 + 3, x0 + 1, h, w, ci);
      d32 = pixel(base, y0 + 3, x0 + 2, h, w, ci); d33 = pixel(base, y0 + 3, x0 + 3, h, w, ci);
    }
    // B^T d: rows d0 - d2, d1 + d2, d2 - d1, d1 - d3
    const r00 = f32x4.sub(d00, d20), r01 = f32x4.sub(d01, d21), r02 = f32x4.sub(d02, d22), r03 = f32x4.sub(d03, d23);
    const r10 = f32x4.add(d10, d20), r11 = f32x4.add(d11, d21), r12 = f32x4.add(d12, d22), r13 = f32x4.add(d13, d23);
    const r20 = f32x4.sub(d20, d10), r21 = f32x4.sub(d21, d11), r22 = f32x4.sub(d22, d12), r23 = f32x4.sub(d23, d13);
    const r30 = f32x4.sub(d10, d30), r31 = f32x4.sub(d11, d31), r32 = f32x4.sub(d12, d32), r33 = f32x4.sub(d13, d33);
    const out = vPtr + (<usize>(t * ci + c) << 2);
    inputRow(out, kStride, 0, r00, r01, r02, r03);
    inputRow(out, kStride, 4, r10, r11, r12, r13);
    inputRow(out, kStride, 8, r20, r21, r22, r23);
    inputRow(out, kStride, 12, r30, r31, r32, r33);
  }
}

// (row) B: columns r0 - r2, r1 + r2, r2 - r1, r1 - r3, stored at k = k0 .. k0 + 3.
@inline function inputRow(out: usize, kStride: usize, k0: i32, r0: v128, r1: v128, r2: v128, r3: v128): void {
  v128.store(out + <usize>k0 * kStride, f32x4.sub(r0, r2));
  v128.store(out + <usize>(k0 + 1) * kStride, f32x4.add(r1, r2));
  v128.store(out + <usize>(k0 + 2) * kStride, f32x4.sub(r2, r1));
  v128.store(out + <usize>(k0 + 3) * kStride, f32x4.sub(r1, r3));
}
