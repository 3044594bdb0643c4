import { readFile, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CtHemorrhageError } from '../../errors/index.js';
import { recoverInterruptedSave, writeFolderAtomically } from './atomic.js';
import { sha256, verifySha256 } from './checksum.js';

/** Name of the topology file of a saved model folder. */
export const MODEL_JSON = 'model.json';
/** Name of the weights file the library writes. */
export const WEIGHTS_BIN = 'weights.bin';

/** Resolves a weight path from `model.json` inside `dir`, refusing anything that leaves it. */
async function weightPath(dir: string, path: string): Promise<string> {
  const target = resolve(dir, path);
  const inside = (p: string, root: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
  if (isAbsolute(path) || path.includes('\0') || !inside(target, resolve(dir))) {
    throw new CtHemorrhageError(
      'MODEL_FORMAT',
      `model.json names the weight file "${path}", which lies outside the model folder ${dir}. ` +
        'Weight paths must be plain names inside the folder; refusing to read it.',
      { file: join(dir, MODEL_JSON), received: path },
    );
  }
  try {
    const [realTarget, realDir] = await Promise.all([realpath(target), realpath(dir)]);
    if (!inside(realTarget, realDir)) {
      throw new CtHemorrhageError(
        'MODEL_FORMAT',
        `The weight file "${path}" is a link that leads outside the model folder ${dir}; refusing to read it.`,
        { file: target, received: path },
      );
    }
    return realTarget;
  } catch (error) {
    if (error instanceof CtHemorrhageError) throw error;
    throw new CtHemorrhageError(
      'MODEL_FORMAT',
      `The model folder ${dir} lacks the weight file "${path}" that model.json names. Copy the whole folder.`,
      { file: target },
      { cause: error },
    );
  }
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Bytes the weights described by `specs` occupy (quantised weights included). */
function expectedWeightBytes(specs: readonly tf.io.WeightsManifestEntry[]): number {
  let total = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const size = DTYPE_BYTES[dtype];
    if (size === undefined) {
      throw new CtHemorrhageError('MODEL_FORMAT', `Weight "${spec.name}" has unsupported dtype "${dtype}".`, {
        received: dtype,
      });
    }
    total += count * size;
  }
  return total;
}

/** Key in `model.json` that maps each weight file to its hex SHA-256. */
export const WEIGHTS_SHA256 = 'weightsSha256';

/**
 * The files of a model folder for `artifacts`: `weights.bin` and a `model.json` that names it
 * and records its SHA-256.
 */
export function modelFolderFiles(artifacts: tf.io.ModelArtifacts): Record<string, string | Uint8Array> {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new CtHemorrhageError('BAD_INPUT', 'Only layers models (JSON topology) can be saved to a folder.');
  }
  const weightData = artifacts.weightData
    ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
    : new Uint8Array(0);
  const modelJson: tf.io.ModelJSON & { [WEIGHTS_SHA256]: Record<string, string> } = {
    modelTopology: artifacts.modelTopology ?? {},
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
    [WEIGHTS_SHA256]: { [WEIGHTS_BIN]: sha256(weightData) },
  };
  return { [WEIGHTS_BIN]: weightData, [MODEL_JSON]: JSON.stringify(modelJson, null, 1) };
}

/**
 * A TensorFlow.js IO handler that saves a model as a folder (`model.json` + `weights.bin`) and
 * loads it back, in Node, without tfjs-node. Saving writes a temporary folder and renames it
 * into place, so an interrupted save leaves the previous model whole. The folder loads in a
 * browser too with `tf.loadLayersModel(url + '/model.json')`.
 *
 * @example
 * ```ts
 * await model.save(fileSystemIO('runs/model'));
 * const again = await tf.loadLayersModel(fileSystemIO('runs/model'));
 * ```
 */
export function fileSystemIO(path: string): tf.io.IOHandler {
  const dir = basename(path) === MODEL_JSON ? dirname(path) : path;
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await writeFolderAtomically(dir, modelFolderFiles(artifacts));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      await recoverInterruptedSave(dir).catch(() => false);
      const jsonPath = join(dir, MODEL_JSON);
      let text: string;
      try {
        text = await readFile(jsonPath, 'utf8');
      } catch (cause) {
        throw new CtHemorrhageError(
          'FILE_NOT_FOUND',
          `No model at ${dir}: ${MODEL_JSON} is missing or unreadable. Point at a folder written by saveModel or "ct-hemorrhage train --out".`,
          { file: jsonPath },
          { cause },
        );
      }
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(text) as tf.io.ModelJSON;
      } catch (cause) {
        throw new CtHemorrhageError('MODEL_FORMAT', `${jsonPath} is not valid JSON; the model folder is damaged.`, { file: jsonPath }, { cause });
      }
      if (typeof json !== 'object' || json === null || json.modelTopology == null || !Array.isArray(json.weightsManifest)) {
        throw new CtHemorrhageError(
          'MODEL_FORMAT',
          `${jsonPath} lacks modelTopology or weightsManifest; it is not a TensorFlow.js layers model.`,
          { file: jsonPath },
        );
      }
      const checksums = (json as { [WEIGHTS_SHA256]?: unknown })[WEIGHTS_SHA256];
      if (checksums !== undefined && (typeof checksums !== 'object' || checksums === null)) {
        throw new CtHemorrhageError('MODEL_FORMAT', `${jsonPath} has a malformed "${WEIGHTS_SHA256}" entry; the model folder is damaged.`, {
          file: jsonPath,
        });
      }
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        const read: [string, Uint8Array][] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const bytes = await readFile(await weightPath(dir, p));
            read.push([p, bytes]);
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
        }
        const data = tf.io.CompositeArrayBuffer.join(buffers);
        const expected = expectedWeightBytes(specs);
        if (data.byteLength !== expected) {
          throw new CtHemorrhageError(
            'MODEL_FORMAT',
            `The weights in ${dir} hold ${data.byteLength} bytes but model.json describes ${expected}. ` +
              'The weight file is truncated or belongs to another model; copy the folder again or re-save the model.',
            { file: dir, expected, received: data.byteLength },
          );
        }
        // A folder that records checksums must record one for every weight file.
        if (checksums) {
          for (const [p, bytes] of read) verifySha256(join(dir, p), bytes, (checksums as Record<string, unknown>)[p] ?? 'none recorded');
        }
        return [specs, data];
      });
    },
  };
}
