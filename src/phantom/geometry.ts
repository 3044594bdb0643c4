/** A full turn in radians. */
export const TAU = 2 * Math.PI;

/** `x` squared. */
export function sq(x: number): number {
  return x * x;
}

/** Signed angle a - b wrapped to [-pi, pi). */
export function angleDiff(a: number, b: number): number {
  let d = (a - b) % TAU;
  if (d < -Math.PI) d += TAU;
  else if (d >= Math.PI) d -= TAU;
  return d;
}
