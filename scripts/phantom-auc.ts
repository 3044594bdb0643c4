// Integration run: trains the larger CNN on 1,000 seeded HU phantoms (three CT windows as
// channels) and evaluates it on 200 unseen phantoms; exits 1 when ROC AUC < 0.95.
//   npm run check:phantom-auc [-- --size 128 --epochs 15 --train 1000 --test 200 --seed 1 --kinds all]
import * as tf from '@tensorflow/tfjs-core';
import { parseArgs } from 'node:util';
import { evaluate } from '../src/evaluator/index.js';
import { buildLargerCnn } from '../src/models/index.js';
import { generatePhantoms, HEMORRHAGE_KINDS } from '../src/phantom/index.js';
import { train } from '../src/trainer/index.js';
import { DEFAULT_WINDOW_STACK } from '../src/windowing/index.js';
import { startTraining } from './training-setup.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '128' },
    epochs: { type: 'string', default: '15' },
    train: { type: 'string', default: '1000' },
    test: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    kinds: { type: 'string', default: 'all' },
  },
});
const size = Number(values.size);
const seed = Number(values.seed);
const started = performance.now();

const { backend, threads, workers } = await startTraining();
console.log(`backend ${backend.name}, ${threads} thread(s)`);

// All five hemorrhage kinds by default (--kinds intraparenchymal,subdural,...). Training and
// test phantoms come from different seeds: no slice is shared.
const kinds = values.kinds === 'all' ? HEMORRHAGE_KINDS : (String(values.kinds).split(',') as typeof HEMORRHAGE_KINDS[number][]);
const trainSet = generatePhantoms({ count: Number(values.train), size, seed, units: 'hu', kinds });
const testSet = generatePhantoms({ count: Number(values.test), size, seed: seed + 1_000_003, units: 'hu', kinds });
const model = buildLargerCnn({ inputSize: size, windows: DEFAULT_WINDOW_STACK, seed });
try {
  const history = await train(model, trainSet, {
    epochs: Number(values.epochs),
    batchSize: 16,
    validationSplit: 0.2,
    patience: 5,
    monitor: 'val_auc',
    seed,
    ...(workers ? { workers } : {}),
    callbacks: {
      onEpochEnd: (epoch, logs) =>
        console.log(`epoch ${epoch + 1}: loss ${logs?.loss?.toFixed(4)} val_loss ${logs?.val_loss?.toFixed(4)} val_auc ${logs?.val_auc?.toFixed(4)}`),
    },
  });
  const result = await evaluate(model, testSet);
  const auc = result.rocAuc;
  console.log('');
  console.log(`larger CNN, ${size}x${size}x3 (brain, subdural, soft-tissue windows), kinds ${kinds.join(', ')}, ${history.trainCount} train / ${history.validationCount} validation phantoms, best epoch ${history.bestEpoch + 1}`);
  console.log(
    `unseen test phantoms: ${result.count}; ROC AUC ${auc.toFixed(4)} (95% CI ${result.intervals.rocAuc[0].toFixed(3)}-${result.intervals.rocAuc[1].toFixed(3)}, DeLong); ` +
      `accuracy ${(100 * result.accuracy).toFixed(1)}% at threshold 0.5`,
  );
  console.log(`took ${((performance.now() - started) / 1000).toFixed(0)} s; target AUC >= 0.95: ${auc >= 0.95 ? 'met' : 'NOT met'}`);
  if (!(auc >= 0.95)) process.exitCode = 1;
} finally {
  await workers?.terminate();
  model.dispose();
  tf.disposeVariables();
}
