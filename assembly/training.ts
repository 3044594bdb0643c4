// WebAssembly SIMD kernels for training on the tfjs wasm backend. Compiled by AssemblyScript
// into src/wasm-training/kernels/binary.ts (npm run build:kernels); they run on the wasm
// backend's own memory: every argument named *Ptr is a byte offset into it.

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

/** Gradient of ReLU: dy where x > 0, else 0. */
export function reluGrad(xPtr: usize, dyPtr: usize, outPtr: usize, size: i32): void {
  const zero = f32x4.splat(0);
  const size4 = size & ~3;
  let i = 0;
  for (; i < size4; i += 4) {
    const o = <usize>i << 2;
    v128.store(outPtr + o, v128.and(v128.load(dyPtr + o), f32x4.gt(v128.load(xPtr + o), zero)));
  }
  for (; i < size; i++) {
    const o = <usize>i << 2;
    store<f32>(outPtr + o, load<f32>(xPtr + o) > 0 ? load<f32>(dyPtr + o) : 0);
  }
}

/** Column sums of a row-major [rows, cols] matrix (the gradient of a bias over the last axis). */
export function columnSum(dyPtr: usize, outPtr: usize, rows: i32, cols: i32): void {
  const cols4 = cols & ~3;
  const rowBytes = <usize>cols << 2;
  let c = 0;
  for (; c + 16 <= cols4; c += 16) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let p = dyPtr + (<usize>c << 2);
    for (let r = 0; r < rows; r++) {
      a0 = f32x4.add(a0, v128.load(p)); a1 = f32x4.add(a1, v128.load(p, 16));
      a2 = f32x4.add(a2, v128.load(p, 32)); a3 = f32x4.add(a3, v128.load(p, 48));
      p += rowBytes;
    }
    const o = outPtr + (<usize>c << 2);
    v128.store(o, a0); v128.store(o, a1, 16); v128.store(o, a2, 32); v128.store(o, a3, 48);
  }
  for (; c < cols4; c += 4) {
    let a = f32x4.splat(0);
    let p = dyPtr + (<usize>c << 2);
    for (let r = 0; r < rows; r++) { a = f32x4.add(a, v128.load(p)); p += rowBytes; }
    v128.store(outPtr + (<usize>c << 2), a);
  }
  for (; c < cols; c++) {
    let a: f32 = 0;
    let p = dyPtr + (<usize>c << 2);
    for (let r = 0; r < rows; r++) { a += load<f32>(p); p += rowBytes; }
    store<f32>(outPtr + (<usize>c << 2), a);
  }
}

/** c + a * b, lane by lane. */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
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

