import { readFile } from 'node:fs/promises';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CtHemorrhageError } from '../../errors/index.js';
import {
  createPredictor as createCorePredictor,
  loadPredictor as loadCorePredictor,
  type Predictor,
  type PredictorOptions,
} from '../../predictor/index.js';
import { loadModel } from '../io/index.js';

async function readSource(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new CtHemorrhageError('FILE_NOT_FOUND', `Could not read image file ${path}; check the path.`, { file: path }, { cause });
  }
}

/**
 * Like the core `createPredictor`, and `predict` also takes a file path.
 *
 * @example
 * ```ts
 * const predictor = createPredictor(model);
 * await predictor.predict('scans/slice-001.png');
 * // { probability: 0.07, label: 'normal', labelIndex: 0, threshold: 0.5 }
 * ```
 */
export function createPredictor(model: tfl.LayersModel, options: PredictorOptions = {}): Predictor {
  return createCorePredictor(model, { readSource, ...options });
}

/**
 * Loads a saved model from a folder path (or an `http(s)://` URL of its `model.json`) and
 * wraps it as a predictor that owns it and reads file paths.
 *
 * @example
 * ```ts
 * const predictor = await loadPredictor('runs/larger');
 * const p = await predictor.predict('head_ct/000.png');
 * p.probability; // e.g. 0.91
 * predictor.dispose();
 * ```
 */
export async function loadPredictor(pathOrUrl: string, options: PredictorOptions = {}): Promise<Predictor> {
  if (/^https?:\/\//i.test(pathOrUrl)) return loadCorePredictor(pathOrUrl, { readSource, ...options });
  const model = await loadModel(pathOrUrl);
  try {
    return createPredictor(model, { ownsModel: true, ...options });
  } catch (error) {
    model.dispose();
    throw error;
  }
}
