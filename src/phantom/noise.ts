/** Gaussian blur of the rows and columns from `lo` to `hi` (the head's extent plus the kernel); the rest is uniform air. */
export function gaussianBlur(hu: Float32Array, size: number, sigma: number, lo: number, hi: number): void {
  const r = Math.max(1, Math.ceil(2.5 * sigma));
  const k = new Float64Array(2 * r + 1);
  let total = 0;
  for (let j = -r; j <= r; j++) total += k[j + r] = Math.exp(-(j * j) / (2 * sigma * sigma));
  for (let j = 0; j < k.length; j++) k[j] = k[j]! / total;
  // Rows into a padded line buffer (edges repeated), then columns likewise.
  const tmp = Float32Array.from(hu);
  const line = new Float64Array(size + 2 * r);
  const taps = 2 * r + 1;
  for (let pass = 0; pass < 2; pass++) {
    const src = pass === 0 ? hu : tmp;
    const dst = pass === 0 ? tmp : hu;
    const step = pass === 0 ? 1 : size;
    const stride = pass === 0 ? size : 1;
    for (let l = lo; l <= hi; l++) {
      const base = l * stride;
      for (let j = 0; j < size; j++) line[j + r] = src[base + j * step]!;
      for (let j = 0; j < r; j++) {
        line[j] = line[r]!;
        line[size + r + j] = line[size + r - 1]!;
      }
      for (let j = 0; j < size; j++) {
        let acc = 0;
        for (let q = 0; q < taps; q++) acc += k[q]! * line[j + q]!;
        dst[base + j * step] = acc;
      }
    }
  }
}

export const NORMAL_TABLE_SIZE = 16384;
let normalQuantiles: Float32Array | undefined;

/** Standard normal quantiles at (j + 0.5) / size: one table lookup per noise sample (Acklam's inverse CDF). */
export function normalTable(): Float32Array {
  if (normalQuantiles) return normalQuantiles;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const out = new Float32Array(NORMAL_TABLE_SIZE);
  for (let j = 0; j < NORMAL_TABLE_SIZE; j++) {
    const p = (j + 0.5) / NORMAL_TABLE_SIZE;
    let z: number;
    if (p < 0.02425 || p > 1 - 0.02425) {
      const q = Math.sqrt(-2 * Math.log(p < 0.5 ? p : 1 - p));
      z = (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
      if (p > 0.5) z = -z;
    } else {
      const q = p - 0.5;
      const rr = q * q;
      z = ((((((a0 * rr + a1) * rr + a2) * rr + a3) * rr + a4) * rr + a5) * q) / (((((b0 * rr + b1) * rr + b2) * rr + b3) * rr + b4) * rr + 1);
    }
    out[j] = z;
  }
  normalQuantiles = out;
  return out;
}
