import type * as tfl from '@tensorflow/tfjs-layers';
import { CtHemorrhageError } from '../errors/index.js';
import { buildLargerCnn, buildSimpleCnn, mostConvBlocks } from './cnn.js';
import { buildDeepCnn } from './deep.js';
import type { CnnOptions } from './options.js';

/** Architectures the factory builds, by name (as the CLI's `--arch` takes them). */
export const ARCHITECTURES = Object.freeze({
  /** {@link buildSimpleCnn} */
  simple: buildSimpleCnn,
  /** {@link buildLargerCnn} */
  larger: buildLargerCnn,
  /** {@link buildDeepCnn} */
  deep: buildDeepCnn,
});

/** A name accepted by {@link buildModel}. */
export type ArchitectureName = keyof typeof ARCHITECTURES;

/**
 * Builds an architecture by name.
 *
 * @example
 * ```ts
 * const model = buildModel('simple', { inputSize: 64 });
 * model.name; // 'simple-cnn'
 * ```
 */
export function buildModel(name: ArchitectureName, options: CnnOptions = {}): tfl.LayersModel {
  const build = ARCHITECTURES[name];
  if (build === undefined) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `Unknown architecture "${String(name)}"; use one of: ${Object.keys(ARCHITECTURES).join(', ')}.`,
      { option: 'arch', expected: Object.keys(ARCHITECTURES), received: name },
    );
  }
  return build(options);
}

/**
 * The most convolution blocks architecture `name` can stack on a square input of `side`
 * pixels: the seed CNNs' unpadded convolutions lose 2 pixels a block, the deep CNN's padded
 * ones none. `buildModel(name, { inputSize: side, convBlocks })` accepts any count up to it.
 *
 * @example
 * ```ts
 * maxConvBlocks('larger', 128); // 5
 * maxConvBlocks('deep', 64); // 6
 * ```
 */
export function maxConvBlocks(name: ArchitectureName, side: number): number {
  return mostConvBlocks(side, name === 'deep' ? 'same' : 'valid');
}

/** Convolution blocks of a model the library built (one 2x2 max-pooling closes each block). */
export function countConvBlocks(model: tfl.LayersModel): number {
  return model.layers.filter((l) => l.getClassName() === 'MaxPooling2D').length;
}
