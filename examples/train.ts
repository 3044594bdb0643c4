// Mirrors the seed project's train.py: train the larger CNN and save it.
//   npx tsx examples/train.ts [--data <dir>] [--out <dir>] [--size <px>] [--epochs <n>]
// Without --data it trains on generated phantom slices. Run `npm run build` once first.
import { parseArgs } from 'node:util';
import {
  buildLargerCnn,
  generatePhantoms,
  loadImageFolder,
  saveModel,
  selectBackend,
  stratifiedGroupSplit,
  train,
  type LabeledImage,
} from 'ct-hemorrhage/node';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string', default: 'runs/example' },
    size: { type: 'string', default: '64' },
    epochs: { type: 'string', default: '10' },
  },
});
const size = Number(values.size);

const backend = await selectBackend({ training: true });
console.log(`backend: ${backend.name}`);

const images: LabeledImage[] = values.data
  ? (await loadImageFolder(values.data)).samples
  : generatePhantoms({ count: 96, size, seed: 1 });

// Hold out whole groups (scans) for validation, stratified by label.
const split = stratifiedGroupSplit(
  images.map((s) => s.label),
  0.2,
  42,
  images.map((s) => s.group),
);
const pick = (indices: number[]) => indices.map((i) => images[i] as LabeledImage);

const model = buildLargerCnn({ inputSize: size, seed: 42 });
const history = await train(model, pick(split.train), {
  epochs: Number(values.epochs),
  batchSize: 16,
  validationData: pick(split.validation),
  classWeight: 'balanced',
  patience: 5,
  callbacks: {
    onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1}`, logs),
  },
});
console.log(`best epoch ${history.bestEpoch + 1} of ${history.epoch.length}`);
await saveModel(model, values.out);
console.log(`saved to ${values.out}`);
model.dispose();
