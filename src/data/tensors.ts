import * as tf from '@tensorflow/tfjs-core';
import { CtHemorrhageError } from '../errors/index.js';
import { imagesToBatch, type Preprocessing } from '../preprocessing/index.js';
import { isTensorData, type LabeledData } from './types.js';

/** Model-ready tensors; `dispose()` frees only what this module allocated. */
export interface PreparedData {
  readonly xs: tf.Tensor4D;
  readonly labels: Float32Array;
  readonly ids: readonly string[];
  dispose(): void;
}

function checkLabel(label: number, where: string): number {
  if (label !== 0 && label !== 1) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `Label of ${where} is ${String(label)}; labels must be 0 (normal) or 1 (hemorrhage).`,
      { expected: [0, 1], received: label },
    );
  }
  return label;
}

/**
 * Preprocesses {@link LabeledData} with the model's `spec` into one input tensor and a label
 * array, checking labels and shapes.
 */
export function prepareData(data: LabeledData, spec: Preprocessing, what = 'data'): PreparedData {
  const [h, w] = spec.inputSize;
  if (isTensorData(data)) {
    const { xs, ys } = data;
    if (xs.rank !== 4 || xs.shape[1] !== h || xs.shape[2] !== w || xs.shape[3] !== spec.channels) {
      throw new CtHemorrhageError(
        'SHAPE_MISMATCH',
        `The ${what} tensor xs has shape [${xs.shape.join(', ')}] but the model takes [n, ${h}, ${w}, ${spec.channels}]. ` +
          'Preprocess to the model input size, or pass decoded images instead.',
        { expected: [null, h, w, spec.channels], received: xs.shape },
      );
    }
    const labels = Float32Array.from(ys.dataSync());
    if (labels.length !== xs.shape[0]) {
      throw new CtHemorrhageError(
        'SHAPE_MISMATCH',
        `The ${what} has ${xs.shape[0]} inputs but ${labels.length} labels.`,
        { expected: xs.shape[0], received: labels.length },
      );
    }
    labels.forEach((l, i) => checkLabel(l, `${what} row ${i}`));
    if (labels.length === 0) {
      throw new CtHemorrhageError('EMPTY_DATASET', `The ${what} holds no samples.`);
    }
    return { xs, labels, ids: Array.from(labels, (_, i) => String(i)), dispose: () => {} };
  }
  if (data.length === 0) {
    throw new CtHemorrhageError('EMPTY_DATASET', `The ${what} holds no images; pass at least one labelled image.`);
  }
  const labels = Float32Array.from(data, (s, i) => checkLabel(s.label, `${what} item ${s.id ?? i}`));
  const xs = imagesToBatch(
    data.map((s) => s.image),
    spec,
  );
  return { xs, labels, ids: data.map((s, i) => s.id ?? String(i)), dispose: () => xs.dispose() };
}

/** Counts of each label in `labels`. */
export function classCounts(labels: ArrayLike<number>): [number, number] {
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i] === 1 ? 1 : 0;
  return [labels.length - pos, pos];
}

/** Ensures `tf` has a backend ready, with an error that says how to get one. */
export function requireBackend(): void {
  try {
    tf.backend();
  } catch (cause) {
    throw new CtHemorrhageError(
      'BACKEND_NOT_READY',
      'No TensorFlow.js backend is ready. Import one (e.g. "@tensorflow/tfjs-backend-cpu") and ' +
        'await tf.setBackend("cpu") / tf.ready() before calling ct-hemorrhage.',
      {},
      { cause },
    );
  }
}
