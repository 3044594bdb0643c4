// Direct (not Winograd) convolution kernels: the forward convolution and the filter gradient.
import { madd } from './simd';

/**
 * Filter gradient of an NHWC convolution: out[i, j, ci, co] = sum over n, ho, wo of
 * x[n, ho*sh + i*dh - padTop, wo*sw + j*dw - padLeft, ci] * dy[n, ho, wo, co], positions
 * outside x counting as zero. Any co: blocks of 8 output channels run in SIMD, the rest scalar.
 */
export function conv2dFilterGrad(
  xPtr: usize, dyPtr: usize, outPtr: usize,
  n: i32, h: i32, w: i32, ci: i32,
  ho: i32, wo: i32, co: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
): void {
  memory.fill(outPtr, 0, <usize>(kh * kw * ci * co) << 2);
  if (ci == 1 && kh == 3 && kw == 3 && sh == 1 && sw == 1 && dh == 1 && dw == 1 && (co & 7) == 0) {
    conv2dFilterGradSingle(xPtr, dyPtr, outPtr, n, h, w, ho, wo, co, padTop, padLeft);
    return;
  }
  const ci4 = ci & ~3;
  const co8 = co & ~7;
  const xStep = <usize>(sw * ci) << 2;
  const dyStep = <usize>co << 2;
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < ho; r++) {
      const dyRow = dyPtr + ((<usize>(b * ho + r) * <usize>wo * <usize>co) << 2);
      for (let i = 0; i < kh; i++) {
        const y = r * sh + i * dh - padTop;
        if (y < 0 || y >= h) continue;
        const xRow = xPtr + ((<usize>(b * h + y) * <usize>w * <usize>ci) << 2);
        for (let j = 0; j < kw; j++) {
          const off = j * dw - padLeft;
          // valid output columns: 0 <= q*sw + off < w
          let q0 = 0;
          if (off < 0) q0 = (-off + sw - 1) / sw;
          let q1 = wo;
          const lim = (w - 1 - off) / sw + 1;
          if (w - 1 - off < 0) q1 = 0; else if (lim < q1) q1 = lim;
          if (q0 >= q1) continue;
          const count = q1 - q0;
          const xStart = xRow + (<usize>(q0 * sw + off) * <usize>ci << 2);
          const dyStart = dyRow + (<usize>(q0 * co) << 2);
          const outTap = outPtr + (<usize>((i * kw + j) * ci * co) << 2);
          let c = 0;
          for (; c < ci4; c += 4) {
            for (let o = 0; o < co8; o += 8) {
              const acc0p = outTap + (<usize>(c * co + o) << 2);
              const rowBytes = <usize>co << 2;
              let a00 = v128.load(acc0p), a01 = v128.load(acc0p, 16);
              let a10 = v128.load(acc0p + rowBytes), a11 = v128.load(acc0p + rowBytes, 16);
              let a20 = v128.load(acc0p + 2 * rowBytes), a21 = v128.load(acc0p + 2 * rowBytes, 16);
              let a30 = v128.load(acc0p + 3 * rowBytes), a31 = v128.load(acc0p + 3 * rowBytes, 16);
              let xp = xStart + (<usize>c << 2);
              let dp = dyStart + (<usize>o << 2);
              for (let q = 0; q < count; q++) {
                const d0 = v128.load(dp), d1 = v128.load(dp, 16);
                const x0 = v128.load32_splat(xp);
                a00 = madd(x0, d0, a00); a01 = madd(x0, d1, a01);
                const x1 = v128.load32_splat(xp + 4);
                a10 = madd(x1, d0, a10); a11 = madd(x1, d1, a11);
                const x2 = v128.load32_splat(xp + 8);
                a20 = madd(x2, d0, a20); a21 = madd(x2, d1, a21);
                const x3 = v128.load32_splat(xp + 12);
                a30 = madd(x3, d0, a30); a31 = madd(x3, d1, a31);
                xp += xStep; dp += dyStep;
              }
              v128.store(acc0p, a00); v128.store(acc0p, a01, 16);
              v128.store(acc0p + rowBytes, a10); v128.store(acc0p + rowBytes, a11, 16);
              v128.store(acc0p + 2 * rowBytes, a20); v128.store(acc0p + 2 * rowBytes, a21, 16);
              v128.store(acc0p + 3 * rowBytes, a30); v128.store(acc0p + 3 * rowBytes, a31, 16);
            }
          }
          for (; c < ci; c++) {
            for (let o = 0; o < co8; o += 8) {
              const accp = outTap + (<usize>(c * co + o) << 2);
              let a0 = v128.load(accp), a1 = v128.load(accp, 16);
              let xp = xStart + (<usize>c << 2);
              let dp = dyStart + (<usize>o << 2);
              for (let q = 0; q < count; q++) {
                const x0 = v128.load32_splat(xp);
                a0 = madd(x0, v128.load(dp), a0);
                a1 = madd(x0, v128.load(dp, 16), a1);
                xp += xStep; dp += dyStep;
              }
              v128.store(accp, a0); v128.store(accp, a1, 16);
            }
          }
          for (let o = co8; o < co; o++) {
            for (let cc = 0; cc < ci; cc++) {
              const accp = outTap + (<usize>(cc * co + o) << 2);
              let a: f32 = load<f32>(accp);
              let xp = xStart + (<usize>cc << 2);
              let dp = dyStart + (<usize>o << 2);
              for (let q = 0; q < count; q++) {
                a += load<f32>(xp) * load<f32>(dp);
                xp += xStep; dp += dyStep;
              }
              store<f32>(accp, a);
            }
          }
        }
      }
    }
  }
}

/**
 * NHWC convolution with bias and optional ReLU: out[n, r, q, o] = act(bias[o] + sum over i, j, c
 * of x[n, r*sh + i*dh - padTop, q*sw + j*dw - padLeft, c] * filter[i, j, c, o]), positions
 * outside x counting as zero. co must be a multiple of 8; biasPtr 0 means no bias.
 */
export function conv2dForward(
  xPtr: usize, filterPtr: usize, biasPtr: usize, outPtr: usize,
  n: i32, h: i32, w: i32, ci: i32,
  ho: i32, wo: i32, co: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, relu: i32,
): void {
  if (ci == 1 && kh == 3 && kw == 3 && sh == 1 && sw == 1 && dh == 1 && dw == 1) {
    conv2dForwardSingle(xPtr, filterPtr, biasPtr, outPtr, n, h, w, ho, wo, co, padTop, padLeft, relu);
    return;
  }
  const pixelBytes = <usize>ci << 2;
  const tapBytes = <usize>(ci * co) << 2;
  const coBytes = <usize>co << 2;
  const colStep = <usize>sw * pixelBytes;
  const zero = f32x4.splat(0);
  for (let b = 0; b < n; b++) {
    const xImage = xPtr + (<usize>(b * h * w) * pixelBytes);
    for (let r = 0; r < ho; r++) {
      const outRow = outPtr + (<usize>((b * ho + r) * wo) * coBytes);
      const y0 = r * sh - padTop;
      let q = 0;
      while (q < wo) {
        const x0 = q * sw - padLeft;
        // A tile of 4 output columns whose taps all fall inside the row.
        const interior = q + 4 <= wo && x0 >= 0 && (q + 3) * sw + (kw - 1) * dw - padLeft < w;
        const cols = interior ? 4 : 1;
        for (let o = 0; o < co; o += 8) {
          let b0 = zero, b1 = zero;
          if (biasPtr != 0) { b0 = v128.load(biasPtr + (<usize>o << 2)); b1 = v128.load(biasPtr + (<usize>o << 2), 16); }
          let a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
          for (let i = 0; i < kh; i++) {
            const y = y0 + i * dh;
            if (y < 0 || y >= h) continue;
            const xRow = xImage + (<usize>(y * w) * pixelBytes);
            for (let j = 0; j < kw; j++) {
              const xc = x0 + j * dw;
              if (!interior && (xc < 0 || xc >= w)) continue;
              let xp = xRow + (<usize>xc * pixelBytes);
              let fp = filterPtr + <usize>(i * kw + j) * tapBytes + (<usize>o << 2);
              if (interior) {
                for (let c = 0; c < ci; c++) {
                  const f0 = v128.load(fp), f1 = v128.load(fp, 16);
                  const v0 = v128.load32_splat(xp);
                  a00 = madd(v0, f0, a00); a01 = madd(v0, f1, a01);
                  const v1 = v128.load32_splat(xp + colStep);
                  a10 = madd(v1, f0, a10); a11 = madd(v1, f1, a11);
                  const v2 = v128.load32_splat(xp + 2 * colStep);
                  a20 = madd(v2, f0, a20); a21 = madd(v2, f1, a21);
                  const v3 = v128.load32_splat(xp + 3 * colStep);
                  a30 = madd(v3, f0, a30); a31 = madd(v3, f1, a31);
                  xp += 4; fp += coBytes;
                }
              } else {
                for (let c = 0; c < ci; c++) {
                  const v0 = v128.load32_splat(xp);
                  a00 = madd(v0, v128.load(fp), a00); a01 = madd(v0, v128.load(fp, 16), a01);
                  xp += 4; fp += coBytes;
                }
              }
            }
          }
          if (relu != 0) {
            a00 = f32x4.max(a00, zero); a01 = f32x4.max(a01, zero);
            a10 = f32x4.max(a10, zero); a11 = f32x4.max(a11, zero);
            a20 = f32x4.max(a20, zero); a21 = f32x4.max(a21, zero);
            a30 = f32x4.max(a30, zero); a31 = f32x4.max(a31, zero);
          }
          const op = outRow + (<usize>q * coBytes) + (<usize>o << 2);
          v128.store(op, a00); v128.store(op, a01, 16);
          if (interior) {
            v128.store(op + coBytes, a10); v128.store(op + coBytes, a11, 16);
            v128.store(op + 2 * coBytes, a20); v128.store(op + 2 * coBytes, a21, 16);
            v128.store(op + 3 * coBytes, a30); v128.store(op + 3 * coBytes, a31, 16);
          }
        }
        q += cols;
      }
    }
  }
}

// conv2dForward for one input channel, a 3x3 filter, stride and dilation 1 (a first layer):
// tiles of 4 output columns x 4 channels; each input value of a tile is splatted once per
// filter row and serves every column it reaches (6 splats, not 12).
function conv2dForwardSingle(
  xPtr: usize, filterPtr: usize, biasPtr: usize, outPtr: usize,
  n: i32, h: i32, w: i32, ho: i32, wo: i32, co: i32, padTop: i32, padLeft: i32, relu: i32,
): void {
  const coBytes = <usize>co << 2;
  const zero = f32x4.splat(0);
  for (let b = 0; b < n; b++) {
    const xImage = xPtr + (<usize>(b * h * w) << 2);
    for (let r = 0; r < ho; r++) {
      const outRow = outPtr + <usize>((b * ho + r) * wo) * coBytes;
      for (let o = 0; o < co; o += 4) {
        const off = <usize>o << 2;
        const bias = biasPtr != 0 ? v128.load(biasPtr + off) : zero;
        let q = 0;
        while (q < wo) {
          const x0 = q - padLeft;
          const op = outRow + <usize>q * coBytes + off;
          if (q + 4 <= wo && x0 >= 0 && x0 + 5 < w) {
            let a0 = bias, a1 = bias, a2 = bias, a3 = bias;
            for (let i = 0; i < 3; i++) {
              const y = r - padTop + i;
              if (y < 0 || y >= h) continue;
              const xp = xImage + (<usize>(y * w + x0) << 2);
              const fp = filterPtr + <usize>(i * 3) * coBytes + off;
              const f0 = v128.load(fp), f1 = v128.load(fp + coBytes), f2 = v128.load(fp + 2 * coBytes);
              const s0 = v128.load32_splat(xp), s1 = v128.load32_splat(xp, 4), s2 = v128.load32_splat(xp, 8);
              a0 = madd(s0, f0, a0); a1 = madd(s1, f0, a1); a2 = madd(s2, f0, a2);
              a0 = madd(s1, f1, a0); a1 = madd(s2, f1, a1);
              a0 = madd(s2, f2, a0);
              const s3 = v128.load32_splat(xp, 12);
              a3 = madd(s3, f0, a3); a2 = madd(s3, f1, a2); a1 = madd(s3, f2, a1);
              const s4 = v128.load32_splat(xp, 16);
              a3 = madd(s4, f1, a3); a2 = madd(s4, f2, a2);
              const s5 = v128.load32_splat(xp, 20);
              a3 = madd(s5, f2, a3);
            }
            if (relu != 0) { a0 = f32x4.max(a0, zero); a1 = f32x4.max(a1, zero); a2 = f32x4.max(a2, zero); a3 = f32x4.max(a3, zero); }
            v128.store(op, a0); v128.store(op + coBytes, a1); v128.store(op + 2 * coBytes, a2); v128.store(op + 3 * coBytes, a3);
            q += 4;
          } else {
            let a = bias;
            for (let i = 0; i < 3; i++) {
              const y = r - padTop + i;
              if (y < 0 || y >= h) continue;
              for (let j = 0; j < 3; j++) {
                const xc = x0 + j;
                if (xc < 0 || xc >= w) continue;
                const f = v128.load(filterPtr + <usize>(i * 3 + j) * coBytes + off);
                a = madd(v128.load32_splat(xImage + (<usize>(y * w + xc) << 2)), f, a);
              }
            }
            if (relu != 0) a = f32x4.max(a, zero);
            v128.store(op, a);
            q += 1;
          }
        }
      }
    }
  }
}

// conv2dFilterGrad for one input channel, a 3x3 filter, stride and dilation 1 (a first layer),
// co % 8 == 0, out zeroed: filterGradSingleRow for every output-gradient row.
function conv2dFilterGradSingle(
  xPtr: usize, dyPtr: usize, outPtr: usize,
  n: i32, h: i32, w: i32, ho: i32, wo: i32, co: i32, padTop: i32, padLeft: i32,
): void {
  const rowBytes = <usize>(wo * co) << 2;
  for (let b = 0; b < n; b++) {
    const xImage = xPtr + (<usize>(b * h * w) << 2);
    for (let r = 0; r < ho; r++) {
      filterGradSingleRow(xImage, dyPtr + <usize>(b * ho + r) * rowBytes, outPtr, r, h, w, wo, co, padTop, padLeft);
    }
  }
}

/**
 * Adds output-gradient row r (at dyRow, wo x co) of one image's single-channel 3x3 stride-1
 * convolution to its filter gradient out[3][3][co], co % 8 == 0. Per filter row and 8
 * channels, one pass along the row keeps the three taps' sums in registers and slides the
 * three input values under them: each input value is splatted once, not three times, and the
 * gradient row is read three times, not nine.
 */
export function filterGradSingleRow(
  xImage: usize, dyRow: usize, outPtr: usize, r: i32, h: i32, w: i32, wo: i32, co: i32, padTop: i32, padLeft: i32,
): void {
  const coBytes = <usize>co << 2;
  for (let i = 0; i < 3; i++) {
    const y = r - padTop + i;
    if (y < 0 || y >= h) continue;
    const xRow = xImage + (<usize>(y * w) << 2);
    const tap = outPtr + <usize>(i * 3) * coBytes;
    for (let o = 0; o < co; o += 8) {
      const p0 = tap + (<usize>o << 2), p1 = p0 + coBytes, p2 = p1 + coBytes;
      let a00 = v128.load(p0), a01 = v128.load(p0, 16);
      let a10 = v128.load(p1), a11 = v128.load(p1, 16);
      let a20 = v128.load(p2), a21 = v128.load(p2, 16);
      // x under taps 0, 1, 2 of output column q: columns q - padLeft + 0, 1, 2
      let s0 = rowValue(xRow, -padLeft, w), s1 = rowValue(xRow, 1 - padLeft, w);
      let dp = dyRow + (<usize>o << 2);
      for (let q = 0; q < wo; q++) {
        const s2 = rowValue(xRow, q + 2 - padLeft, w);
        const d0 = v128.load(dp), d1 = v128.load(dp, 16);
        a00 = madd(s0, d0, a00); a01 = madd(s0, d1, a01);
        a10 = madd(s1, d0, a10); a11 = madd(s1, d1, a11);
        a20 = madd(s2, d0, a20); a21 = madd(s2, d1, a21);
        s0 = s1; s1 = s2;
        dp += coBytes;
      }
      v128.store(p0, a00); v128.store(p0, a01, 16);
      v128.store(p1, a10); v128.store(p1, a11, 16);
      v128.store(p2, a20); v128.store(p2, a21, 16);
    }
  }
}

// x[col] of a one-channel row in all four lanes, zero outside the row.
@inline function rowValue(xRow: usize, col: i32, w: i32): v128 {
  if (col < 0 || col >= w) return f32x4.splat(0);
  return v128.load32_splat(xRow + (<usize>col << 2));
}
