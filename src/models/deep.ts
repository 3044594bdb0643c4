import * as tfl from '@tensorflow/tfjs-layers';
import { finishModel, resolveSettings } from './cnn.js';
import type { CnnOptions } from './options.js';

/** Defaults of {@link buildDeepCnn} where they differ from the seed CNNs'. */
export const DEEP_CNN_DEFAULTS = Object.freeze({
  convBlocks: 4,
  filters: 32,
  dropout: 0.3,
  kernelInitializer: 'heNormal',
} as const);

/** Filters of block `b` (from 0): `filters`, then doubling, at most 8x. */
export function deepBlockFilters(filters: number, b: number): number {
  return filters * 2 ** Math.min(b, 3);
}

/**
 * A deeper network than the seed CNNs: `convBlocks` blocks (default 4) of two 3x3 convolutions
 * (no bias), each followed by batch normalisation and ReLU (the Keras order), and a 2x2 max-pooling per
 * block; `filters` filters in the first block (default 32), doubling per block up to 8x
 * (32-64-128-256); global average pooling, dropout and one sigmoid output. Same-padded
 * convolutions keep the borders, so the last map is `inputSize / 2^convBlocks` a side. It
 * follows the four-block design that scored far above the seed CNNs in Keras on grouped tests;
 * with the library's default recipe it scored best of the three in grouped cross-validation
 * over three seeds (docs/results.md), so `ct-hemorrhage train` builds it by default.
 *
 * Batch normalisation uses the statistics of each (thread's share of a) batch while training
 * and the moving averages when predicting, so scores can shift against a 0.5 threshold:
 * choose the threshold on validation data (the CLI does).
 *
 * @example
 * ```ts
 * const model = buildDeepCnn({ inputSize: 96 });
 * model.name; // 'deep-cnn'
 * ```
 */
export function buildDeepCnn(options: CnnOptions = {}): tfl.LayersModel {
  const settings = resolveSettings(
    {
      ...options,
      convBlocks: options.convBlocks ?? DEEP_CNN_DEFAULTS.convBlocks,
      filters: options.filters ?? DEEP_CNN_DEFAULTS.filters,
      dropout: options.dropout ?? DEEP_CNN_DEFAULTS.dropout,
      kernelInitializer: options.kernelInitializer ?? DEEP_CNN_DEFAULTS.kernelInitializer,
    },
    1,
    'same',
  );
  const { inputSize, channels, convBlocks, filters, dropout, seed, kernelInitializer } = settings;
  let layer = 0;
  const init = () => tfl.initializers[kernelInitializer]({ seed: seed + layer++ });
  const model = tfl.sequential({ name: 'deep-cnn' });
  for (let b = 0; b < convBlocks; b++) {
    for (let c = 1; c <= 2; c++) {
      const name = `${b + 1}_${c}`;
      model.add(
        tfl.layers.conv2d({
          name: `conv${name}`,
          filters: deepBlockFilters(filters, b),
          kernelSize: 3,
          padding: 'same',
          useBias: false, // the batch normalisation after it has its own offset
          kernelInitializer: init(),
          ...(b === 0 && c === 1 ? { inputShape: [inputSize[0], inputSize[1], channels] } : {}),
        }),
      );
      model.add(tfl.layers.batchNormalization({ name: `bn${name}`, momentum: 0.9 }));
      model.add(tfl.layers.activation({ name: `relu${name}`, activation: 'relu' }));
    }
    model.add(tfl.layers.maxPooling2d({ name: `pool${b + 1}`, poolSize: 2, strides: 2 }));
  }
  model.add(tfl.layers.globalAveragePooling2d({ name: 'gap' }));
  model.add(tfl.layers.dropout({ name: 'dropout', rate: dropout }));
  model.add(tfl.layers.dense({ name: 'output', units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + layer++ }) }));
  return finishModel(model, 'deep-cnn', settings, options);
}
