import { AUGMENT_PRESETS } from '../augment/index.js';
import { maxConvBlocks, type ArchitectureName, type KernelInitializerName } from '../models/index.js';
import type { ResizeMode } from '../preprocessing/index.js';
import type { TrainOptions } from '../trainer/index.js';

/**
 * The architecture `ct-hemorrhage train` builds when `--arch` is not given: the one that scored
 * best in grouped cross-validation on the real slices with this recipe (docs/results.md).
 */
export const DEFAULT_ARCHITECTURE: ArchitectureName = 'deep';

/** Input side and training options of the default recipe for one architecture. */
export interface TrainingRecipe {
  /** Input side in pixels (square). */
  readonly inputSize: number;
  /**
   * Convolution blocks of the model (the `convBlocks` option of `buildModel`): 5 for the seed CNNs
   * (the most a 128-pixel input takes; the seed project does not state a count), 4 for the
   * deep CNN (its default).
   */
  readonly convBlocks: number;
  /**
   * Kernel initialiser of the model (the `kernelInitializer` option of `buildModel`):
   * `'heNormal'` for every architecture. The seed CNNs' Keras default, glorot, shrinks the
   * signal through 5 ReLU blocks, and some seeds then sat at the chance loss until early
   * stopping ended them.
   */
  readonly kernelInitializer: KernelInitializerName;
  /**
   * How slices become the input size (the `resize` option of `buildModel`): `'crop'` (the
   * centre square) for the deep CNN, `'stretch'` for the seed CNNs, as the seed project (for
   * them the three modes scored within each other's intervals).
   */
  readonly resize: ResizeMode;
  /** Options for {@link train}; add data, workers and callbacks. */
  readonly train: Readonly<Omit<TrainOptions, 'validationData' | 'workers' | 'callbacks' | 'signal' | 'checkpoint' | 'resumeFrom'>>;
}

/**
 * The default recipe, what `ct-hemorrhage train --data <dir>` uses with no other flag, and
 * what `npm run accuracy` measures (docs/results.md gives the experiments behind each choice):
 *
 * - input: grey, 128x128 and stretched for the seed CNNs (as the seed project); for the deep
 *   CNN the centre square of every slice (`resize: 'crop'`) at 64x64, which scored higher
 *   than the stretched slice (155 of the 160 Kaggle slices are taller than wide, median width
 *   0.82 of the height: stretching squeezes each skull by its own amount; the centre square
 *   keeps the full width and drops the top and bottom);
 * - seed CNNs with 5 convolution blocks, the most 128x128 takes (the seed project gives no
 *   count; with 3 their receptive field covers a sixth of the slice and they underfit), and He
 *   initialisation (with glorot, the Keras default, some seeds never left the chance loss);
 * - Adam (learning rate 0.001, batches of 16), halved after 4 epochs without a better
 *   validation loss (never below 1e-5), on a grouped, stratified validation split of 0.2;
 * - deep CNN: 60 epochs, no early stopping, the last epoch's weights kept (the validation split
 *   of about 25 images is too noisy to pick an epoch by: early stopping kept epochs 1-7);
 * - seed CNNs: up to 80 epochs, early stopping after 15 epochs without a better validation
 *   loss, and the best epoch's weights restored (with 40 epochs most folds' best epoch was
 *   one of the last three);
 * - class weights balanced (a no-op on balanced data);
 * - the `ct` augmentation preset (small rotations, shifts, zoom, flips, brightness, contrast);
 * - batch-normalisation statistics recomputed over the training images after every epoch
 *   (`batchNormStatistics: 'population'`; the deep CNN), so validation measures what the model
 *   will predict;
 * - the decision threshold chosen on the validation split and saved in the model: Youden's J
 *   with the one-standard-error rule (`'youden-1se'`: of the cuts within one standard error of
 *   the best, the one nearest 0.5; placed midway between the scores either side when 0.5 does
 *   not give its calls), because the best cut on about 26 images is mostly luck.
 *
 * @example
 * ```ts
 * const r = defaultRecipe('deep');
 * const model = buildModel('deep', { inputSize: r.inputSize, convBlocks: r.convBlocks, kernelInitializer: r.kernelInitializer, resize: r.resize });
 * await train(model, images, r.train);
 * ```
 */
export function defaultRecipe(arch: ArchitectureName = DEFAULT_ARCHITECTURE): TrainingRecipe {
  const deep = arch === 'deep';
  return {
    inputSize: deep ? 64 : 128,
    convBlocks: deep ? 4 : 5,
    kernelInitializer: 'heNormal',
    resize: deep ? 'crop' : 'stretch',
    train: {
      epochs: deep ? 60 : 80,
      batchSize: 16,
      learningRate: 0.001,
      validationSplit: 0.2,
      patience: deep ? 0 : 15,
      monitor: 'val_loss',
      restoreBestWeights: !deep,
      reduceLrOnPlateau: { factor: 0.5, patience: 4 },
      classWeight: 'balanced',
      augment: AUGMENT_PRESETS.ct,
      selectThreshold: 'youden-1se',
      batchNormStatistics: 'population',
    },
  };
}

/**
 * The recipe's convolution blocks for `arch` on a square input of `inputSize` pixels: its
 * `convBlocks`, or the most the input takes where that is fewer (what `--conv-blocks auto` and
 * `npm run accuracy -- --size` use).
 */
export function recipeConvBlocks(arch: ArchitectureName, inputSize: number): number {
  return Math.min(defaultRecipe(arch).convBlocks, maxConvBlocks(arch, inputSize));
}
