import * as tfl from '@tensorflow/tfjs-layers';
import { CtHemorrhageError } from '../../errors/index.js';
import { getModelInfo } from '../../metadata/index.js';
import { fileSystemIO } from './file-system.js';

/**
 * Saves `model` (topology, weights and the library's preprocessing metadata) to the folder
 * `dir`, atomically.
 *
 * @example
 * ```ts
 * await saveModel(model, 'runs/larger');
 * // runs/larger/model.json, runs/larger/weights.bin
 * ```
 */
export async function saveModel(model: tfl.LayersModel, dir: string): Promise<void> {
  getModelInfo(model); // refuse to save a model whose metadata is unusable
  await model.save(fileSystemIO(dir));
}

/**
 * Loads a model saved by {@link saveModel} (or any tfjs layers model folder) and checks its
 * metadata. The caller owns the model (`model.dispose()`).
 *
 * @example
 * ```ts
 * const model = await loadModel('runs/larger');
 * getModelInfo(model).preprocessing.inputSize; // [128, 128]
 * ```
 */
export async function loadModel(dir: string): Promise<tfl.LayersModel> {
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(fileSystemIO(dir));
  } catch (error) {
    if (error instanceof CtHemorrhageError) throw error;
    throw new CtHemorrhageError(
      'MODEL_FORMAT',
      `Could not load the model in ${dir}: ${error instanceof Error ? error.message : String(error)}. ` +
        'The folder may be damaged or incomplete; re-save or retrain the model.',
      { file: dir },
      { cause: error },
    );
  }
  try {
    getModelInfo(model);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}
