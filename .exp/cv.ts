// scratch: CV with arbitrary recipe/model overrides. ARCH, SEEDS, SIZE, TRAIN (json), MODEL (json), AUG (preset name or 'none' or json)
import * as tf from '@tensorflow/tfjs-core';
import { crossValidate } from '../src/crossval/index.js';
import { buildModel, type ArchitectureName } from '../src/models/index.js';
import { loadImageFolder } from '../src/node/data/index.js';
import { startTraining } from '../scripts/training-setup.js';
import { recipe } from '../scripts/accuracy/recipe.js';
import { summarise, type SeedRun } from '../scripts/accuracy/summary.js';
import { AUGMENT_PRESETS } from '../src/augment/index.js';
const arch = (process.env.ARCH ?? 'larger') as ArchitectureName;
const seeds = (process.env.SEEDS ?? '1').split(',').map(Number);
const base = recipe(arch, process.env.SIZE ? { inputSize: Number(process.env.SIZE) } : {});
const trainOv = JSON.parse(process.env.TRAIN ?? '{}');
const modelOv = JSON.parse(process.env.MODEL ?? '{}');
const aug = process.env.AUG;
const augment = aug === undefined ? base.train.augment : aug === 'none' ? undefined : aug in AUGMENT_PRESETS ? (AUGMENT_PRESETS as any)[aug] : JSON.parse(aug);
const r = { inputSize: base.inputSize, train: { ...base.train, augment, ...trainOv } };
console.log(JSON.stringify({ arch, seeds, size: r.inputSize, trainOv, modelOv, aug }));
const started = performance.now();
const { workers } = await startTraining(undefined);
const loaded = await loadImageFolder(new URL('../../shared/data/head_ct', import.meta.url).pathname);
const runs: SeedRun[] = [];
try {
  for (const seed of seeds) {
    const t0 = performance.now();
    const cv = await crossValidate(() => buildModel(arch, { inputSize: r.inputSize, seed, ...modelOv }), loaded.samples, {
      folds: 5, seed,
      train: { ...r.train, ...(workers ? { workers } : {}),
        callbacks: { onEpochEnd: (e, l) => { if (process.env.VERBOSE || (e + 1) % 10 === 0) console.log(`  ep ${e + 1} loss ${l?.loss?.toFixed(3)} acc ${l?.acc?.toFixed?.(3) ?? ''} val_loss ${l?.val_loss?.toFixed(3)} val_auc ${l?.val_auc?.toFixed(3)} lr ${l?.lr?.toExponential(1)}`); } } },
      onFold: (f) => console.log(`seed ${seed} fold ${f.fold + 1}: AUC ${f.metrics.rocAuc.toFixed(3)} acc ${(100 * f.metrics.accuracy).toFixed(1)} thr ${f.metrics.threshold.toFixed(2)} best ${f.history.bestEpoch + 1}/${f.history.epoch.length}`),
    });
    runs.push({ seed, cv, seconds: (performance.now() - t0) / 1000 });
  }
} finally { await workers?.terminate(); tf.disposeVariables(); }
console.log('RESULT', process.env.TAG ?? '', summarise(arch, r as any, runs).line);
console.log(`time ${((performance.now() - started) / 60000).toFixed(1)} min`);
