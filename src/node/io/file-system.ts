import { mkdir, readFile, rename, rm, stat, writeFile, readdir, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CtHemorrhageError } from '../../errors/index.js';

/** Name of the topology file of a saved model folder. */
export const MODEL_JSON = 'model.json';
/** Name of the weights file the library writes. */
export const WEIGHTS_BIN = 'weights.bin';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

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

async function writeAtomically(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const parent = dirname(resolve(dir));
  await mkdir(parent, { recursive: true });
  if (await exists(dir)) {
    const entries = await readdir(dir);
    if (entries.length > 0 && !entries.includes(MODEL_JSON)) {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        `Refusing to save a model into ${dir}: the folder holds other files and no model.json. ` +
          'Choose a new or empty folder, or one that already holds a saved model.',
        { file: dir },
      );
    }
  }
  const stamp = `${process.pid}-${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
  const tmp = join(parent, `.${basename(dir)}.tmp-${stamp}`);
  const old = join(parent, `.${basename(dir)}.old-${stamp}`);
  await mkdir(tmp);
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(tmp, name), content);
    const hadOld = await exists(dir);
    if (hadOld) await rename(dir, old);
    try {
      await rename(tmp, dir);
    } catch (error) {
      if (hadOld) await rename(old, dir);
      throw error;
    }
    if (hadOld) await rm(old, { recursive: true, force: true });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
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
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new CtHemorrhageError('BAD_INPUT', 'Only layers models (JSON topology) can be saved to a folder.');
      }
      const weightData = artifacts.weightData
        ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
        : new Uint8Array(0);
      const manifest: tf.io.WeightsManifestConfig = [
        { paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] },
      ];
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        weightsManifest: manifest,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeAtomically(dir, {
        [WEIGHTS_BIN]: weightData,
        [MODEL_JSON]: JSON.stringify(modelJson, null, 1),
      });
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
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
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const bytes = await readFile(await weightPath(dir, p));
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
        return [specs, data];
      });
    },
  };
}
