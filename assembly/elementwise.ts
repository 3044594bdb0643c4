// Element-wise gradients.

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
