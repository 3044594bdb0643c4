/** One image's geometric transform, in pixels and degrees. */
export interface AffineParams {
  /** Rotation about the centre, degrees. */
  readonly rotation: number;
  /** Shift in pixels (output to input, as Keras). */
  readonly tx: number;
  readonly ty: number;
  /** Shear angle, degrees. */
  readonly shear: number;
  /** Zoom factors (> 1 zooms out, as Keras). */
  readonly zx: number;
  readonly zy: number;
  readonly flipH: boolean;
  readonly flipV: boolean;
  /** Window of the (flipped) image, in pixels, that is resized to the whole output. */
  readonly crop?: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

/** The identity transform. */
export const IDENTITY: AffineParams = Object.freeze({ rotation: 0, tx: 0, ty: 0, shear: 0, zx: 1, zy: 1, flipH: false, flipV: false });

type M = [number, number, number, number, number, number]; // rows (a b c; d e f) of [[a b c][d e f][0 0 1]]

const mul = (p: M, q: M): M => [
  p[0] * q[0] + p[1] * q[3],
  p[0] * q[1] + p[1] * q[4],
  p[0] * q[2] + p[1] * q[5] + p[2],
  p[3] * q[0] + p[4] * q[3],
  p[3] * q[1] + p[4] * q[4],
  p[3] * q[2] + p[4] * q[5] + p[5],
];

/**
 * The output-to-input mapping of `params` for an image of `width` x `height`, as the 8
 * numbers `tf.image.transform` takes (`[a0, a1, a2, b0, b1, b2, 0, 0]`). Everything composes
 * into this one matrix, so an image is resampled once. Order, as applied to the image: flips,
 * crop, then rotation, shift, shear and zoom about the centre (Keras's order).
 */
export function affineMatrix(params: AffineParams, width: number, height: number): number[] {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const t = (params.rotation * Math.PI) / 180;
  const s = (params.shear * Math.PI) / 180;
  let m: M = [1, 0, cx, 0, 1, cy];
  m = mul(m, [Math.cos(t), -Math.sin(t), 0, Math.sin(t), Math.cos(t), 0]);
  m = mul(m, [1, 0, params.tx, 0, 1, params.ty]);
  m = mul(m, [1, -Math.sin(s), 0, 0, Math.cos(s), 0]);
  m = mul(m, [params.zx, 0, 0, 0, params.zy, 0]);
  m = mul(m, [1, 0, -cx, 0, 1, -cy]);
  if (params.crop) {
    const sx = params.crop.width / width;
    const sy = params.crop.height / height;
    m = mul([sx, 0, params.crop.x + 0.5 * sx - 0.5, 0, sy, params.crop.y + 0.5 * sy - 0.5], m);
  }
  const flip: M = [params.flipH ? -1 : 1, 0, params.flipH ? width - 1 : 0, 0, params.flipV ? -1 : 1, params.flipV ? height - 1 : 0];
  m = mul(flip, m);
  return [...m, 0, 0];
}

/** True when `matrix` (8 numbers) maps every pixel to itself. */
export function isIdentity(matrix: readonly number[]): boolean {
  const id = [1, 0, 0, 0, 1, 0, 0, 0];
  return matrix.every((v, i) => Math.abs(v - (id[i] as number)) < 1e-12);
}
