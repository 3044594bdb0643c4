// Grad-CAM overlays of real slices for docs/report-head-ct: trains the larger CNN on the
// training side of a grouped, stratified split of ../shared/data/head_ct and explains three
// held-out slices of each class (the first three of each class in id order, not hand-picked).
//   npm run docs:gradcam-head-ct [-- --epochs 60 --seed 42]
import * as tf from '@tensorflow/tfjs-core';
import { Jimp } from 'jimp';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AUGMENT_PRESETS } from '../src/augment/index.js';
import { gradCam, heatmapOverlay, overlayBase } from '../src/explain/index.js';
import { buildLargerCnn } from '../src/models/index.js';
import { loadImageFolder } from '../src/node/data/index.js';
import { train } from '../src/trainer/index.js';
import { groupedHoldout, startTraining } from './training-setup.js';

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '60' }, seed: { type: 'string', default: '42' } } });
const seed = Number(values.seed);
const out = fileURLToPath(new URL('../docs/report-head-ct/gradcam-held-out.png', import.meta.url));
const started = performance.now();

const { workers } = await startTraining();
const { samples } = await loadImageFolder(fileURLToPath(new URL('../../shared/data/head_ct', import.meta.url)));
const { trainSet, heldOut } = groupedHoldout(samples, seed);
const model = buildLargerCnn({ inputSize: 128, seed });
try {
  const history = await train(model, trainSet, {
    epochs: Number(values.epochs),
    batchSize: 16,
    validationSplit: 0.2,
    patience: 15,
    classWeight: 'balanced',
    augment: AUGMENT_PRESETS.ct,
    seed,
    ...(workers ? { workers } : {}),
  });
  const picked = [1, 0].flatMap((label) => heldOut.filter((s) => s.label === label).slice(0, 3));
  const tiles = picked.map((s) => {
    const cam = gradCam(model, s.image);
    const overlay = heatmapOverlay(overlayBase(model, s.image), cam.heatmap, cam.width, cam.height, { legend: false });
    console.log(`${s.id}\tlabel=${s.label === 1 ? 'hemorrhage' : 'normal'}\tprobability=${cam.score.toFixed(3)}\tlayer=${cam.layer}`);
    return { overlay, base: heatmapOverlay(overlayBase(model, s.image), cam.heatmap, cam.width, cam.height, { alpha: 0, legend: false }) };
  });
  // Two rows per class: the model's input and its Grad-CAM overlay; hemorrhage left, normal right.
  const side = 128;
  const scale = 2;
  const gap = 6;
  const tile = side * scale;
  const width = tiles.length * (tile + gap) - gap;
  const height = 2 * tile + gap;
  const rgba = Buffer.alloc(width * height * 4, 255);
  const blit = (src: { data: Uint8ClampedArray; width: number }, x0: number, y0: number) => {
    for (let y = 0; y < tile; y++) {
      for (let x = 0; x < tile; x++) {
        const s = (Math.floor(y / scale) * src.width + Math.floor(x / scale)) * 4;
        const o = ((y0 + y) * width + x0 + x) * 4;
        for (let k = 0; k < 4; k++) rgba[o + k] = src.data[s + k] as number;
      }
    }
  };
  tiles.forEach((t, i) => {
    blit(t.base, i * (tile + gap), 0);
    blit(t.overlay, i * (tile + gap), tile + gap);
  });
  await new Jimp({ width, height, data: rgba }).write(out as `${string}.png`);
  console.log(`trained on ${history.trainCount} (+${history.validationCount} for early stopping), best epoch ${history.bestEpoch + 1}; held-out slices: ${heldOut.length}`);
  console.log(`wrote ${out} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
} finally {
  await workers?.terminate();
  model.dispose();
  tf.disposeVariables();
}
