// Mirrors the seed project's evaluate.py: evaluate a saved model on a labelled image folder.
//   npx tsx examples/evaluate.ts --model <dir> --data <dir>
import { parseArgs } from 'node:util';
import { evaluate, loadImageFolder, loadModel, selectBackend } from 'ct-hemorrhage/node';

const { values } = parseArgs({
  options: { model: { type: 'string', default: 'runs/example' }, data: { type: 'string' } },
});
if (!values.data) throw new Error('Pass --data <dir> (labels.csv or one sub-folder per class).');

await selectBackend();
const model = await loadModel(values.model);
const { samples, skipped } = await loadImageFolder(values.data);
for (const s of skipped) console.warn(`skipped ${s.file}: ${s.error.message}`);

const result = await evaluate(model, samples);
console.log({
  accuracy: result.accuracy,
  rocAuc: result.rocAuc,
  sensitivity: result.sensitivity,
  specificity: result.specificity,
  confusionMatrix: result.confusionMatrix,
});
model.dispose();
