/**
 * End to end, in real Chromium: the demo page (examples/browser), bundled by Vite from the built
 * core entry, loads models trained and saved here in Node and predicts real head CT slices and
 * DICOM files (reads shared data: ../shared/data/head_ct and dicom). Its probabilities must match
 * Node's for the same model and files: wasm and cpu within 1e-4, webgl (SwiftShader) within 1e-2.
 *
 * Run with `npm run test:e2e` (CI: .ci/run, after `apt-get install chromium`). Without
 * /usr/bin/chromium the test is skipped with a message, except under CI, where it fails.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildLargerCnn, createPredictor, enableWasmTraining, generatePhantoms, train } from 'ct-hemorrhage';
import { loadPredictor, saveModel } from 'ct-hemorrhage/node';
import { buildPage, servePage, type PageServer } from '../../examples/browser/server.js';
import { requireSharedData, useCpu, useWasm } from '../helpers.js';
import {
  afterDrop,
  analyseFile,
  CHROMIUM,
  chooseBackend,
  hasChromium,
  idle,
  launchChromium,
  openDemo,
  type Chromium,
} from './chromium.js';

/** Real slices: a grey RGB hemorrhage scan (821x957), a tinted RGB normal, an RGBA normal. */
const SLICES = ['000.png', '162.png', '197.png'] as const;
/** Real DICOM slices (reads shared data: dicom): RSNA examples, explicit VR little endian. */
const DICOMS = ['rsna_ich_examples/ID_000000e27.dcm', 'rsna_ich_examples/ID_fffc60817.dcm', 'barre_CT-MONO2-16-brain.dcm'] as const;
/** Page backend -> Node backend it is compared with, and the tolerance. */
const COMPARISONS = [
  { backend: 'wasm', node: 'wasm', tolerance: 1e-4 },
  { backend: 'cpu', node: 'cpu', tolerance: 1e-4 },
  { backend: 'webgl', node: 'wasm', tolerance: 1e-2 },
] as const;

const inCi = Boolean(process.env.CI);
const skip = !hasChromium() && !inCi;
if (skip) {
  console.warn(
    `\n  SKIPPED browser end-to-end test: no Chromium at ${CHROMIUM}. Install Debian's with ` +
      '`sudo apt-get install chromium` (or set CHROMIUM_PATH); under CI=true a missing Chromium fails instead.\n',
  );
}

describe.skipIf(skip)('demo page in headless Chromium (reads shared data: head_ct, dicom)', () => {
  let root: string;
  let server: PageServer;
  let browser: Chromium;
  let page: Page;
  let slicePaths: string[] = [];
  let dicomPaths: string[] = [];
  /** Node's probabilities (wasm) of the brain-window model for DICOMS. */
  let dicomScores: number[] = [];
  /** Node's probabilities per backend, in SLICES order. */
  const nodeScores: Record<'wasm' | 'cpu', number[]> = { wasm: [], cpu: [] };
  const timings: string[] = [];
  const table: string[] = [];

  beforeAll(async () => {
    if (!hasChromium()) {
      throw new Error(`CI is set and there is no Chromium at ${CHROMIUM}: .ci/run installs it with \`apt-get install chromium\`.`);
    }
    slicePaths = SLICES.map((name) => join(requireSharedData('head_ct'), name));
    dicomPaths = DICOMS.map((name) => join(requireSharedData('dicom'), name));
    let t = performance.now();
    const lap = (what: string) => {
      timings.push(`${what} ${((performance.now() - t) / 1000).toFixed(1)} s`);
      t = performance.now();
    };
    root = await mkdtemp(join(tmpdir(), 'cth-e2e-'));
    await buildPage({ quiet: true });
    lap('vite build');

    // A tiny model, trained for a few steps in Node (wasm, with the library's wasm gradients).
    await useWasm();
    enableWasmTraining();
    const model = buildLargerCnn({ inputSize: 64, filters: 8, seed: 11 });
    await train(model, generatePhantoms({ count: 48, size: 64, seed: 5 }), {
      epochs: 3,
      batchSize: 8,
      validationSplit: 0,
      patience: 0,
      seed: 5,
    });
    await spreadOutputs(model, await Promise.all(slicePaths.map((p) => readFile(p))));
    const modelDir = join(root, 'model');
    await saveModel(model, modelDir);
    model.dispose();
    // A second one that takes slices in Hounsfield units through the brain window, for DICOM.
    const huModel = buildLargerCnn({ inputSize: 64, filters: 8, seed: 12, windows: ['brain'] });
    await train(huModel, generatePhantoms({ count: 32, size: 64, seed: 6, units: 'hu' }), {
      epochs: 2,
      batchSize: 8,
      validationSplit: 0,
      patience: 0,
      seed: 6,
    });
    await spreadOutputs(huModel, await Promise.all(dicomPaths.map((p) => readFile(p))));
    const huModelDir = join(root, 'hu-model');
    await saveModel(huModel, huModelDir);
    huModel.dispose();
    lap('train + save');

    // Node's predictions for the saved model and the real slices, loaded as any app would.
    for (const backend of ['wasm', 'cpu'] as const) {
      if (backend === 'wasm') await useWasm();
      else await useCpu();
      const predictor = await loadPredictor(modelDir);
      nodeScores[backend] = (await predictor.predictBatch(slicePaths)).map((p) => p.probability);
      predictor.dispose();
    }
    const huPredictor = await loadPredictor(huModelDir);
    dicomScores = (await huPredictor.predictBatch(dicomPaths)).map((p) => p.probability);
    huPredictor.dispose();
    // The comparison means something only if the model's output depends on the slice.
    const spread = Math.max(...nodeScores.wasm) - Math.min(...nodeScores.wasm);
    expect(spread, `node probabilities ${nodeScores.wasm.join(', ')}`).toBeGreaterThan(0.3);
    lap('node predictions');

    const broken = join(root, 'broken');
    await mkdir(broken);
    await writeFile(join(broken, 'model.json'), '{ "modelTopology": ');
    server = await servePage({ models: { e2e: modelDir, hu: huModelDir, broken } });
    browser = await launchChromium();
    page = await openDemo(browser.context, server.url, { backend: 'wasm', model: 'models/e2e/model.json' });
    lap(`chromium ${browser.version} + page`);
    const renderer = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'no WebGL2';
    });
    timings.push(`WebGL renderer: ${renderer}`);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
    if (table.length > 0) console.log(`\n  page vs node probabilities:\n${table.join('\n')}\n  ${timings.join(', ')}\n`);
    tf.engine().reset();
  });

  for (const { backend, node, tolerance } of COMPARISONS) {
    it(`${backend} in the page matches node ${node} within ${tolerance} on real slices`, async () => {
      const { active } = await chooseBackend(page, backend);
      expect(active).toBe(backend);
      for (const [i, file] of slicePaths.entries()) {
        const result = await analyseFile(page, file);
        expect(result.error).toBeUndefined();
        expect(result).toMatchObject({ state: 'done', backend });
        const expected = nodeScores[node][i] as number;
        const diff = Math.abs(result.probability - expected);
        table.push(
          `  ${SLICES[i]}  page ${backend.padEnd(5)} ${result.probability.toFixed(7)}  node ${node.padEnd(4)} ${expected.toFixed(7)}  |diff| ${diff.toExponential(2)}`,
        );
        expect(diff).toBeLessThanOrEqual(tolerance);
        // Grad-CAM ran on the same input: its score is the same probability, and an overlay was drawn.
        expect(Math.abs(result.camScore - result.probability)).toBeLessThanOrEqual(backend === 'webgl' ? 1e-2 : 1e-5);
        expect(result.overlay.width).toBeGreaterThan(result.overlay.height);
        expect(result.overlay.height).toBeGreaterThanOrEqual(64);
      }
    });
  }

  it('the overlay canvas shows the slice in colour, not a blank', async () => {
    const stats = await page.evaluate(() => {
      const canvas = document.getElementById('overlay') as HTMLCanvasElement;
      const data = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      const distinct = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i] as number, data[i + 1] as number, data[i + 2] as number];
        if (Math.max(r, g, b) - Math.min(r, g, b) > 30) coloured++;
        distinct.add((r << 16) | (g << 8) | b);
      }
      return { coloured: coloured / (data.length / 4), distinct: distinct.size };
    });
    expect(stats.coloured).toBeGreaterThan(0.05);
    expect(stats.distinct).toBeGreaterThan(200);
  });

  it('a wrong file gets a clear message and no result', async () => {
    const result = await analyseFile(page, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image\n') });
    expect(result.state).toBe('error');
    expect(result.error).toMatch(/"notes\.txt" is not a slice this page can read: give a PNG or JPEG image or an uncompressed DICOM file/);
  });

  it('a model that fails to load gets a clear message, missing or corrupt', async () => {
    const failing = await openDemo(browser.context, server.url, { backend: 'cpu', model: 'models/missing/model.json' });
    try {
      expect(await failing.textContent('#model-status')).toBe('No model loaded.');
      const missing = await failing.textContent('#error');
      expect(missing).toMatch(/The model failed to load from http:\/\/127\.0\.0\.1:\d+\/models\/missing\/model\.json\./);
      expect(missing).toMatch(/404/);
      // A slice chosen without a model is kept, with a pointer to step 1.
      const result = await analyseFile(failing, slicePaths[0] as string);
      expect(result.error).toMatch(/Load a model first/);
      // The URL field and the Load button: a model.json that is not JSON.
      await failing.fill('#model-url', 'models/broken/model.json');
      await failing.click('#model-load');
      await idle(failing);
      const corrupt = await failing.textContent('#error');
      expect(corrupt).toMatch(/The model failed to load from http:\/\/127\.0\.0\.1:\d+\/models\/broken\/model\.json\./);
      expect(corrupt).toMatch(/JSON/);
      expect(await failing.getAttribute('#model-status', 'data-state')).toBe('error');
    } finally {
      await failing.close();
    }
  });

  it('DICOM: a display-image model says it needs windowed input; a brain-window model matches node within 1e-4', async () => {
    await chooseBackend(page, 'wasm');
    const refused = await analyseFile(page, dicomPaths[0] as string);
    expect(refused.state).toBe('error');
    expect(refused.error).toMatch(/This model takes display images .* but got a slice in Hounsfield units/);
    const huPage = await openDemo(browser.context, server.url, { backend: 'wasm', model: 'models/hu/model.json' });
    try {
      expect(await huPage.textContent('#model-status')).toMatch(/windows brain/);
      for (const [i, file] of dicomPaths.entries()) {
        const result = await analyseFile(huPage, file);
        expect(result.error).toBeUndefined();
        const expected = dicomScores[i] as number;
        const diff = Math.abs(result.probability - expected);
        table.push(
          `  ${DICOMS[i]?.split('/').pop()}  page wasm ${result.probability.toFixed(7)}  node wasm ${expected.toFixed(7)}  |diff| ${diff.toExponential(2)}`,
        );
        expect(diff).toBeLessThanOrEqual(1e-4);
      }
    } finally {
      await huPage.close();
    }
  });

  it('a slice dropped on the drop zone is analysed like a chosen one', async () => {
    const before = await chooseBackend(page, 'wasm');
    expect(before.active).toBe('wasm');
    const bytes = (await readFile(slicePaths[1] as string)).toString('base64');
    const result = await afterDrop(page, SLICES[1], bytes);
    expect(result).toMatchObject({ state: 'done', backend: 'wasm' });
    expect(Math.abs(result.probability - (nodeScores.wasm[1] as number))).toBeLessThanOrEqual(1e-4);
  });

  it('webgpu is offered only where the browser has an adapter', async () => {
    const { adapter, disabled, text } = await page.evaluate(async () => {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      const option = document.querySelector('#backend option[value="webgpu"]') as HTMLOptionElement;
      return { adapter: Boolean(gpu && (await gpu.requestAdapter())), disabled: option.disabled, text: option.textContent };
    });
    expect(disabled).toBe(!adapter);
    table.push(`  webgpu without adapter flags: ${adapter ? 'adapter found' : `option disabled: "${text}"`}`);
  });
});

/**
 * A model trained for a few steps sits on the seed CNNs' plateau: every output is within a few
 * thousandths of 0.5, and a page that fed the model the wrong pixels could still agree with Node
 * to 1e-2. This rescales the output layer (its kernel and bias; a positive factor, so the
 * ranking and the Grad-CAM maps keep their shape) so that the logits of `slices` span [-2, 2]:
 * probabilities then range from about 0.12 to 0.88, and every disagreement in the features
 * shows up in the probability, 4 / (logit spread) times larger.
 */
async function spreadOutputs(model: tfl.LayersModel, slices: readonly Uint8Array[]): Promise<void> {
  const probabilities = (await createPredictor(model).predictBatch(slices)).map((p) => p.probability);
  const logits = probabilities.map((p) => Math.log(p / (1 - p)));
  const [min, max] = [Math.min(...logits), Math.max(...logits)];
  const factor = 4 / (max - min);
  const centre = (max + min) / 2;
  const head = model.layers[model.layers.length - 1] as tfl.layers.Layer;
  const [kernel, bias] = head.getWeights() as [tf.Tensor, tf.Tensor];
  const scaled = tf.tidy(() => [tf.mul(kernel, factor), tf.mul(tf.sub(bias, centre), factor)]);
  head.setWeights(scaled);
  scaled.forEach((t) => t.dispose());
}
