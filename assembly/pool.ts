// Max-pooling: its gradient, and a convolution with ReLU and 2x2 pooling fused, with its gradient.
import { conv2dForward, filterGradSingleRow } from './direct';
import { winogradFilter, winogradScratchFloats, winogradTiles, WINOGRAD_K } from './winograd';

/**
 * Gradient of a max-pooling: each window's output gradient goes to the first position (row
 * by row) holding the window's maximum, as the cpu backend does; overlapping windows add up.
 * Windows start at r*sh - padTop and q*sw - padLeft; positions outside x are skipped.
 */
export function maxPoolGrad(
  xPtr: usize, dyPtr: usize, outPtr: usize,
  n: i32, h: i32, w: i32, c: i32, ho: i32, wo: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32,
): void {
  memory.fill(outPtr, 0, <usize>(n * h * w * c) << 2);
  const c4 = c & ~3;
  for (let b = 0; b < n; b++) {
    const xImage = xPtr + (<usize>(b * h * w * c) << 2);
    const outImage = outPtr + (<usize>(b * h * w * c) << 2);
    for (let r = 0; r < ho; r++) {
      let y0 = r * sh - padTop, y1 = y0 + fh;
      if (y0 < 0) y0 = 0;
      if (y1 > h) y1 = h;
      for (let q = 0; q < wo; q++) {
        let x0 = q * sw - padLeft, x1 = x0 + fw;
        if (x0 < 0) x0 = 0;
        if (x1 > w) x1 = w;
        if (y0 >= y1 || x0 >= x1) continue;
        const dyPixel = dyPtr + (<usize>(((b * ho + r) * wo + q) * c) << 2);
        let ch = 0;
        for (; ch < c4; ch += 4) {
          let best = f32x4.splat(-Infinity);
          let at = i32x4.splat(-1);
          for (let y = y0; y < y1; y++) {
            for (let x = x0; x < x1; x++) {
              const pos = (y * w + x) * c + ch;
              const v = v128.load(xImage + (<usize>pos << 2));
              const gt = f32x4.gt(v, best);
              best = v128.bitselect(v, best, gt);
              at = v128.bitselect(i32x4.splat(pos), at, gt);
            }
          }
          const g = v128.load(dyPixel + (<usize>ch << 2));
          scatter(outImage, i32x4.extract_lane(at, 0), f32x4.extract_lane(g, 0), 0);
          scatter(outImage, i32x4.extract_lane(at, 1), f32x4.extract_lane(g, 1), 1);
          scatter(outImage, i32x4.extract_lane(at, 2), f32x4.extract_lane(g, 2), 2);
          scatter(outImage, i32x4.extract_lane(at, 3), f32x4.extract_lane(g, 3), 3);
        }
        for (; ch < c; ch++) {
          let best: f32 = -Infinity;
          let at = -1;
          for (let y = y0; y < y1; y++) {
            for (let x = x0; x < x1; x++) {
              const pos = (y * w + x) * c + ch;
              const v = load<f32>(xImage + (<usize>pos << 2));
              if (v > best) { best = v; at = pos; }
            }
          }
          if (at >= 0) {
            const p = outImage + (<usize>at << 2);
            store<f32>(p, load<f32>(p) + load<f32>(dyPixel + (<usize>ch << 2)));
          }
        }
      }
    }
  }
}

// Adds g at element `at` (+ lane, since `at` is the lane's channel base) unless no maximum was found.
@inline function scatter(base: usize, at: i32, g: f32, lane: i32): void {
  if (at < 0) return;
  const p = base + (<usize>(at + lane) << 2);
  store<f32>(p, load<f32>(p) + g);
}

/** Floats of scratch memory {@link conv2dReluMaxPool} needs. */
export function convPoolScratchFloats(wo: i32, ci: i32, co: i32, winograd: i32): i32 {
  return BAND_ROWS * wo * co + (winograd != 0 ? winogradScratchFloats(ci, co) : 0);
}

// Convolution rows computed at a time (one Winograd tile high).
const BAND_ROWS: i32 = 4;

/**
 * Convolution (as conv2dForward, no dilation), bias, ReLU and a 2x2 max-pooling of stride 2 in
 * one pass, four convolution rows at a time in scratch (the full convolution output is never
 * written): out[n, ho / 2, wo / 2, co] for a convolution output of ho x wo, and in idxPtr one
 * byte per output: which position of its window (row by row) held the first maximum, or 4
 * where the ReLU zeroed the whole window. co must be a multiple of 8; winograd != 0 runs the
 * convolution by conv2dWinograd (its conditions apply). Scratch: convPoolScratchFloats floats.
 */
export function conv2dReluMaxPool(
  xPtr: usize, filterPtr: usize, biasPtr: usize, outPtr: usize, idxPtr: usize, scratchPtr: usize,
  n: i32, h: i32, w: i32, ci: i32, ho: i32, wo: i32, co: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, winograd: i32,
): void {
  const band = scratchPtr;
  const uPtr = band + (<usize>(BAND_ROWS * wo * co) << 2);
  const tilePtr = uPtr + (<usize>(WINOGRAD_K * ci * co) << 2);
  if (winograd != 0) winogradFilter(filterPtr, uPtr, ci, co);
  const ph = ho >> 1, pw = wo >> 1;
  const imageBytes = <usize>(h * w * ci) << 2;
  const pooledRow = <usize>(pw * co);
  const bandRowBytes = <usize>(wo * co) << 2;
  for (let b = 0; b < n; b++) {
    const xImage = xPtr + <usize>b * imageBytes;
    for (let r = 0; r < ph; r += BAND_ROWS >> 1) {
      const pooled = min(BAND_ROWS >> 1, ph - r);
      const top = padTop - 2 * r * sh;
      if (winograd != 0) winogradTiles(xImage, uPtr, biasPtr, band, tilePtr, 1, h, w, ci, 2 * pooled, wo, co, top, padLeft, 0);
      else conv2dForward(xImage, filterPtr, biasPtr, band, 1, h, w, ci, 2 * pooled, wo, co, kh, kw, sh, sw, 1, 1, top, padLeft, 0);
      for (let k = 0; k < pooled; k++) {
        const row = <usize>(b * ph + r + k) * pooledRow;
        poolBand(band + <usize>(2 * k) * bandRowBytes, outPtr + (row << 2), idxPtr + row, wo, pw, co);
      }
    }
  }
}

// Max-pools (2x2, stride 2) two rows of wo pixels (at band) after a ReLU; see conv2dReluMaxPool.
function poolBand(band: usize, out: usize, idx: usize, wo: i32, pw: i32, co: i32): void {
  const coBytes = <usize>co << 2;
  const rowBytes = <usize>wo * coBytes;
  const zero = f32x4.splat(0);
  for (let q = 0; q < pw; q++) {
    const p00 = band + <usize>(2 * q) * coBytes;
    const p01 = p00 + coBytes, p10 = p00 + rowBytes, p11 = p10 + coBytes;
    const o = out + <usize>q * coBytes;
    const ix = idx + <usize>(q * co);
    for (let c = 0; c < co; c += 4) {
      const off = <usize>c << 2;
      let best = v128.load(p00 + off);
      let at = i32x4.splat(0);
      const v1 = v128.load(p01 + off), v2 = v128.load(p10 + off), v3 = v128.load(p11 + off);
      let gt = f32x4.gt(v1, best);
      best = v128.bitselect(v1, best, gt); at = v128.bitselect(i32x4.splat(1), at, gt);
      gt = f32x4.gt(v2, best);
      best = v128.bitselect(v2, best, gt); at = v128.bitselect(i32x4.splat(2), at, gt);
      gt = f32x4.gt(v3, best);
      best = v128.bitselect(v3, best, gt); at = v128.bitselect(i32x4.splat(3), at, gt);
      const active = f32x4.gt(best, zero);
      v128.store(o + off, v128.and(best, active));
      at = v128.bitselect(at, i32x4.splat(4), active);
      const bytes = i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(at, at), zero);
      store<i32>(ix + <usize>c, i32x4.extract_lane(bytes, 0));
    }
  }
}

/**
 * Gradient of conv2dReluMaxPool before the convolution: dz[n, ho, wo, co] holds each pooled
 * output's gradient at the position idx names (zero elsewhere, and where the ReLU was off),
 * and biasGrad[co] their sums per channel.
 */
export function maxPoolReluGrad(dyPtr: usize, idxPtr: usize, outPtr: usize, biasGradPtr: usize, n: i32, ho: i32, wo: i32, co: i32): void {
  const ph = ho >> 1, pw = wo >> 1;
  if (((ho | wo) & 1) != 0) memory.fill(outPtr, 0, <usize>(n * ho * wo * co) << 2);
  memory.fill(biasGradPtr, 0, <usize>co << 2);
  const rowBytes = <usize>(wo * co) << 2;
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < ph; r++) {
      routePooledRow(dyPtr, idxPtr, outPtr + <usize>(b * ho + 2 * r) * rowBytes, biasGradPtr, b * ph + r, pw, co, rowBytes);
    }
  }
}

// Pooled row `row` (of all images' rows) of maxPoolReluGrad: its gradients into the two
// convolution rows at outRow (rowBytes apart), added to biasGrad where the ReLU was on.
@inline function routePooledRow(dyPtr: usize, idxPtr: usize, outRow: usize, biasGradPtr: usize, row: i32, pw: i32, co: i32, rowBytes: usize): void {
  const coBytes = <usize>co << 2;
  const none = i32x4.splat(4);
  const first = <usize>(row * pw * co);
  for (let q = 0; q < pw; q++) {
    const g0 = dyPtr + ((first + <usize>(q * co)) << 2);
    const i0 = idxPtr + first + <usize>(q * co);
    const p00 = outRow + <usize>(2 * q) * coBytes;
    const p01 = p00 + coBytes, p10 = p00 + rowBytes, p11 = p10 + coBytes;
    for (let c = 0; c < co; c += 4) {
      const off = <usize>c << 2;
      const g = v128.load(g0 + off);
      const at = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(i0 + <usize>c)));
      v128.store(p00 + off, v128.and(g, i32x4.eq(at, i32x4.splat(0))));
      v128.store(p01 + off, v128.and(g, i32x4.eq(at, i32x4.splat(1))));
      v128.store(p10 + off, v128.and(g, i32x4.eq(at, i32x4.splat(2))));
      v128.store(p11 + off, v128.and(g, i32x4.eq(at, i32x4.splat(3))));
      const bp = biasGradPtr + off;
      v128.store(bp, f32x4.add(v128.load(bp), v128.and(g, i32x4.ne(at, none))));
    }
  }
}

/** Floats of scratch memory {@link poolReluFilterGradSingle} needs: two convolution rows. */
export function poolFilterGradScratchFloats(wo: i32, co: i32): i32 {
  return 2 * wo * co;
}

/**
 * The filter and bias gradients of conv2dReluMaxPool for one input channel, a 3x3 filter and
 * stride 1 (a first layer), co % 8 == 0, without its input gradient: maxPoolReluGrad's dz two
 * rows at a time in scratch, each pair taken by the single-channel filter gradient at once, so
 * the full dz (n x ho x wo x co floats) is never written nor read back.
 */
export function poolReluFilterGradSingle(
  xPtr: usize, dyPtr: usize, idxPtr: usize, outPtr: usize, biasGradPtr: usize, scratchPtr: usize,
  n: i32, h: i32, w: i32, ho: i32, wo: i32, co: i32, padTop: i32, padLeft: i32,
): void {
  const ph = ho >> 1, pw = wo >> 1;
  const rowBytes = <usize>(wo * co) << 2;
  memory.fill(outPtr, 0, <usize>(9 * co) << 2);
  memory.fill(biasGradPtr, 0, <usize>co << 2);
  // an odd last column is never pooled: its gradient stays zero
  if ((wo & 1) != 0) memory.fill(scratchPtr, 0, 2 * rowBytes);
  for (let b = 0; b < n; b++) {
    const xImage = xPtr + (<usize>(b * h * w) << 2);
    for (let r = 0; r < ph; r++) {
      routePooledRow(dyPtr, idxPtr, scratchPtr, biasGradPtr, b * ph + r, pw, co, rowBytes);
      filterGradSingleRow(xImage, scratchPtr, outPtr, 2 * r, h, w, wo, co, padTop, padLeft);
      filterGradSingleRow(xImage, scratchPtr + rowBytes, outPtr, 2 * r + 1, h, w, wo, co, padTop, padLeft);
    }
  }
}
