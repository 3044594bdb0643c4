// Mirrors the seed project's predict.py: the hemorrhage probability of one image.
//   npx tsx examples/predict.ts --image_path <file> [--model <dir>]
// For research and education only; not for diagnosis.
import { parseArgs } from 'node:util';
import { loadPredictor, selectBackend } from 'ct-hemorrhage/node';

const { values } = parseArgs({
  options: { image_path: { type: 'string' }, model: { type: 'string', default: 'runs/example' } },
});
if (!values.image_path) throw new Error('Pass --image_path <file>.');

await selectBackend();
const predictor = await loadPredictor(values.model);
const prediction = await predictor.predict(values.image_path);
console.log(prediction); // { probability: 0.93, label: 'hemorrhage', labelIndex: 1, threshold: 0.5 }
predictor.dispose();
