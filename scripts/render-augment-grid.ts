// Renders docs/augmentation-grid.png: a real slice from ../shared/data/head_ct and 15
// augmented versions of it (CT preset top rows, reference preset bottom row).
//   npm run docs:augment-grid [-- <image> [<out.png>]]
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Jimp } from 'jimp';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { augmentBatch, AUGMENT_PRESETS } from '../src/augment/index.js';
import { decodeImage } from '../src/decode/index.js';
import { DEFAULT_PREPROCESSING, imageToTensor } from '../src/preprocessing/index.js';

const input = process.argv[2] ?? fileURLToPath(new URL('../../shared/data/head_ct/000.png', import.meta.url));
const out = process.argv[3] ?? fileURLToPath(new URL('../docs/augmentation-grid.png', import.meta.url));
const side = 192;
const gap = 4;

tf.enableProdMode();
await tf.setBackend('cpu');
const image = await decodeImage(await readFile(input), { name: input });
const x = tf.expandDims(imageToTensor(image, { ...DEFAULT_PREPROCESSING, inputSize: [side, side] }), 0) as tf.Tensor4D;
const tiles: Float32Array[] = [x.dataSync() as Float32Array];
for (let i = 1; i < 16; i++) {
  const preset = i < 12 ? AUGMENT_PRESETS.ct : AUGMENT_PRESETS.reference;
  const y = augmentBatch(x, preset, { seed: 2026, samples: [i] });
  tiles.push(y.dataSync() as Float32Array);
  y.dispose();
}
const width = 4 * side + 3 * gap;
const rgba = Buffer.alloc(width * width * 4, 255);
tiles.forEach((tile, t) => {
  const ox = (t % 4) * (side + gap);
  const oy = Math.floor(t / 4) * (side + gap);
  for (let y = 0; y < side; y++) {
    for (let xx = 0; xx < side; xx++) {
      const v = Math.round(255 * (tile[y * side + xx] as number));
      const o = ((oy + y) * width + ox + xx) * 4;
      rgba[o] = v;
      rgba[o + 1] = v;
      rgba[o + 2] = v;
      rgba[o + 3] = 255;
    }
  }
});
await new Jimp({ width, height: width, data: rgba }).write(out as `${string}.png`);
console.log(`wrote ${out} (top left: the original ${input.split('/').pop()})`);
