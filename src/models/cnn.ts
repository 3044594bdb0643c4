import * as tfl from '@tensorflow/tfjs-layers';
import { CtHemorrhageError } from '../errors/index.js';
import { setModelInfo, MODEL_INFO_FORMAT } from '../metadata/index.js';
import { checkResizeMode, DEFAULT_PREPROCESSING } from '../preprocessing/index.js';
import { VERSION } from '../version/index.js';
import { parseWindowSpec } from '../windowing/index.js';
import {
  CNN_DEFAULTS,
  KERNEL_INITIALIZERS,
  LARGER_CNN_DENSE_UNITS,
  SIMPLE_CNN_DENSE_UNITS,
  type CnnOptions,
  type CnnSettings,
} from './options.js';

function positiveInt(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `Option ${name} must be an integer >= ${min}; got ${String(value)}.`,
      { option: name, expected: `integer >= ${min}`, received: value },
    );
  }
  return value;
}

/** Side of the feature map left after `blocks` blocks of 3x3 convolutions and a 2x2 pooling. */
function finalSide(side: number, blocks: number, padding: 'valid' | 'same'): number {
  let s = side;
  for (let i = 0; i < blocks; i++) s = Math.floor((padding === 'valid' ? s - 2 : s) / 2);
  return s;
}

/**
 * The most blocks of 3x3 convolutions and a 2x2 pooling an input side of `side` pixels takes
 * (`valid` convolutions lose 2 pixels a block, `same` ones none), i.e. the largest `convBlocks`
 * that leaves a feature map of at least 1x1.
 */
export function mostConvBlocks(side: number, padding: 'valid' | 'same'): number {
  let blocks = 0;
  while (finalSide(side, blocks + 1, padding) >= 1) blocks++;
  return blocks;
}

export function resolveSettings(options: CnnOptions, denseUnits: number, padding: 'valid' | 'same' = 'valid'): CnnSettings {
  const size = options.inputSize ?? CNN_DEFAULTS.inputSize;
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  const convBlocks = positiveInt('convBlocks', options.convBlocks ?? CNN_DEFAULTS.convBlocks);
  positiveInt('inputSize', h);
  positiveInt('inputSize', w);
  if (finalSide(Math.min(h, w), convBlocks, padding) < 1) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `An input of ${h}x${w} is too small for ${convBlocks} convolution blocks. ` +
        'Use a larger inputSize or fewer convBlocks.',
      { option: 'inputSize', received: [h, w] },
    );
  }
  const dropout = options.dropout ?? CNN_DEFAULTS.dropout;
  if (!(dropout >= 0 && dropout < 1)) {
    throw new CtHemorrhageError('BAD_INPUT', `Option dropout must be in [0, 1); got ${dropout}.`, {
      option: 'dropout',
      expected: '[0, 1)',
      received: dropout,
    });
  }
  const windows = options.windows?.map((w) => parseWindowSpec(w));
  if (windows !== undefined && windows.length === 0) {
    throw new CtHemorrhageError('BAD_INPUT', "Option windows needs at least one window, e.g. ['brain'], or leave it out.", {
      option: 'windows',
      received: options.windows,
    });
  }
  const expectedChannels = windows?.length ?? CNN_DEFAULTS.channels;
  const channels = options.channels ?? expectedChannels;
  if (channels !== expectedChannels) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `Option channels must be ${expectedChannels} (${windows ? 'one per window' : 'one grey channel'}); got ${String(channels)}.`,
      { option: 'channels', expected: expectedChannels, received: channels },
    );
  }
  const kernelInitializer = options.kernelInitializer ?? CNN_DEFAULTS.kernelInitializer;
  if (!KERNEL_INITIALIZERS.includes(kernelInitializer)) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `Option kernelInitializer must be one of ${KERNEL_INITIALIZERS.join(', ')}; got ${String(kernelInitializer)}.`,
      { option: 'kernelInitializer', expected: KERNEL_INITIALIZERS, received: kernelInitializer },
    );
  }
  return {
    inputSize: [h, w],
    channels,
    windows,
    convBlocks,
    filters: positiveInt('filters', options.filters ?? CNN_DEFAULTS.filters),
    denseUnits: positiveInt('denseUnits', options.denseUnits ?? denseUnits),
    dropout,
    seed: options.seed ?? CNN_DEFAULTS.seed,
    kernelInitializer,
    resize: checkResizeMode(options.resize ?? DEFAULT_PREPROCESSING.resize),
  };
}

/**
 * Compiles `model` (unless `options.compile` is false) and stores the library's metadata:
 * architecture name, preprocessing for `settings`, class names and threshold.
 */
export function finishModel(
  model: tfl.LayersModel,
  architecture: string,
  settings: CnnSettings,
  options: CnnOptions,
): tfl.LayersModel {
  const { inputSize, channels } = settings;
  const compile = options.compile ?? true;
  if (compile !== false) {
    model.compile(
      compile === true ? { optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] } : compile,
    );
  }
  const threshold = options.threshold ?? DEFAULT_PREPROCESSING.threshold;
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new CtHemorrhageError('BAD_INPUT', `Option threshold must be in [0, 1]; got ${threshold}.`, {
      option: 'threshold',
      received: threshold,
    });
  }
  setModelInfo(model, {
    format: MODEL_INFO_FORMAT,
    libraryVersion: VERSION,
    architecture,
    preprocessing: {
      ...DEFAULT_PREPROCESSING,
      inputSize: [inputSize[0], inputSize[1]],
      channels,
      resize: settings.resize,
      ...(settings.windows ? { windows: settings.windows } : {}),
      classNames: options.classNames ?? DEFAULT_PREPROCESSING.classNames,
      threshold,
    },
  });
  return model;
}

function buildCnn(architecture: string, settings: CnnSettings, options: CnnOptions): tfl.LayersModel {
  const { inputSize, channels, convBlocks, filters, denseUnits, dropout, seed, kernelInitializer } = settings;
  let layer = 0;
  const init = () => tfl.initializers[kernelInitializer]({ seed: seed + layer++ });
  // The sigmoid output keeps glorot: He's variance is for layers that a ReLU follows.
  const outputInit = () => tfl.initializers.glorotUniform({ seed: seed + layer++ });
  const model = tfl.sequential({ name: architecture });
  for (let b = 1; b <= convBlocks; b++) {
    model.add(
      tfl.layers.conv2d({
        name: `conv${b}`,
        filters,
        kernelSize: 3,
        activation: 'relu',
        padding: 'valid',
        kernelInitializer: init(),
        ...(b === 1 ? { inputShape: [inputSize[0], inputSize[1], channels] } : {}),
      }),
    );
    model.add(tfl.layers.maxPooling2d({ name: `pool${b}`, poolSize: 2, strides: 2 }));
  }
  model.add(tfl.layers.globalAveragePooling2d({ name: 'gap' }));
  model.add(tfl.layers.dropout({ name: 'dropout', rate: dropout }));
  model.add(tfl.layers.dense({ name: 'dense', units: denseUnits, activation: 'relu', kernelInitializer: init() }));
  model.add(tfl.layers.dense({ name: 'output', units: 1, activation: 'sigmoid', kernelInitializer: outputInit() }));

  return finishModel(model, architecture, settings, options);
}

/**
 * The seed project's simple CNN: `convBlocks` x (3x3 convolution of 32 filters with ReLU,
 * 2x2 max-pooling), global average pooling, dropout 0.4, dense ReLU of 32 units, one sigmoid
 * output. Compiled for binary cross-entropy with Adam unless `compile` says otherwise.
 *
 * @example
 * ```ts
 * const model = buildSimpleCnn({ inputSize: 128, seed: 1 });
 * model.countParams(); // 19905
 * ```
 */
export function buildSimpleCnn(options: CnnOptions = {}): tfl.LayersModel {
  return buildCnn('simple-cnn', resolveSettings(options, SIMPLE_CNN_DENSE_UNITS), options);
}

/**
 * The seed project's larger CNN: like {@link buildSimpleCnn} with a dense ReLU layer of 64
 * units.
 *
 * @example
 * ```ts
 * const model = buildLargerCnn();
 * model.countParams(); // 20993
 * model.outputs[0].shape; // [null, 1]
 * ```
 */
export function buildLargerCnn(options: CnnOptions = {}): tfl.LayersModel {
  return buildCnn('larger-cnn', resolveSettings(options, LARGER_CNN_DENSE_UNITS), options);
}
