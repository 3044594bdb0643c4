// Streams generated slices from disk through the dataset pipeline and prints images/s and the
// growth of process memory, next to loading the same files into memory at once.
//   npm run bench:stream [-- --count 5000 --size 128 --format png|dicom]
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { encode } from 'fast-png';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeDicom } from '../src/dicom/index.js';
import { DEFAULT_PREPROCESSING } from '../src/preprocessing/index.js';
import { createSliceDataset, listDataset, loadImageFolder } from '../src/node/data/index.js';
import { generateCtPhantoms } from '../src/phantom/index.js';
import { applyWindow, DEFAULT_WINDOW_STACK } from '../src/windowing/index.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '5000' }, size: { type: 'string', default: '128' }, format: { type: 'string', default: 'png' } },
});
const count = Number(values.count);
const size = Number(values.size);
const format = values.format === 'dicom' ? 'dicom' : 'png';
const MB = 1024 * 1024;

tf.enableProdMode();
await tf.setBackend('cpu');

const dir = await mkdtemp(join(tmpdir(), 'cth-stream-bench-'));
try {
  const t0 = performance.now();
  const rows = ['path,label,group'];
  for (let start = 0; start < count; start += 250) {
    const chunk = generateCtPhantoms({ count: Math.min(250, count - start), size, seed: 1000 + start });
    for (const [k, p] of chunk.entries()) {
      const i = start + k;
      const name = `${String(i).padStart(5, '0')}.${format === 'dicom' ? 'dcm' : 'png'}`;
      const bytes =
        format === 'dicom'
          ? writeDicom(p, { patientId: `p${Math.floor(i / 4)}` })
          : encode({ width: size, height: size, depth: 8, channels: 1, data: Uint8Array.from(applyWindow(p.hu, { level: 40, width: 80 }), (v) => Math.round(v * 255)) });
      await writeFile(join(dir, name), bytes);
      rows.push(`${name},${p.label},p${Math.floor(i / 4)}`);
    }
  }
  await writeFile(join(dir, 'list.csv'), rows.join('\n'));
  console.log(`wrote ${count} ${format.toUpperCase()} slices of ${size}x${size} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const listing = await listDataset(join(dir, 'list.csv'));
  const preprocessing = {
    ...DEFAULT_PREPROCESSING,
    inputSize: [size, size] as const,
    ...(format === 'dicom' ? { channels: 3, windows: DEFAULT_WINDOW_STACK } : {}),
  };
  global.gc?.();
  const tensorsBefore = tf.memory().numTensors;
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  let seen = 0;
  const data = createSliceDataset(listing, { preprocessing, batchSize: 32, seed: 1, prefetch: 2 });
  const t1 = performance.now();
  await data.dataset.forEachAsync((batch) => {
    seen += batch.xs.shape[0];
    tf.dispose([batch.xs, batch.ys]);
    peak = Math.max(peak, process.memoryUsage().rss);
  });
  const streamSecs = (performance.now() - t1) / 1000;
  const streamGrowth = (peak - rssBefore) / MB;
  const leaked = tf.memory().numTensors - tensorsBefore;

  global.gc?.();
  const rssBeforeLoad = process.memoryUsage().rss;
  const t2 = performance.now();
  const all = await loadImageFolder(join(dir, 'list.csv'));
  const loadSecs = (performance.now() - t2) / 1000;
  const loadGrowth = (process.memoryUsage().rss - rssBeforeLoad) / MB;

  console.log('');
  console.log(`| ${count} ${format} slices, ${size}x${size}, cpu backend | images/s | process memory growth (RSS) |`);
  console.log('|---|---|---|');
  console.log(`| createSliceDataset, streamed (batch 32, prefetch 2) | ${(seen / streamSecs).toFixed(0)} | ${streamGrowth.toFixed(0)} MB (peak during the pass) |`);
  console.log(`| loadImageFolder, everything decoded in memory (baseline) | ${(all.samples.length / loadSecs).toFixed(0)} | ${loadGrowth.toFixed(0)} MB (held) |`);
  console.log('');
  console.log(`streamed ${seen} of ${count}; ${data.skipped.length} skipped; tensors left by the stream: ${leaked}`);
  console.log(`memory growth of the stream: ${streamGrowth.toFixed(0)} MB (${streamGrowth < 300 ? 'under' : 'OVER'} the 300 MB budget)`);
  if (streamGrowth >= 300 || leaked !== 0 || seen !== count) process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
