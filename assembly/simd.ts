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
