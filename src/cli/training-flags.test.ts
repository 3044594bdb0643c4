import { describe, expect, it } from 'vitest';
import { CtHemorrhageError } from '../errors/index.js';
import { defaultRecipe } from '../recipe/index.js';
import { TRAINING_OPTIONS, trainingFlags, trainOptions } from './training-flags.js';

/** The flag values the argument parser gives when none is on the command line, plus `overrides`. */
function parsed(overrides: Record<string, string>): Record<string, unknown> {
  const values: Record<string, unknown> = { phantoms: '400', threads: 'auto', seed: '42' };
  for (const [name, spec] of Object.entries(TRAINING_OPTIONS)) values[name] = spec.default;
  return { ...values, ...overrides };
}

describe('trainingFlags', () => {
  it('--epochs auto and --patience auto take the chosen architecture\'s recipe', () => {
    const deep = trainingFlags(parsed({ arch: 'deep' }));
    expect(deep.epochs).toBe(60);
    expect(deep.patience).toBe(0);
    expect(deep.size).toBe(64);
    for (const arch of ['larger', 'simple'] as const) {
      const flags = trainingFlags(parsed({ arch }));
      expect(flags.epochs).toBe(defaultRecipe(arch).train.epochs);
      expect([flags.epochs, flags.patience, flags.size]).toEqual([80, 15, 128]);
    }
  });

  it('--kernel-initializer auto takes the recipe\'s heNormal; glorotUniform is the seed project\'s', () => {
    for (const arch of ['simple', 'larger', 'deep'] as const) {
      expect(trainingFlags(parsed({ arch })).kernelInitializer).toBe(defaultRecipe(arch).kernelInitializer);
    }
    expect(defaultRecipe('larger').kernelInitializer).toBe('heNormal');
    expect(trainingFlags(parsed({ arch: 'larger', 'kernel-initializer': 'glorotUniform' })).kernelInitializer).toBe('glorotUniform');
    expect(() => trainingFlags(parsed({ 'kernel-initializer': 'he' }))).toThrow(/--kernel-initializer must be auto, glorotUniform or heNormal; got "he"/);
  });

  it('--resize auto takes the recipe\'s: the centre square for deep, stretch for the seed CNNs', () => {
    expect(trainingFlags(parsed({ arch: 'deep' })).resize).toBe(defaultRecipe('deep').resize);
    expect(defaultRecipe('deep').resize).toBe('crop');
    expect(trainingFlags(parsed({ arch: 'larger' })).resize).toBe('stretch');
    expect(trainingFlags(parsed({ arch: 'deep', resize: 'pad' })).resize).toBe('pad');
    expect(() => trainingFlags(parsed({ resize: 'fit' }))).toThrow(/--resize must be auto, stretch, crop or pad; got "fit"/);
    expect(TRAINING_OPTIONS.resize?.help).toContain('crop for deep, stretch for simple and larger');
  });

  it('the help of the auto flags states the recipe\'s values', () => {
    expect(TRAINING_OPTIONS.epochs?.help).toContain(`${defaultRecipe('deep').train.epochs} for deep, ${defaultRecipe('larger').train.epochs} for simple and larger`);
    expect(TRAINING_OPTIONS.patience?.help).toContain(`${defaultRecipe('deep').train.patience} for deep, ${defaultRecipe('larger').train.patience} for simple and larger`);
  });

  it('numbers given on the command line win over auto', () => {
    const flags = trainingFlags(parsed({ arch: 'deep', epochs: '7', patience: '3' }));
    expect([flags.epochs, flags.patience]).toEqual([7, 3]);
  });

  it('--select-threshold defaults to the recipe\'s youden-1se and takes youden and none', () => {
    expect(trainingFlags(parsed({})).selectThreshold).toBe('youden-1se');
    expect(trainOptions(trainingFlags(parsed({})), true).selectThreshold).toBe(defaultRecipe().train.selectThreshold);
    expect(trainOptions(trainingFlags(parsed({ 'select-threshold': 'youden' })), true).selectThreshold).toBe('youden');
    // Without a validation split there is nothing to choose on: the model keeps 0.5.
    expect(trainOptions(trainingFlags(parsed({})), false).selectThreshold).toBeUndefined();
    expect(() => trainingFlags(parsed({ 'select-threshold': 'best' }))).toThrow(/--select-threshold must be youden-1se, youden or none/);
  });

  it('--swa-epochs defaults to the recipe\'s (off), and takes 0 to --epochs', () => {
    expect(trainingFlags(parsed({})).swaEpochs).toBe(defaultRecipe().train.swaEpochs ?? 0);
    expect(trainOptions(trainingFlags(parsed({})), true).swaEpochs).toBeUndefined();
    expect(trainOptions(trainingFlags(parsed({ arch: 'deep', 'swa-epochs': '10' })), true).swaEpochs).toBe(10);
    expect(trainOptions(trainingFlags(parsed({ arch: 'simple', epochs: '4', 'swa-epochs': '4' })), true).swaEpochs).toBe(4);
    expect(() => trainingFlags(parsed({ epochs: '4', 'swa-epochs': '5' }))).toThrow(/--swa-epochs must be an integer from 0 to --epochs \(4\)/);
  });

  it('--conv-blocks auto takes the recipe\'s blocks, at most what --size takes', () => {
    expect(trainingFlags(parsed({ arch: 'larger' })).convBlocks).toBe(5);
    expect(trainingFlags(parsed({ arch: 'simple' })).convBlocks).toBe(defaultRecipe('simple').convBlocks);
    expect(trainingFlags(parsed({ arch: 'deep' })).convBlocks).toBe(4);
    expect(trainingFlags(parsed({ arch: 'larger', size: '64' })).convBlocks).toBe(4);
    expect(trainingFlags(parsed({ arch: 'larger', 'conv-blocks': '3' })).convBlocks).toBe(3);
    expect(() => trainingFlags(parsed({ arch: 'larger', 'conv-blocks': '6' }))).toThrow(/--conv-blocks must be auto or an integer from 1 to 5 \(the most a 128-pixel --size takes\)/);
    expect(() => trainingFlags(parsed({ arch: 'larger', 'conv-blocks': '0' }))).toThrow(CtHemorrhageError);
  });

  it.each([
    ['epochs', '0'],
    ['epochs', 'many'],
    ['patience', '-1'],
  ])('--%s %s is a BAD_INPUT error that names auto as a choice', (name, value) => {
    let caught: unknown;
    try {
      trainingFlags(parsed({ [name]: value }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CtHemorrhageError);
    expect((caught as CtHemorrhageError).code).toBe('BAD_INPUT');
    expect((caught as Error).message).toContain(`--${name}`);
    expect((caught as Error).message).toContain('auto or an integer');
  });
});
