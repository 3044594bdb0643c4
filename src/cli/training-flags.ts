import { AUGMENT_PRESETS, type AugmentOptions } from '../augment/index.js';
import { CtHemorrhageError } from '../errors/index.js';
import { ARCHITECTURES, KERNEL_INITIALIZERS, maxConvBlocks, type ArchitectureName, type KernelInitializerName } from '../models/index.js';
import { RESIZE_MODES, type ResizeMode } from '../preprocessing/index.js';
import { numberFlag, type OptionSpec } from './args.js';
import { DEFAULT_ARCHITECTURE, defaultRecipe, recipeConvBlocks } from '../recipe/index.js';
import { TRAIN_DEFAULTS, type TrainOptions } from '../trainer/index.js';

/** The training flags `train` and `crossval` share, parsed and checked. */
export interface TrainingFlags {
  readonly arch: ArchitectureName;
  readonly size: number;
  /** Convolution blocks of the model (`--conv-blocks`; auto: the recipe's, at most what `size` takes). */
  readonly convBlocks: number;
  /** Kernel initialiser of the model (`--kernel-initializer`; auto: the recipe's). */
  readonly kernelInitializer: KernelInitializerName;
  /** How slices become the input size (`--resize`; auto: the recipe's). */
  readonly resize: ResizeMode;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  readonly patience: number;
  readonly phantoms: number;
  readonly classWeight: 'balanced' | 'none';
  readonly augment: AugmentOptions | undefined;
  /** `none`, `ct` or `reference`, as given. */
  readonly augmentName: string;
  /** `undefined` for `--threads auto`. */
  readonly threads: number | undefined;
  /** Epochs without a better validation loss before the learning rate halves; 0 for a constant rate. */
  readonly lrPatience: number;
  /** `youden` or `youden-1se` chooses the threshold on the validation split; `none` keeps 0.5. */
  readonly selectThreshold: 'youden' | 'youden-1se' | 'none';
  /** Where batch-normalisation layers take their prediction statistics from (TrainOptions.batchNormStatistics). */
  readonly bnStatistics: 'population' | 'moving';
  /** Last epochs whose weights are averaged into the final model (TrainOptions.swaEpochs); 0 for none. */
  readonly swaEpochs: number;
}

/** How the model card names each `--select-threshold` rule. */
export const THRESHOLD_RULES: Readonly<Record<TrainingFlags['selectThreshold'], string>> = {
  'youden-1se': "Youden's J with the one-standard-error rule",
  youden: "Youden's J",
  none: 'none',
};

/** The value of flag `name` if it is one of `allowed`, else a BAD_INPUT error naming the flag and the choices. */
function choiceFlag<T extends string>(
  values: Record<string, unknown>,
  name: string,
  allowed: readonly T[],
  choices = `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`,
): T {
  const value = String(values[name]);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CtHemorrhageError('BAD_INPUT', `--${name} must be ${choices}; got "${value}".`, { option: name, received: value });
  }
  return value as T;
}

/** Parses the shared training flags, with errors that name the bad flag. */
export function trainingFlags(values: Record<string, unknown>): TrainingFlags {
  const arch = choiceFlag(values, 'arch', Object.keys(ARCHITECTURES) as ArchitectureName[], `one of ${Object.keys(ARCHITECTURES).join(', ')}`);
  const classWeight = choiceFlag(values, 'class-weight', ['balanced', 'none'] as const);
  const augmentName = choiceFlag(values, 'augment', ['none', 'ct', 'reference'] as const);
  const selectThreshold = choiceFlag(values, 'select-threshold', ['youden-1se', 'youden', 'none'] as const);
  const bnStatistics = choiceFlag(values, 'bn-statistics', ['population', 'moving'] as const);
  const sizeFlag = String(values.size);
  const threadsFlag = String(values.threads);
  const epochs =
    values.epochs === 'auto' ? (defaultRecipe(arch).train.epochs ?? TRAIN_DEFAULTS.epochs) : numberFlag(values, 'epochs', (n) => Number.isInteger(n) && n >= 1, 'auto or an integer >= 1');
  const size = sizeFlag === 'auto' ? defaultRecipe(arch).inputSize : numberFlag(values, 'size', (n) => Number.isInteger(n) && n >= 16, 'auto or an integer >= 16');
  const most = maxConvBlocks(arch, size);
  const convBlocks =
    values['conv-blocks'] === 'auto'
      ? recipeConvBlocks(arch, size)
      : numberFlag(values, 'conv-blocks', (n) => Number.isInteger(n) && n >= 1 && n <= most, `auto or an integer from 1 to ${most} (the most a ${size}-pixel --size takes)`);
  const initializer = choiceFlag(values, 'kernel-initializer', ['auto', ...KERNEL_INITIALIZERS] as const, `auto, ${KERNEL_INITIALIZERS.join(' or ')}`);
  const resize = choiceFlag(values, 'resize', ['auto', ...RESIZE_MODES] as const);
  const swaEpochs = numberFlag(values, 'swa-epochs', (n) => Number.isInteger(n) && n >= 0 && n <= epochs, `an integer from 0 to --epochs (${epochs})`);
  return {
    arch,
    size,
    convBlocks,
    kernelInitializer: initializer === 'auto' ? defaultRecipe(arch).kernelInitializer : initializer,
    resize: resize === 'auto' ? defaultRecipe(arch).resize : resize,
    epochs,
    batchSize: numberFlag(values, 'batch-size', (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'),
    learningRate: numberFlag(values, 'learning-rate', (n) => n > 0, 'a number > 0'),
    seed: numberFlag(values, 'seed', Number.isInteger, 'an integer'),
    patience: values.patience === 'auto' ? (defaultRecipe(arch).train.patience ?? 0) : numberFlag(values, 'patience', (n) => Number.isInteger(n) && n >= 0, 'auto or an integer >= 0'),
    phantoms: numberFlag(values, 'phantoms', (n) => Number.isInteger(n) && n >= 10, 'an integer >= 10'),
    classWeight,
    augmentName,
    augment: augmentName === 'none' ? undefined : AUGMENT_PRESETS[augmentName],
    lrPatience: numberFlag(values, 'lr-patience', (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0'),
    selectThreshold,
    bnStatistics,
    swaEpochs,
    threads: threadsFlag === 'auto' ? undefined : numberFlag(values, 'threads', (t) => Number.isInteger(t) && t >= 1, 'auto or an integer >= 1'),
  };
}

const recipe = defaultRecipe();
const plateau = recipe.train.reduceLrOnPlateau?.patience ?? 0;

/** "a for deep, b for simple and larger": what an auto flag takes per architecture. */
function perArch(value: (arch: ArchitectureName) => unknown): string {
  return `${String(value('deep'))} for deep, ${String(value('larger'))} for simple and larger`;
}

/** The flags of the training recipe that `train` and `crossval` share, with the default recipe's values. */
export const TRAINING_OPTIONS: Record<string, OptionSpec> = {
  arch: { type: 'string', value: 'name', help: `Architecture: ${Object.keys(ARCHITECTURES).join(', ')}`, default: DEFAULT_ARCHITECTURE },
  size: { type: 'string', value: 'px|auto', help: 'Input side in pixels; auto: 128 for simple and larger, 64 for deep', default: 'auto' },
  'conv-blocks': {
    type: 'string',
    value: 'n|auto',
    help: `Convolution blocks of the model; auto: ${perArch((a) => defaultRecipe(a).convBlocks)} (fewer where --size is too small for them)`,
    default: 'auto',
  },
  'kernel-initializer': {
    type: 'string',
    value: `${KERNEL_INITIALIZERS.join('|')}|auto`,
    help: `Initialiser of the convolution kernels (glorotUniform is the Keras default the seed project used); auto: ${perArch((a) => defaultRecipe(a).kernelInitializer)}`,
    default: 'auto',
  },
  resize: {
    type: 'string',
    value: `${RESIZE_MODES.join('|')}|auto`,
    help: `How slices become --size: stretch (whole slice, aspect ratio lost), crop (centre square) or pad (centred on black), saved with the model; auto: ${perArch((a) => defaultRecipe(a).resize)}`,
    default: 'auto',
  },
  epochs: { type: 'string', value: 'n|auto', help: `Most epochs; auto: ${perArch((a) => defaultRecipe(a).train.epochs)}`, default: 'auto' },
  'batch-size': { type: 'string', value: 'n', help: 'Batch size', default: String(recipe.train.batchSize ?? TRAIN_DEFAULTS.batchSize) },
  'learning-rate': { type: 'string', value: 'lr', help: 'Adam learning rate', default: String(recipe.train.learningRate ?? TRAIN_DEFAULTS.learningRate) },
  patience: {
    type: 'string',
    value: 'n|auto',
    help: `Epochs without val_loss improvement before stopping (best weights restored); 0 turns early stopping off and keeps the last weights; auto: ${perArch((a) => defaultRecipe(a).train.patience)}`,
    default: 'auto',
  },
  'lr-patience': { type: 'string', value: 'n', help: 'Epochs without val_loss improvement before the learning rate halves; 0 keeps it constant', default: String(plateau) },
  'select-threshold': {
    type: 'string',
    value: 'youden-1se|youden|none',
    help: "Decision threshold: chosen on the validation split by Youden's J (youden), or of the cuts within one standard error of it the one nearest 0.5 (youden-1se); none keeps 0.5",
    default: recipe.train.selectThreshold ?? 'none',
  },
  'bn-statistics': {
    type: 'string',
    value: 'population|moving',
    help: 'Batch-normalisation statistics for prediction: recomputed over the training images every epoch (population) or moving averages',
    default: recipe.train.batchNormStatistics ?? 'moving',
  },
  'swa-epochs': {
    type: 'string',
    value: 'n',
    help: 'Average the weights of the last n epochs into the final model (stochastic weight averaging; batch norm recomputed; it replaces early stopping\'s best weights when training reaches the window); 0 keeps the last or best epoch',
    default: String(recipe.train.swaEpochs ?? 0),
  },
  'class-weight': { type: 'string', value: 'mode', help: 'balanced or none', default: 'balanced' },
  augment: { type: 'string', value: 'preset', help: "Training augmentation: none, ct or reference (the Keras project's settings)", default: 'ct' },
};

/**
 * The {@link TrainOptions} the parsed flags stand for (epochs, batch size, learning rate and its
 * schedule, early stopping, class weights, augmentation, threshold choice, batch-normalisation
 * statistics, weight averaging); `validation` says
 * whether a validation split exists to stop early and choose the threshold on.
 */
export function trainOptions(flags: TrainingFlags, validation: boolean): TrainOptions {
  return {
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    learningRate: flags.learningRate,
    seed: flags.seed,
    patience: flags.patience,
    ...(flags.augment ? { augment: flags.augment } : {}),
    ...(flags.classWeight === 'balanced' ? { classWeight: 'balanced' as const } : {}),
    ...(flags.lrPatience > 0 ? { reduceLrOnPlateau: { factor: 0.5, patience: flags.lrPatience } } : {}),
    ...(validation ? { selectThreshold: flags.selectThreshold } : {}),
    batchNormStatistics: flags.bnStatistics,
    ...(flags.swaEpochs > 0 ? { swaEpochs: flags.swaEpochs } : {}),
  };
}
