// The recipe npm run accuracy measures: the library's default recipe, with optional overrides
// for experiments (each override is printed in docs/results.md).
import type { ArchitectureName, KernelInitializerName } from '../../src/models/index.js';
import type { ResizeMode } from '../../src/preprocessing/index.js';
import { defaultRecipe, recipeConvBlocks, type TrainingRecipe } from '../../src/recipe/index.js';
import { TRAIN_DEFAULTS, type MonitorName } from '../../src/trainer/index.js';

export type Recipe = TrainingRecipe;

export interface RecipeOverrides {
  readonly inputSize?: number;
  readonly convBlocks?: number;
  readonly kernelInitializer?: KernelInitializerName;
  readonly resize?: ResizeMode;
  readonly epochs?: number;
  readonly patience?: number;
  readonly monitor?: MonitorName;
  readonly selectThreshold?: 'youden' | 'youden-1se' | 'none';
  readonly swaEpochs?: number;
}

export function recipe(arch: ArchitectureName, overrides: RecipeOverrides = {}): Recipe {
  const base = defaultRecipe(arch);
  const epochs = overrides.epochs ?? base.train.epochs ?? TRAIN_DEFAULTS.epochs;
  // --swa-epochs 0: the last (or best) epoch's weights, not an average; never more than epochs.
  const swaEpochs = Math.min(overrides.swaEpochs ?? base.train.swaEpochs ?? 0, epochs);
  const inputSize = overrides.inputSize ?? base.inputSize;
  return {
    inputSize,
    // --size alone keeps the recipe's blocks where the input takes them, else the most it takes.
    convBlocks: overrides.convBlocks ?? recipeConvBlocks(arch, inputSize),
    kernelInitializer: overrides.kernelInitializer ?? base.kernelInitializer,
    resize: overrides.resize ?? base.resize,
    train: {
      ...base.train,
      epochs,
      // --patience 0: no early stopping, and the last epoch's weights (not the best one's) kept.
      ...(overrides.patience !== undefined ? { patience: overrides.patience, restoreBestWeights: overrides.patience > 0 } : {}),
      ...(overrides.monitor !== undefined ? { monitor: overrides.monitor } : {}),
      ...(overrides.selectThreshold !== undefined ? { selectThreshold: overrides.selectThreshold } : {}),
      swaEpochs,
    },
  };
}
