// The pieces of npm run accuracy that decide what it measures and writes (no training here).
import { describe, expect, it } from 'vitest';
import { recipe } from '../scripts/accuracy/recipe.js';
import { SCORES_HEADER, scoreRows } from '../scripts/accuracy/scores.js';
import { centredScore, parseScores, seedEnsemble } from '../scripts/accuracy/ensemble.js';
import { keptRows, resultsMarkdown, TABLE_HEADER } from '../scripts/accuracy/results.js';
import type { ModelSummary } from '../scripts/accuracy/summary.js';
import { defaultRecipe } from '../src/recipe/index.js';
import { binaryMetrics } from '../src/metrics/index.js';
import type { CrossValidation } from '../src/crossval/index.js';

describe('npm run accuracy recipe overrides', () => {
  it('without overrides measures the default recipe', () => {
    for (const arch of ['simple', 'larger', 'deep'] as const) {
      const r = recipe(arch);
      expect(r.inputSize).toBe(defaultRecipe(arch).inputSize);
      expect(r.convBlocks).toBe(defaultRecipe(arch).convBlocks);
      expect(r.kernelInitializer).toBe(defaultRecipe(arch).kernelInitializer);
      expect(r.resize).toBe(defaultRecipe(arch).resize);
      expect(r.train).toEqual({ ...defaultRecipe(arch).train, swaEpochs: defaultRecipe(arch).train.swaEpochs ?? 0 });
    }
  });

  it('--patience restores the best epoch, --swa-epochs averages and never exceeds --epochs', () => {
    expect(recipe('deep', { patience: 5, swaEpochs: 10 }).train).toMatchObject({ patience: 5, restoreBestWeights: true, swaEpochs: 10 });
    expect(recipe('deep', { patience: 0 }).train).toMatchObject({ restoreBestWeights: false, swaEpochs: 0 });
    expect(recipe('deep', { epochs: 4, swaEpochs: 10 }).train).toMatchObject({ epochs: 4, swaEpochs: 4 });
    expect(recipe('larger', { swaEpochs: 5 }).train.swaEpochs).toBe(5);
  });

  it('--size keeps the recipe\'s convolution blocks where the input takes them, --conv-blocks sets them', () => {
    expect(recipe('larger', { inputSize: 64 }).convBlocks).toBe(4);
    expect(recipe('larger', { inputSize: 256 }).convBlocks).toBe(defaultRecipe('larger').convBlocks);
    expect(recipe('deep', { inputSize: 128 }).convBlocks).toBe(4);
    expect(recipe('simple', { convBlocks: 3 }).convBlocks).toBe(3);
    expect(recipe('simple', { kernelInitializer: 'glorotUniform' }).kernelInitializer).toBe('glorotUniform');
    expect(recipe('deep', { resize: 'pad' }).resize).toBe('pad');
  });
});

describe('npm run accuracy results table', () => {
  const estimate = { mean: 0.9, interval: [0.85, 0.95] as [number, number], perSeed: [0.9] };
  const summary = (arch: 'larger' | 'deep', resize?: 'stretch' | 'crop' | 'pad'): ModelSummary => ({
    arch,
    recipe: recipe(arch, resize ? { resize } : {}),
    accuracy: estimate,
    sensitivity: estimate,
    specificity: estimate,
    auc: estimate,
    accuracyAtHalf: estimate,
    thresholds: [0.5],
    foldAucs: [0.8, 1],
    minutesPerRun: 1,
    line: '',
  });
  const facts = { folds: 5, seeds: [1], seconds: 60, backend: 'wasm', images: 200, split: 'grouped' as const };

  it('names the resize mode in the input column where it is not the stretch', () => {
    const page = resultsMarkdown([summary('larger', 'stretch'), summary('deep', 'crop')], facts, 'text');
    expect(page).toContain('| larger | 128², 5 blocks |');
    expect(page).toContain('| deep | 64², centre square, 4 blocks |');
    expect(page).not.toContain('--resize');
  });

  it('states a --resize override for every model', () => {
    const page = resultsMarkdown([summary('deep', 'pad')], { ...facts, resize: 'pad' }, 'text');
    expect(page).toContain('| deep | 64², padded square, 4 blocks |');
    expect(page).toContain('Every model padded every slice with black to a square (`--resize pad`).');
  });
});

describe('npm run accuracy --merge', () => {
  const row = (model: string) => `| ${model} | 64², 4 blocks | 1, 2 | 86.9% (80.8%-91.3%) | x | x | 0.924 (0.880-0.967) | 0.85-1.00 | 37.4 |`;
  const file = (rows: string[], header = TABLE_HEADER) => ['# Results', '', 'text', '', header, '|---|', ...rows, '', '## More', '| deep | not a row |'].join('\n');

  it('keeps the rows of the models not rerun, as written', () => {
    expect(keptRows(file([row('simple'), row('larger'), row('deep')]), ['simple', 'larger'])).toEqual([row('deep')]);
    expect(keptRows(file([row('simple'), row('deep')]), ['simple', 'larger', 'deep'])).toEqual([]);
  });

  it('keeps nothing from a file without the table, or with other columns', () => {
    expect(keptRows('', ['simple'])).toEqual([]);
    expect(keptRows(file([row('deep')], '| model | input | accuracy (95% CI) |'), ['simple'])).toEqual([]);
  });
});

describe('npm run accuracy --scores', () => {
  it('writes one row per image with its fold and that fold\'s threshold, quoting ids that need it', () => {
    const labels = Float32Array.from([0, 1, 1]);
    const scores = Float32Array.from([0.1, 0.8, 0.4]);
    const cv = {
      ids: ['a', 'b,2', 'c'],
      groups: ['g1', undefined, 'g"3'],
      labels,
      scores,
      fold: Int32Array.from([0, 1, 0]),
      folds: [
        { metrics: binaryMetrics([0, 1], [0.1, 0.4], 0.3) },
        { metrics: binaryMetrics([1], [0.8], 0.5) },
      ],
    } as unknown as CrossValidation;
    expect(SCORES_HEADER.split(',')).toHaveLength(8);
    expect(scoreRows('deep', 2, cv)).toEqual([
      'deep,2,a,g1,0,1,0.100000,0.300000',
      'deep,2,"b,2",,1,2,0.800000,0.500000',
      'deep,2,c,"g""3",1,1,0.400000,0.300000',
    ]);
  });
});

describe('npm run accuracy:ensemble', () => {
  const csv = (lines: string[]) => [SCORES_HEADER, ...lines, ''].join('\n');

  it('reads back what --scores writes, quoted ids included', () => {
    const rows = parseScores(csv(['deep,2,"b,2",,1,2,0.800000,0.500000', 'deep,2,c,"g""3",0,1,0.400000,0.300000']));
    expect(rows).toEqual([
      { model: 'deep', seed: 2, id: 'b,2', label: 1, score: 0.8, threshold: 0.5 },
      { model: 'deep', seed: 2, id: 'c', label: 0, score: 0.4, threshold: 0.3 },
    ]);
    expect(() => parseScores('id,score\n')).toThrow(/first line must be model,seed/);
    expect(() => parseScores(csv(['deep,1,a,,2,1,0.5,0.5']))).toThrow(/line 2 of the scores file/);
    expect(() => parseScores(csv(['deep,1,a,,1,1,x,0.5']))).toThrow(/line 2/);
  });

  it('centres a score on its model\'s threshold without changing the call', () => {
    expect(centredScore(0.3, 0.3)).toBeCloseTo(0.5, 6);
    expect(centredScore(0.35, 0.3)).toBeGreaterThan(0.5);
    expect(centredScore(0.45, 0.5)).toBeLessThan(0.5);
    expect(centredScore(0.8, 0.5)).toBeCloseTo(0.8, 6);
  });

  it('averages the seeds\' centred scores per image and counts only images every seed scored', () => {
    const rows = parseScores(
      csv([
        // seed 1 calls image a wrongly (just under its threshold), seed 2 rightly and surely
        'deep,1,a,,1,1,0.45,0.5', 'deep,1,b,,0,2,0.2,0.5', 'deep,1,c,,1,1,0.7,0.6', 'deep,1,d,,0,2,0.1,0.5',
        'deep,2,a,,1,3,0.95,0.5', 'deep,2,b,,0,1,0.3,0.5', 'deep,2,c,,1,2,0.9,0.5', 'deep,2,d,,0,3,0.2,0.4',
        'deep,2,e,,1,1,0.9,0.5', 'simple,1,a,,1,1,0.1,0.5',
      ]),
    );
    const one = seedEnsemble(rows, 'deep', [1]);
    expect(one).toMatchObject({ seeds: [1], images: 4, accuracy: 0.75, sensitivity: 0.5, specificity: 1 });
    const both = seedEnsemble(rows, 'deep');
    expect(both).toMatchObject({ seeds: [1, 2], images: 4, accuracy: 1, sensitivity: 1, specificity: 1, auc: 1 });
    expect(seedEnsemble(rows, 'simple').accuracy).toBe(0);
    expect(() => seedEnsemble(rows, 'larger')).toThrow(/no rows of model larger/);
  });
});
