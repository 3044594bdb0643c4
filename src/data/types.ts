import type * as tf from '@tensorflow/tfjs-core';
import type { SliceImage } from '../preprocessing/index.js';

/** One decoded image (display pixels or a slice in HU) with its label (0 normal, 1 hemorrhage). */
export interface LabeledImage {
  readonly image: SliceImage;
  /** 0 for the negative class, 1 for the positive class. */
  readonly label: number;
  /** Identifier shown in reports and errors (file name, row id). */
  readonly id?: string;
  /** Group (patient, scan) for grouped splits: a group never lands on both sides of a split. */
  readonly group?: string;
}

/** Already preprocessed inputs `[n, h, w, c]` and labels `[n]` or `[n, 1]`; the caller owns them. */
export interface TensorData {
  readonly xs: tf.Tensor4D;
  readonly ys: tf.Tensor;
  /** Group of each row (patient, scan), for grouped validation splits. */
  readonly groups?: readonly (string | undefined)[];
}

/** What `train` and `evaluate` take: decoded labelled images, or preprocessed tensors. */
export type LabeledData = readonly LabeledImage[] | TensorData;

/** True when `data` is {@link TensorData}. */
export function isTensorData(data: LabeledData): data is TensorData {
  return !Array.isArray(data) && typeof (data as TensorData).xs === 'object';
}
