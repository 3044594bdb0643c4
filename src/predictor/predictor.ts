import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { requireBackend } from '../data/index.js';
import { decodeSlice } from '../decode/index.js';
import { CtHemorrhageError } from '../errors/index.js';
import { predictScores } from '../inference/index.js';
import { getModelInfo, type ModelInfo } from '../metadata/index.js';
import { imagesToBatch, tensorToBatch, type SliceImage } from '../preprocessing/index.js';

/**
 * What a predictor takes: encoded PNG/JPEG/BMP/TIFF or DICOM bytes, a decoded `{data, width, height}`
 * image, a slice in Hounsfield units `{hu, width, height}`, or a tensor of pixels (0-255) shaped `[h, w]`, `[h, w, c]` or `[1, h, w, c]`.
 * The Node entry (`ct-hemorrhage/node`) also takes a file path.
 */
export type PredictInput = Uint8Array | ArrayBuffer | SliceImage | tf.Tensor | string;

/** One prediction. */
export interface Prediction {
  /** Probability of the positive class (hemorrhage), 0-1. */
  readonly probability: number;
  /** Name of the predicted class. */
  readonly label: string;
  /** 1 when `probability >= threshold`, else 0. */
  readonly labelIndex: 0 | 1;
  /** Threshold used. */
  readonly threshold: number;
}

/** Options of {@link createPredictor}. */
export interface PredictorOptions {
  /** Decision threshold. Default: the one saved with the model. */
  threshold?: number;
  /** Images per inference batch in `predictBatch`. Default `32`. */
  batchSize?: number;
  /** Dispose the model with the predictor. Default `false` (`true` for `loadPredictor`). */
  ownsModel?: boolean;
  /**
   * Turns an input the core does not know (a file path, say) into bytes or an image; the Node
   * entry sets it to read files.
   */
  readSource?: (input: string) => Promise<Uint8Array>;
}

/** Runs a model on images with the preprocessing saved in it. */
export interface Predictor {
  readonly model: tfl.LayersModel;
  /** The model's saved facts: architecture, preprocessing, class names, threshold. */
  readonly info: ModelInfo;
  /** Predicts one image. */
  predict(input: PredictInput): Promise<Prediction>;
  /** Predicts many images, in batches; results in input order. */
  predictBatch(inputs: readonly PredictInput[]): Promise<Prediction[]>;
  /** Frees the model if the predictor owns it. */
  dispose(): void;
}

function isSliceImage(x: unknown): x is SliceImage {
  return typeof x === 'object' && x !== null && ('data' in x || 'hu' in x) && 'width' in x && 'height' in x;
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (typeof input !== 'object') return typeof input;
  return (input as object).constructor?.name ?? 'object';
}

/**
 * Wraps a model as a {@link Predictor}. The preprocessing, class names and threshold are read
 * from the model, so predictions use exactly what training used.
 *
 * @example
 * ```ts
 * const predictor = createPredictor(model);
 * await predictor.predict(pngBytes);
 * // { probability: 0.93, label: 'hemorrhage', labelIndex: 1, threshold: 0.5 }
 * ```
 */
export function createPredictor(model: tfl.LayersModel, options: PredictorOptions = {}): Predictor {
  const info = getModelInfo(model);
  const spec = info.preprocessing;
  const threshold = options.threshold ?? spec.threshold;
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new CtHemorrhageError('BAD_INPUT', `Option threshold must be in [0, 1]; got ${threshold}.`, {
      option: 'threshold',
      received: threshold,
    });
  }
  const batchSize = options.batchSize ?? 32;

  async function toImageOrTensor(input: PredictInput, index: number): Promise<SliceImage | tf.Tensor> {
    if (input instanceof tf.Tensor) return input;
    if (typeof input === 'string') {
      if (!options.readSource) {
        throw new CtHemorrhageError(
          'BAD_INPUT',
          `Input ${index} is a string; the browser-safe entry cannot read files. ` +
            "Import from 'ct-hemorrhage/node' to predict file paths, or pass the file's bytes.",
          { received: input },
        );
      }
      return decodeSlice(await options.readSource(input), { name: input });
    }
    if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
      return decodeSlice(input, { name: `input ${index}` });
    }
    if (isSliceImage(input)) return input;
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `Input ${index} is a ${describe(input)}; pass image or DICOM bytes, {data, width, height}, {hu, width, height}, a tensor or (Node) a file path.`,
      { received: describe(input) },
    );
  }

  function toBatch(item: SliceImage | tf.Tensor): tf.Tensor4D {
    if (item instanceof tf.Tensor) {
      if (item.rank === 4 && item.shape[0] !== 1) {
        throw new CtHemorrhageError(
          'SHAPE_MISMATCH',
          `A tensor input to predict holds ${item.shape[0]} images; use predictBatch with one tensor per image.`,
          { expected: [1, null, null, null], received: item.shape },
        );
      }
      return tensorToBatch(item, spec);
    }
    return imagesToBatch([item], spec);
  }

  function toPrediction(probability: number): Prediction {
    const labelIndex = probability >= threshold ? 1 : 0;
    return { probability, label: spec.classNames[labelIndex] as string, labelIndex, threshold };
  }

  async function predictBatch(inputs: readonly PredictInput[]): Promise<Prediction[]> {
    requireBackend();
    const out: Prediction[] = [];
    for (let start = 0; start < inputs.length; start += batchSize) {
      const items = await Promise.all(
        inputs.slice(start, start + batchSize).map((input, i) => toImageOrTensor(input, start + i)),
      );
      const batch = tf.tidy(() => tf.concat(items.map(toBatch)) as tf.Tensor4D);
      try {
        const scores = await predictScores(model, batch, batchSize);
        scores.forEach((p) => out.push(toPrediction(p)));
      } finally {
        batch.dispose();
      }
    }
    return out;
  }

  return {
    model,
    info,
    async predict(input) {
      const [prediction] = await predictBatch([input]);
      return prediction as Prediction;
    },
    predictBatch,
    dispose() {
      if (options.ownsModel) model.dispose();
    },
  };
}

/**
 * Loads a saved model from a URL (or any tfjs `io.IOHandler`) and wraps it as a
 * {@link Predictor} that owns it. In Node, `ct-hemorrhage/node` also takes a folder path.
 *
 * @example
 * ```ts
 * const predictor = await loadPredictor('https://example.org/models/ct/model.json');
 * predictor.info.preprocessing.inputSize; // [128, 128]
 * ```
 */
export async function loadPredictor(
  source: string | tf.io.IOHandler,
  options: PredictorOptions = {},
): Promise<Predictor> {
  requireBackend();
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(source);
  } catch (cause) {
    throw new CtHemorrhageError(
      'MODEL_FORMAT',
      `Could not load a model from ${typeof source === 'string' ? source : 'the given IO handler'}: ` +
        `${cause instanceof Error ? cause.message : String(cause)}. Point at the model.json of a saved model.`,
      { file: typeof source === 'string' ? source : undefined },
      { cause },
    );
  }
  try {
    return createPredictor(model, { ownsModel: true, ...options });
  } catch (error) {
    model.dispose();
    throw error;
  }
}
