import * as tf from '@tensorflow/tfjs-core';

/**
 * Stochastic weight averaging (Izmailov et al., 2018): the running sum of the trainable
 * weights at the end of each epoch of the averaging window, and how many epochs it holds.
 * Sums are float32 arrays on the CPU, added in a fixed order, so a run resumed from a
 * checkpoint (which stores them exactly) averages to the same weights as an uninterrupted one.
 */
export class WeightAverage {
  private readonly sums: Float32Array[];
  private epochs: number;

  private constructor(sums: Float32Array[], epochs: number) {
    this.sums = sums;
    this.epochs = epochs;
  }

  /** An empty average over `variables`, or one resumed from a checkpoint's sums. */
  static start(variables: readonly tf.Variable[], resumed?: { sums: readonly tf.Tensor[]; epochs: number }): WeightAverage {
    if (resumed) {
      return new WeightAverage(
        resumed.sums.map((t) => Float32Array.from(t.dataSync() as Float32Array)),
        resumed.epochs,
      );
    }
    return new WeightAverage(
      variables.map((v) => new Float32Array(v.size)),
      0,
    );
  }

  /** Epochs added so far. */
  get count(): number {
    return this.epochs;
  }

  /** Adds the current values of `variables` (one epoch's end). */
  add(variables: readonly tf.Variable[]): void {
    variables.forEach((v, i) => {
      const values = v.dataSync() as Float32Array;
      const sum = this.sums[i] as Float32Array;
      for (let k = 0; k < sum.length; k++) sum[k] = (sum[k] as number) + (values[k] as number);
    });
    this.epochs++;
  }

  /** Writes the mean into `variables`; a no-op before the first epoch is added. */
  apply(variables: readonly tf.Variable[]): void {
    if (this.epochs === 0) return;
    variables.forEach((v, i) => {
      const mean = Float32Array.from(this.sums[i] as Float32Array, (s) => s / this.epochs);
      tf.tidy(() => v.assign(tf.tensor(mean, v.shape)));
    });
  }

  /** The sums as tensors for a checkpoint (the caller disposes them). */
  toTensors(variables: readonly tf.Variable[]): tf.Tensor[] {
    return variables.map((v, i) => tf.tensor(this.sums[i] as Float32Array, v.shape));
  }
}
