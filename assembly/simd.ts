// Helpers shared by the kernels.

/** c + a * b, lane by lane: one fused multiply-add in the relaxed-SIMD build. */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Four channels of pixel (y, x) of an NHWC image at base, zeros outside the image. */
@inline export function pixel(base: usize, y: i32, x: i32, h: i32, w: i32, ci: i32): v128 {
  if (y < 0 || y >= h || x < 0 || x >= w) return f32x4.splat(0);
  return v128.load(base + (<usize>((y * w + x) * ci) << 2));
}

/**
 * A 4 x 8 block of sums of outer products, the inner loop of the matrix-product kernels: for
 * r < 4 and the 8 floats at acc + r * accRow, adds sum over q < count of
 * a[r * aRow + q * aStep] (one float, splatted) * the 8 floats at b + q * bStep; from zero
 * instead of the stored values when fromZero.
 */
@inline export function outer4x8(
  acc: usize, accRow: usize, a: usize, aRow: usize, aStep: usize, b: usize, bStep: usize, count: i32, fromZero: bool,
): void {
  const zero = f32x4.splat(0);
  let a00 = fromZero ? zero : v128.load(acc), a01 = fromZero ? zero : v128.load(acc, 16);
  let a10 = fromZero ? zero : v128.load(acc + accRow), a11 = fromZero ? zero : v128.load(acc + accRow, 16);
  let a20 = fromZero ? zero : v128.load(acc + 2 * accRow), a21 = fromZero ? zero : v128.load(acc + 2 * accRow, 16);
  let a30 = fromZero ? zero : v128.load(acc + 3 * accRow), a31 = fromZero ? zero : v128.load(acc + 3 * accRow, 16);
  let ap = a, bp = b;
  for (let q = 0; q < count; q++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    const x0 = v128.load32_splat(ap);
    a00 = madd(x0, b0, a00); a01 = madd(x0, b1, a01);
    const x1 = v128.load32_splat(ap + aRow);
    a10 = madd(x1, b0, a10); a11 = madd(x1, b1, a11);
    const x2 = v128.load32_splat(ap + 2 * aRow);
    a20 = madd(x2, b0, a20); a21 = madd(x2, b1, a21);
    const x3 = v128.load32_splat(ap + 3 * aRow);
    a30 = madd(x3, b0, a30); a31 = madd(x3, b1, a31);
    ap += aStep; bp += bStep;
  }
  v128.store(acc, a00); v128.store(acc, a01, 16);
  v128.store(acc + accRow, a10); v128.store(acc + accRow, a11, 16);
  v128.store(acc + 2 * accRow, a20); v128.store(acc + 2 * accRow, a21, 16);
  v128.store(acc + 3 * accRow, a30); v128.store(acc + 3 * accRow, a31, 16);
}
