// Screenshot of the demo page (examples/browser) for the README: a real head CT slice held out
// from training, with the page's probability, label, threshold and Grad-CAM overlay, taken in
// headless Debian Chromium with the end-to-end test's machinery (test/e2e/chromium.ts).
//   npm run docs:browser-screenshot [-- --model DIR --slice PATH --backend wasm --epochs 30]
// Without --model it trains the larger CNN (128x128) on the training side of a grouped,
// stratified split of ../shared/data/head_ct into runs/browser-screenshot (kept for the next
// run) and shows the first held-out hemorrhage slice (not hand-picked).
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { groupedHoldout } from './training-setup.js';
import { buildPage, REPO_ROOT, servePage } from '../examples/browser/server.js';
import { analyseFile, launchChromium, openDemo } from '../test/e2e/chromium.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    slice: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    epochs: { type: 'string', default: '30' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: join(REPO_ROOT, 'docs', 'images', 'browser-demo.png') },
  },
});
const data = join(REPO_ROOT, '..', 'shared', 'data', 'head_ct');
// The built package, as the page uses it (so the model is stamped with the package's version).
const lib = (await import(new URL('../dist/node.js', import.meta.url).href)) as typeof import('../src/node.js');
const HELD_OUT = 'held-out.json';

/** Trains on the training side of a grouped split and saves the model with the held-out ids beside it. */
async function trainModel(dir: string): Promise<void> {
  const seed = Number(values.seed);
  const started = performance.now();
  const backend = await lib.selectBackend({ training: true });
  const threads = backend.name === 'wasm' ? availableParallelism() - 1 : 0;
  const workers = threads > 0 ? await lib.createTrainingWorkers({ threads }) : undefined;
  try {
    const { samples } = await lib.loadImageFolder(data);
    const { trainSet, heldOut } = groupedHoldout(samples, seed);
    const model = lib.buildLargerCnn({ inputSize: 128, seed });
    await lib.train(model, trainSet, {
      epochs: Number(values.epochs),
      batchSize: 16,
      validationSplit: 0.2,
      patience: 10,
      classWeight: 'balanced',
      augment: lib.AUGMENT_PRESETS.ct,
      seed,
      ...(workers ? { workers } : {}),
    });
    await lib.saveModel(model, dir);
    model.dispose();
    const ids = heldOut.map((s) => ({ id: s.id, label: s.label }));
    await writeFile(join(dir, HELD_OUT), `${JSON.stringify(ids, null, 1)}\n`);
    console.log(`trained on ${trainSet.length} slices in ${((performance.now() - started) / 1000).toFixed(0)} s; ${heldOut.length} held out`);
  } finally {
    await workers?.terminate();
  }
}

let modelDir = values.model;
if (modelDir === undefined) {
  modelDir = join(REPO_ROOT, 'runs', 'browser-screenshot');
  if (!existsSync(join(modelDir, 'model.json'))) await trainModel(modelDir);
}
let slice = values.slice;
if (slice === undefined) {
  const heldOut = existsSync(join(modelDir, HELD_OUT))
    ? (JSON.parse(await readFile(join(modelDir, HELD_OUT), 'utf8')) as { id: string; label: number }[])
    : [];
  const first = heldOut.find((s) => s.label === 1);
  if (!first) throw new Error(`No held-out slice listed in ${join(modelDir, HELD_OUT)}: pass --slice PATH.`);
  slice = join(data, first.id.endsWith('.png') ? first.id : `${first.id}.png`);
}

await buildPage({ quiet: true });
const server = await servePage({ models: { demo: modelDir } });
const browser = await launchChromium({ viewport: { width: 1180, height: 760 } });
try {
  const page = await openDemo(browser.context, server.url, { backend: values.backend ?? 'wasm', model: 'models/demo/model.json' });
  const result = await analyseFile(page, slice);
  if (result.state !== 'done') throw new Error(`The page did not analyse ${slice}: ${result.error ?? result.state}`);
  await mkdir(dirname(values.out), { recursive: true });
  await page.screenshot({ path: values.out, fullPage: true });
  console.log(
    `${values.out}: ${slice.split(/[\\/]/).pop()} on ${result.backend}: probability ${result.probability.toFixed(4)} (${result.label}), ` +
      `Chromium ${browser.version}`,
  );
} finally {
  await browser.close();
  await server.close();
}
