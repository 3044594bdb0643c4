import type * as tfl from '@tensorflow/tfjs-layers';
import { CtHemorrhageError } from '../errors/index.js';
import { DEFAULT_PREPROCESSING, RESIZE_MODES, type Preprocessing, type ResizeMode } from '../preprocessing/index.js';
import { VERSION } from '../version/index.js';
import { parseWindowSpec, type WindowSpec } from '../windowing/index.js';

/** The key under which the library stores its facts in a model's `userDefinedMetadata`. */
export const METADATA_KEY = 'ctHemorrhage';

/** The format version of {@link ModelInfo}; a loader refuses versions it does not know. */
export const MODEL_INFO_FORMAT = 1;

/** What travels inside every model the library builds, saves and loads. */
export interface ModelInfo {
  /** Format version of this record ({@link MODEL_INFO_FORMAT}). */
  readonly format: number;
  /** Version of `ct-hemorrhage` that built or last trained the model. */
  readonly libraryVersion: string;
  /** Architecture name, e.g. `'larger-cnn'`. */
  readonly architecture: string;
  /** How raw images become inputs. */
  readonly preprocessing: Preprocessing;
}

/**
 * Stores `info` in the model's user-defined metadata (kept by `model.save`).
 *
 * @example
 * ```ts
 * const info = getModelInfo(model);
 * setModelInfo(model, { ...info, preprocessing: { ...info.preprocessing, threshold: 0.3 } });
 * getModelInfo(model).preprocessing.threshold; // 0.3
 * ```
 */
export function setModelInfo(model: tfl.LayersModel, info: ModelInfo): void {
  const current = (model.getUserDefinedMetadata() ?? {}) as Record<string, unknown>;
  // A JSON round trip drops `undefined` fields, which tfjs refuses in metadata.
  model.setUserDefinedMetadata({ ...current, [METADATA_KEY]: JSON.parse(JSON.stringify(info)) as ModelInfo });
}

function isWindowSpec(w: unknown): boolean {
  try {
    parseWindowSpec(w as WindowSpec);
    return true;
  } catch {
    return false;
  }
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/**
 * Reads and checks the library's record from a model. A model without one (built elsewhere)
 * gets the default preprocessing with its input size taken from the model itself.
 *
 * @example
 * ```ts
 * getModelInfo(buildLargerCnn({ inputSize: 64 }));
 * // { format: 1, libraryVersion: '0.1.0', architecture: 'larger-cnn',
 * //   preprocessing: { inputSize: [64, 64], channels: 1, scale: 0.00392..., threshold: 0.5, ... } }
 * ```
 */
export function getModelInfo(model: tfl.LayersModel): ModelInfo {
  const shape = model.inputs[0]?.shape;
  const meta = (model.getUserDefinedMetadata() ?? {}) as Record<string, unknown>;
  const raw = meta[METADATA_KEY] as Partial<ModelInfo> | undefined;
  if (raw === undefined) {
    if (!shape || shape.length !== 4 || !isPositiveInt(shape[1]) || !isPositiveInt(shape[2]) || shape[3] !== 1) {
      throw new CtHemorrhageError(
        'MODEL_FORMAT',
        `This model carries no ct-hemorrhage metadata and its input shape [${shape?.join(', ')}] is not ` +
          '[null, height, width, 1]. Build models with buildSimpleCnn/buildLargerCnn, or call setModelInfo first.',
        { received: shape },
      );
    }
    return {
      format: MODEL_INFO_FORMAT,
      libraryVersion: VERSION,
      architecture: model.name,
      preprocessing: { ...DEFAULT_PREPROCESSING, inputSize: [shape[1], shape[2]] },
    };
  }
  if (raw.format !== MODEL_INFO_FORMAT) {
    throw new CtHemorrhageError(
      'MODEL_FORMAT',
      `The model's metadata has format ${String(raw.format)}, but this version of ct-hemorrhage ` +
        `(${VERSION}) reads format ${MODEL_INFO_FORMAT}. Upgrade ct-hemorrhage or retrain the model.`,
      { expected: MODEL_INFO_FORMAT, received: raw.format },
    );
  }
  const p = raw.preprocessing as Partial<Preprocessing> | undefined;
  const size = p?.inputSize;
  const problems: string[] = [];
  if (!Array.isArray(size) || size.length !== 2 || !size.every(isPositiveInt)) problems.push('inputSize');
  const windows = p?.windows;
  if (windows !== undefined) {
    if (!Array.isArray(windows) || windows.length === 0 || !windows.every(isWindowSpec)) problems.push('windows');
    else if (p?.channels !== windows.length) problems.push('channels');
  } else if (p?.channels !== 1) problems.push('channels');
  if (p?.colorConversion !== 'luminance') problems.push('colorConversion');
  if (!RESIZE_MODES.includes(p?.resize as ResizeMode)) problems.push('resize');
  if (typeof p?.scale !== 'number' || !Number.isFinite(p.scale)) problems.push('scale');
  if (!Array.isArray(p?.classNames) || p.classNames.length !== 2) problems.push('classNames');
  if (typeof p?.threshold !== 'number' || !(p.threshold >= 0 && p.threshold <= 1)) problems.push('threshold');
  if (problems.length > 0) {
    throw new CtHemorrhageError(
      'MODEL_FORMAT',
      `The model's preprocessing metadata is invalid (${problems.join(', ')}). ` +
        'The model folder may be damaged or written by an incompatible tool; retrain or re-save it.',
      { received: p, option: problems.join(',') },
    );
  }
  if (shape && (shape[1] !== size?.[0] || shape[2] !== size?.[1] || shape[3] !== p?.channels)) {
    throw new CtHemorrhageError(
      'MODEL_FORMAT',
      `The model's input is ${shape[1]}x${shape[2]}x${shape[3]} but its metadata says ${size?.[0]}x${size?.[1]}x${p?.channels}. ` +
        'The metadata does not belong to this model; re-save it with setModelInfo.',
      { expected: size, received: shape },
    );
  }
  return raw as ModelInfo;
}
