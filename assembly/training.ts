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


// Tiles per block of the Winograd convolution: its transformed inputs and products stay in cache.
const WINOGRAD_TILES: i32 = 16;

/** Floats of scratch memory {@link conv2dWinograd} needs for ci input and co output channels. */
export function winogradScratchFloats(ci: i32, co: i32): i32 {
  return 16 * (ci * co + WINOGRAD_TILES * ci + WINOGRAD_TILES * co);
}

/**
 * The same convolution as conv2dForward for a 3x3 filter, stride 1 and dilation 1, by Winograd's
 * F(2x2, 3x3): each 2x2 block of outputs from a 4x4 block of inputs with 16 products per input
 * and output channel pair instead of 36. Needs ci % 4 == 0, co % 8 == 0 and
 * winogradScratchFloats(ci, co) floats of scratch at scratchPtr.
 */
export function conv2dWinograd(
  xPtr: usize, filterPtr: usize, biasPtr: usize, outPtr: usize, scratchPtr: usize,
  n: i32, h: i32, w: i32, ci: i32, ho: i32, wo: i32, co: i32, padTop: i32, padLeft: i32, relu: i32,
): void {
  winogradFilter(filterPtr, scratchPtr, ci, co);
  winogradTiles(xPtr, scratchPtr, biasPtr, outPtr, scratchPtr + (<usize>(16 * ci * co) << 2), n, h, w, ci, ho, wo, co, padTop, padLeft, relu);
}

// conv2dWinograd with the filter already transformed into uPtr; tilePtr: scratch for V and M.
function winogradTiles(
  xPtr: usize, uPtr: usize, biasPtr: usize, outPtr: usize, tilePtr: usize,
  n: i32, h: i32, w: i32, ci: i32, ho: i32, wo: i32, co: i32, padTop: i32, padLeft: i32, relu: i32,
): void {
  const vPtr = tilePtr;
  const mPtr = vPtr + (<usize>(16 * WINOGRAD_TILES * ci) << 2);
  memory.fill(vPtr, 0, <usize>(16 * WINOGRAD_TILES * ci) << 2); // unused tile rows hold finite values
  const tilesH = (ho + 1) >> 1, tilesW = (wo + 1) >> 1;
  const perImage = tilesH * tilesW;
  const total = n * perImage;
  for (let t0 = 0; t0 < total; t0 += WINOGRAD_TILES) {
    const count = min(WINOGRAD_TILES, total - t0);
    for (let t = 0; t < count; t++) {
      const g = t0 + t;
      const b = g / perImage, r = g % perImage;
      winogradInput(xPtr, vPtr, WINOGRAD_TILES, t, b, ((r / tilesW) << 1) - padTop, ((r % tilesW) << 1) - padLeft, h, w, ci);
    }
    winogradProducts(uPtr, vPtr, mPtr, count, ci, co);
    for (let t = 0; t < count; t++) {
      const g = t0 + t;
      const b = g / perImage, r = g % perImage;
      winogradOutput(mPtr, biasPtr, outPtr, t, b, (r / tilesW) << 1, (r % tilesW) << 1, ho, wo, co, relu);
    }
  }
}

// U[k][c][o] = (G g G^T)[k] for every input channel c and output channel o, k = 4 * row + column.
function winogradFilter(filterPtr: usize, uPtr: usize, ci: i32, co: i32): void {
  const plane = <usize>(ci * co) << 2;
  for (let c = 0; c < ci; c++) {
    for (let o = 0; o < co; o++) {
      const src = filterPtr + (<usize>(c * co + o) << 2);
      const dst = uPtr + (<usize>(c * co + o) << 2);
      for (let i = 0; i < 4; i++) {
        // row i of G g over the 3 filter columns: g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2
        const a = winogradG(src, plane, i, 0), b = winogradG(src, plane, i, 1), c2 = winogradG(src, plane, i, 2);
        store<f32>(dst + <usize>(4 * i) * plane, a);
        store<f32>(dst + <usize>(4 * i + 1) * plane, <f32>0.5 * (a + b + c2));
        store<f32>(dst + <usize>(4 * i + 2) * plane, <f32>0.5 * (a - b + c2));
        store<f32>(dst + <usize>(4 * i + 3) * plane, c2);
      }
    }
  }
}

// (G g)[i][j] for filter column j.
@inline function winogradG(src: usize, plane: usize, i: i32, j: i32): f32 {
  const g0 = load<f32>(src + <usize>j * plane);
  const g2 = load<f32>(src + <usize>(6 + j) * plane);
  if (i == 0) return g0;
  if (i == 3) return g2;
  const g1 = load<f32>(src + <usize>(3 + j) * plane);
  return i == 1 ? <f32>0.5 * (g0 + g1 + g2) : <f32>0.5 * (g0 - g1 + g2);
}

// V[k][t][c] = (B^T d B)[k] for the 4x4 input block d at (y0, x0) of image b (zeros outside x).
// `tiles` is the tile count of a block (the stride of k in V).
function winogradInput(xPtr: usize, vPtr: usize, tiles: i32, t: i32, b: i32, y0: i32, x0: i32, h: i32, w: i32, ci: i32): void {
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

// Four channels of pixel (y, x), zeros outside the image.
@inline function pixel(base: usize, y: i32, x: i32, h: i32, w: i32, ci: i32): v128 {
  if (y < 0 || y >= h || x < 0 || x >= w) return f32x4.splat(0);
  return v128.load(base + (<usize>((y * w + x) * ci) << 2));
}

// M[k][t][o] = sum over c of V[k][t][c] * U[k][c][o], for the first `count` tiles (in fours).
function winogradProducts(uPtr: usize, vPtr: usize, mPtr: usize, count: i32, ci: i32, co: i32): void {
  const coBytes = <usize>co << 2, ciBytes = <usize>ci << 2;
  for (let k = 0; k < 16; k++) {
    const uk = uPtr + (<usize>(k * ci * co) << 2);
    const vk = vPtr + (<usize>(k * WINOGRAD_TILES * ci) << 2);
    const mk = mPtr + (<usize>(k * WINOGRAD_TILES * co) << 2);
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

// The 2x2 outputs of tile t at (oy, ox) of image b: A^T M A, plus bias, ReLU when asked.
function winogradOutput(mPtr: usize, biasPtr: usize, outPtr: usize, t: i32, b: i32, oy: i32, ox: i32, ho: i32, wo: i32, co: i32, relu: i32): void {
  const kStride = <usize>(WINOGRAD_TILES * co) << 2;
  const zero = f32x4.splat(0);
  const coBytes = <usize>co << 2;
  const right = ox + 1 < wo, below = oy + 1 < ho;
  const o00 = outPtr + (<usize>((b * ho + oy) * wo + ox) * coBytes);
  const o10 = o00 + <usize>wo * coBytes;
  for (let o = 0; o < co; o += 4) {
    const m = mPtr + (<usize>(t * co + o) << 2);
    // A^T m: rows m0 + m1 + m2 and m1 - m2 - m3, per column j
    const s00 = outputSum(m, kStride, 0), s01 = outputSum(m, kStride, 1), s02 = outputSum(m, kStride, 2), s03 = outputSum(m, kStride, 3);
    const s10 = outputDiff(m, kStride, 0), s11 = outputDiff(m, kStride, 1), s12 = outputDiff(m, kStride, 2), s13 = outputDiff(m, kStride, 3);
    const bias = biasPtr != 0 ? v128.load(biasPtr + (<usize>o << 2)) : zero;
    let y00 = f32x4.add(bias, f32x4.add(f32x4.add(s00, s01), s02));
    let y01 = f32x4.add(bias, f32x4.sub(f32x4.sub(s01, s02), s03));
    let y10 = f32x4.add(bias, f32x4.add(f32x4.add(s10, s11), s12));
    let y11 = f32x4.add(bias, f32x4.sub(f32x4.sub(s11, s12), s13));
    if (relu != 0) { y00 = f32x4.max(y00, zero); y01 = f32x4.max(y01, zero); y10 = f32x4.max(y10, zero); y11 = f32x4.max(y11, zero); }
    const off = <usize>o << 2;
    v128.store(o00 + off, y00);
    if (right) v128.store(o00 + coBytes + off, y01);
    if (below) {
      v128.store(o10 + off, y10);
      if (right) v128.store(o10 + coBytes + off, y11);
    }
  }
}

@inline function outputSum(m: usize, kStride: usize, j: i32): v128 {
  return f32x4.add(f32x4.add(v128.load(m + <usize>j * kStride), v128.load(m + <usize>(4 + j) * kStride)), v128.load(m + <usize>(8 + j) * kStride));
}

@inline function outputDiff(m: usize, kStride: usize, j: i32): v128 {
  return f32x4.sub(f32x4.sub(v128.load(m + <usize>(4 + j) * kStride), v128.load(m + <usize>(8 + j) * kStride)), v128.load(m + <usize>(12 + j) * kStride));
}

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
      winogradInput(xPtr, vPtr, T, t, b, ty - padTop, tx - padLeft, h, w, ci);
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

/** Floats of scratch memory {@link conv2dReluMaxPool} needs. */
export function convPoolScratchFloats(wo: i32, ci: i32, co: i32, winograd: i32): i32 {
  return 2 * wo * co + (winograd != 0 ? winogradScratchFloats(ci, co) : 0);
}

/**
 * Convolution (as conv2dForward, no dilation), bias, ReLU and a 2x2 max-pooling of stride 2 in
 * one pass, two convolution rows at a time in scratch (the full convolution output is never
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
  const uPtr = band + (<usize>(2 * wo * co) << 2);
  const tilePtr = uPtr + (<usize>(16 * ci * co) << 2);
  if (winograd != 0) winogradFilter(filterPtr, uPtr, ci, co);
  const ph = ho >> 1, pw = wo >> 1;
  const imageBytes = <usize>(h * w * ci) << 2;
  const pooledRow = <usize>(pw * co);
  for (let b = 0; b < n; b++) {
    const xImage = xPtr + <usize>b * imageBytes;
    for (let r = 0; r < ph; r++) {
      const top = padTop - 2 * r * sh;
      if (winograd != 0) winogradTiles(xImage, uPtr, biasPtr, band, tilePtr, 1, h, w, ci, 2, wo, co, top, padLeft, 0);
      else conv2dForward(xImage, filterPtr, biasPtr, band, 1, h, w, ci, 2, wo, co, kh, kw, sh, sw, 1, 1, top, padLeft, 0);
      const row = <usize>(b * ph + r) * pooledRow;
      poolBand(band, outPtr + (row << 2), idxPtr + row, wo, pw, co);
    }
  }
}

// Max-pools (2x2, stride 2) two rows of wo pixels after a ReLU; see conv2dReluMaxPool.
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
  const coBytes = <usize>co << 2;
  const rowBytes = <usize>wo * coBytes;
  const none = i32x4.splat(4);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < ph; r++) {
      const row = <usize>((b * ph + r) * pw * co);
      const outRow = outPtr + <usize>(b * ho + 2 * r) * rowBytes;
      for (let q = 0; q < pw; q++) {
        const g0 = dyPtr + ((row + <usize>(q * co)) << 2);
        const i0 = idxPtr + row + <usize>(q * co);
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
