import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CtHemorrhageError } from '../../errors/index.js';
import { getModelInfo } from '../../metadata/index.js';
import { CHECKPOINT_FORMAT, type TrainingCheckpoint, type TrainingState } from '../../trainer/checkpoint.js';
import { writeFolderAtomically } from './atomic.js';
import { sha256, verifySha256 } from './checksum.js';
import { modelFolderFiles } from './file-system.js';
import { loadModel } from './model-folder.js';

/** File of a checkpoint folder that holds the training state and the layout of the tensors. */
export const CHECKPOINT_JSON = 'checkpoint.json';
const TENSORS_BIN = 'training-state.bin';

interface CheckpointJson {
  readonly state: TrainingState;
  readonly optimizer: tf.io.WeightsManifestEntry[];
  readonly bestWeights?: tf.io.WeightsManifestEntry[];
  readonly averageSums?: tf.io.WeightsManifestEntry[];
  readonly sha256: string;
}

/**
 * Saves a training checkpoint (from `train`'s `checkpoint.save`) and the model's current
 * weights to the folder `dir`, atomically: the folder holds the previous checkpoint or this
 * one, never a mixture, even if the process is killed while saving. The folder is also a model
 * folder that {@link loadModel} reads.
 *
 * @example
 * ```ts
 * await train(model, data, { epochs: 40, checkpoint: { save: (c) => saveCheckpoint('runs/ckpt', model, c) } });
 * ```
 */
export async function saveCheckpoint(dir: string, model: tfl.LayersModel, checkpoint: TrainingCheckpoint): Promise<void> {
  getModelInfo(model);
  let files: Record<string, string | Uint8Array> = {};
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      files = modelFolderFiles(artifacts);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  const optimizer = await tf.io.encodeWeights(checkpoint.optimizer.map((o) => ({ name: o.name, tensor: o.tensor })));
  const encodeList = async (tensors: tf.Tensor[] | undefined, prefix: string) =>
    tensors ? await tf.io.encodeWeights(tensors.map((tensor, i) => ({ name: `${prefix}/${i}`, tensor }))) : undefined;
  const best = await encodeList(checkpoint.bestWeights, 'best');
  const sums = await encodeList(checkpoint.averageSums, 'average');
  const bytes = new Uint8Array(tf.io.concatenateArrayBuffers([optimizer.data, ...(best ? [best.data] : []), ...(sums ? [sums.data] : [])]));
  const json: CheckpointJson = {
    state: checkpoint.state,
    optimizer: optimizer.specs,
    ...(best ? { bestWeights: best.specs } : {}),
    ...(sums ? { averageSums: sums.specs } : {}),
    sha256: sha256(bytes),
  };
  await writeFolderAtomically(dir, { ...files, [TENSORS_BIN]: bytes, [CHECKPOINT_JSON]: JSON.stringify(json, null, 1) });
}

function damaged(dir: string, why: string, cause?: unknown): CtHemorrhageError {
  return new CtHemorrhageError(
    'MODEL_FORMAT',
    `The checkpoint in ${dir} is unusable: ${why}. Start training afresh (without --resume), or point at another checkpoint.`,
    { file: dir },
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}: the model with the weights it had, and
 * the checkpoint to pass to `train` as `resumeFrom`. Both are the caller's to dispose
 * (`model.dispose()`, `disposeCheckpoint(checkpoint)`).
 */
export async function loadCheckpoint(dir: string): Promise<{ model: tfl.LayersModel; checkpoint: TrainingCheckpoint }> {
  let json: CheckpointJson;
  try {
    json = JSON.parse(await readFile(join(dir, CHECKPOINT_JSON), 'utf8')) as CheckpointJson;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CtHemorrhageError(
        'FILE_NOT_FOUND',
        `No checkpoint in ${dir} (${CHECKPOINT_JSON} is missing). Checkpoints are written during training with checkpoints on; start afresh without --resume.`,
        { file: join(dir, CHECKPOINT_JSON) },
        { cause: error },
      );
    }
    throw damaged(dir, `${CHECKPOINT_JSON} is not valid JSON`, error);
  }
  if (json?.state?.format !== CHECKPOINT_FORMAT || !Array.isArray(json.optimizer)) {
    throw damaged(dir, `${CHECKPOINT_JSON} is not a "${CHECKPOINT_FORMAT}" checkpoint`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(join(dir, TENSORS_BIN));
  } catch (error) {
    throw damaged(dir, `${TENSORS_BIN} is missing`, error);
  }
  verifySha256(join(dir, TENSORS_BIN), bytes, json.sha256);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let named: tf.NamedTensorMap;
  try {
    named = tf.io.decodeWeights(buffer, [...json.optimizer, ...(json.bestWeights ?? []), ...(json.averageSums ?? [])]);
  } catch (error) {
    throw damaged(dir, `${TENSORS_BIN} does not hold the tensors ${CHECKPOINT_JSON} describes`, error);
  }
  const checkpoint: TrainingCheckpoint = {
    state: json.state,
    optimizer: json.optimizer.map((spec) => ({ name: spec.name, tensor: named[spec.name] as tf.Tensor })),
    ...(json.bestWeights ? { bestWeights: json.bestWeights.map((spec) => named[spec.name] as tf.Tensor) } : {}),
    ...(json.averageSums ? { averageSums: json.averageSums.map((spec) => named[spec.name] as tf.Tensor) } : {}),
  };
  try {
    return { model: await loadModel(dir), checkpoint };
  } catch (error) {
    tf.dispose(Object.values(named));
    throw error;
  }
}
