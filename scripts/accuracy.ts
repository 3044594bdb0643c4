// Grouped, stratified k-fold cross-validation on ../shared/data/head_ct of the simple CNN, the
// larger CNN and the deep CNN with the default recipe, over several seeds; prints accuracy,
// sensitivity, specificity and ROC AUC with 95% intervals and its run time; writes docs/results.md.
//   npm run accuracy [-- --models simple,larger,deep --seeds 1,2,3 --folds 5 --epochs 60 --size 96 --conv-blocks 5 --select-threshold youden --swa-epochs 0 --out docs/results.md]
//   --resize stretch|crop|pad: how every model brings slices to its input size (default: each recipe's)
//   --square pad|crop: the shortcuts check: --resize pad|crop for every model, written with the shortcuts page's text
//   --scores <csv>: also write every out-of-fold score with its fold and threshold
//   --merge: keep the rows of the models not run from the existing --out file (rerun one model)
import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { crossValidate } from '../src/crossval/index.js';
import { buildModel, KERNEL_INITIALIZERS, type ArchitectureName } from '../src/models/index.js';
import { RESIZE_MODES } from '../src/preprocessing/index.js';
import { loadImageFolder } from '../src/node/data/index.js';
import { startTraining } from './training-setup.js';
import { recipe } from './accuracy/recipe.js';
import type { MonitorName } from '../src/trainer/index.js';
import { summarise, type SeedRun } from './accuracy/summary.js';
import { writeResults } from './accuracy/results.js';
import { scoreRows, writeScores } from './accuracy/scores.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'simple,larger,deep' },
    seeds: { type: 'string', default: '1,2,3' },
    folds: { type: 'string', default: '5' },
    epochs: { type: 'string' },
    patience: { type: 'string' },
    size: { type: 'string' },
    'conv-blocks': { type: 'string' },
    'kernel-initializer': { type: 'string' },
    threads: { type: 'string' },
    monitor: { type: 'string' },
    'select-threshold': { type: 'string' },
    'swa-epochs': { type: 'string' },
    split: { type: 'string', default: 'grouped' },
    resize: { type: 'string' },
    square: { type: 'string' },
    out: { type: 'string', default: 'docs/results.md' },
    scores: { type: 'string' },
    merge: { type: 'boolean', default: false },
  },
});
/** `value` if it is one of `allowed`, else an error naming flag `name` and the choices ("a, b or c"). */
function choice<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`--${name} must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}; got ${value}`);
  }
  return value as T;
}
// --square: the shortcuts check, every slice padded or cropped to a square (the library's resize).
const square = values.square === undefined ? undefined : choice('square', values.square, ['pad', 'crop'] as const);
if (square && values.resize) throw new Error('--square sets --resize; give one of them');
const resize = square ?? (values.resize === undefined ? undefined : choice('resize', values.resize, RESIZE_MODES));
const models = String(values.models).split(',') as ArchitectureName[];
const seeds = String(values.seeds).split(',').map(Number);
const folds = Number(values.folds);
const overrides = {
  ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
  ...(values.patience ? { patience: Number(values.patience) } : {}),
  ...(values.size ? { inputSize: Number(values.size) } : {}),
  ...(values['conv-blocks'] ? { convBlocks: Number(values['conv-blocks']) } : {}),
  ...(values['kernel-initializer'] ? { kernelInitializer: choice('kernel-initializer', values['kernel-initializer'], KERNEL_INITIALIZERS) } : {}),
  ...(resize ? { resize } : {}),
  ...(values.monitor ? { monitor: values.monitor as MonitorName } : {}),
  ...(values['select-threshold'] ? { selectThreshold: choice('select-threshold', values['select-threshold'], ['youden-1se', 'youden', 'none'] as const) } : {}),
  ...(values['swa-epochs'] ? { swaEpochs: Number(values['swa-epochs']) } : {}),
};
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 60000).toFixed(1)} min`;

const { backend, threads, workers } = await startTraining(values.threads ? Number(values.threads) : undefined);
console.log(`backend ${backend.name}, ${threads} thread(s)`);
const dataDir = fileURLToPath(new URL('../../shared/data/head_ct', import.meta.url));
const loaded = await loadImageFolder(dataDir);
const samples = loaded.samples;
if (square) console.log(`shortcuts check: grey slices made square (${square}) before resizing`);
console.log(`data: ${samples.length} slices, ${new Set(samples.map((s) => s.group)).size} groups`);

// --split random puts every image in its own group: the leaky random split of the seed project.
const random = values.split === 'random';
if (!random && values.split !== 'grouped') throw new Error(`--split must be grouped or random; got ${values.split}`);
const runs = new Map<ArchitectureName, SeedRun[]>();
const scoreLines: string[] = [];
try {
  for (const arch of models) {
    const r = recipe(arch, overrides);
    for (const seed of seeds) {
      const modelStart = performance.now();
      const cv = await crossValidate(() => buildModel(arch, { inputSize: r.inputSize, convBlocks: r.convBlocks, kernelInitializer: r.kernelInitializer, resize: r.resize, seed }), samples, {
        folds,
        seed,
        ...(random ? { groups: samples.map((s) => s.id) } : {}),
        train: {
          ...r.train,
          ...(workers ? { workers } : {}),
          callbacks: {
            onEpochEnd: (epoch, logs) =>
              console.log(
                `  epoch ${epoch + 1}: loss ${logs?.loss?.toFixed(3)} val_loss ${logs?.val_loss?.toFixed(3)} val_auc ${logs?.val_auc?.toFixed(3)} lr ${logs?.lr?.toExponential(1)} (${elapsed()})`,
              ),
          },
        },
        onFold: (f) =>
          console.log(
            `${arch} seed ${seed} fold ${f.fold + 1}/${folds}: AUC ${f.metrics.rocAuc.toFixed(3)}, accuracy ${(100 * f.metrics.accuracy).toFixed(1)}% ` +
              `at ${f.metrics.threshold.toFixed(3)}; ${f.history.epoch.length} epochs, best ${f.history.bestEpoch + 1}` +
              `${f.history.averagedEpochs > 0 ? `, last ${f.history.averagedEpochs} averaged (val AUC ${f.history.averaged?.val_auc?.toFixed(3)}, last epoch ${f.history.history.val_auc?.at(-1)?.toFixed(3)})` : ''} (${elapsed()})`,
          ),
      });
      const run: SeedRun = { seed, cv, seconds: (performance.now() - modelStart) / 1000 };
      (runs.get(arch) ?? runs.set(arch, []).get(arch))?.push(run);
      if (values.scores) {
        scoreLines.push(...scoreRows(arch, seed, cv));
        await writeScores(values.scores, scoreLines);
      }
    }
  }
} finally {
  await workers?.terminate();
  tf.disposeVariables();
}
const seconds = (performance.now() - started) / 1000;
const summaries = [...runs].map(([arch, seedRuns]) => summarise(arch, recipe(arch, overrides), seedRuns));
for (const s of summaries) console.log(s.line);
console.log(`run time ${(seconds / 60).toFixed(1)} min`);
await writeResults(String(values.out), summaries, {
  folds,
  seeds,
  seconds,
  backend: `${backend.name}, ${threads} thread(s)`,
  images: samples.length,
  split: random ? 'random' : 'grouped',
  ...(square ? { square } : resize ? { resize } : {}),
}, values.merge === true);
console.log(`wrote ${values.out}`);
