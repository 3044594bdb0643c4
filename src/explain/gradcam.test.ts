import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu, useWasm } from '../../test/helpers.js';
import { CtHemorrhageError } from '../errors/index.js';
import { buildLargerCnn } from '../models/index.js';
import { generateCtPhantoms, generatePhantoms } from '../phantom/index.js';
import { applyWindow, WINDOW_PRESETS } from '../windowing/index.js';
import { encodeOverlayPng, gradCam, heatmapOverlay, overlayBase } from './index.js';

beforeAll(useCpu);

const SIDE = 16;

/**
 * A hand-built model: conv1 has two filters, "positive" (relu(x)) and "negative" (relu(-x));
 * pooling halves the map; the output is sigmoid(mean(positive) - mean(negative)). An image that
 * is +1 in the top-left quadrant and -1 in the bottom-right one has hemorrhage evidence only in
 * the top-left and normal evidence only in the bottom-right.
 */
function quadrantModel(negativeWeight = -1): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(tfl.layers.conv2d({ name: 'conv1', inputShape: [SIDE, SIDE, 1], filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' }));
  model.add(tfl.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
  model.add(tfl.layers.globalAveragePooling2d({ name: 'gap' }));
  model.add(tfl.layers.dense({ name: 'output', units: 1, activation: 'sigmoid' }));
  const kernel = new Float32Array(9 * 2);
  kernel[4 * 2] = 1; // centre tap, filter 0: x
  kernel[4 * 2 + 1] = -1; // centre tap, filter 1: -x
  tf.tidy(() => {
    model.getLayer('conv1').setWeights([tf.tensor4d(kernel, [3, 3, 1, 2]), tf.zeros([2])]);
    model.getLayer('output').setWeights([tf.tensor2d([[4], [4 * negativeWeight]]), tf.zeros([1])]);
  });
  return model;
}

function quadrantImage(): tf.Tensor4D {
  const x = new Float32Array(SIDE * SIDE);
  const h = SIDE / 2;
  for (let y = 0; y < SIDE; y++) {
    for (let c = 0; c < SIDE; c++) {
      if (y < h && c < h) x[y * SIDE + c] = 1;
      if (y >= h && c >= h) x[y * SIDE + c] = -1;
    }
  }
  return tf.tensor4d(x, [1, SIDE, SIDE, 1]);
}

/** Share of the heatmap's sum in each quadrant: [top-left, top-right, bottom-left, bottom-right]. */
function quadrantShares(heatmap: Float32Array, side: number): number[] {
  const sums = [0, 0, 0, 0];
  heatmap.forEach((v, i) => {
    const y = Math.floor(i / side);
    const x = i % side;
    (sums[(y < side / 2 ? 0 : 2) + (x < side / 2 ? 0 : 1)] as number) += v;
  });
  const total = sums.reduce((a, b) => a + b, 0);
  return sums.map((s) => s / total);
}

describe('gradCam', () => {
  it('returns a heatmap at input resolution in [0, 1], the score and the last conv layer', () => {
    const model = buildLargerCnn({ inputSize: 32, convBlocks: 2, seed: 2 });
    const x = tf.randomUniform([1, 32, 32, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const cam = gradCam(model, x);
    expect(tf.memory().numTensors).toBe(before);
    expect(cam.layer).toBe('conv2');
    expect(cam.classIndex).toBe(1);
    expect([cam.width, cam.height]).toEqual([32, 32]);
    expect(cam.heatmap).toBeInstanceOf(Float32Array);
    expect(cam.heatmap).toHaveLength(32 * 32);
    expect(Math.min(...cam.heatmap)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...cam.heatmap)).toBeCloseTo(1, 6);
    const p = model.predict(x) as tf.Tensor;
    expect(cam.score).toBeCloseTo(p.dataSync()[0] as number, 5);
    tf.dispose([x, p]);
    model.dispose();
  });

  it('takes a decoded image and preprocesses it as the model says; leaks nothing', () => {
    const model = buildLargerCnn({ inputSize: 24, convBlocks: 2, seed: 1 });
    const [slice] = generatePhantoms({ count: 1, size: 40, seed: 5 });
    const before = tf.memory().numTensors;
    const cam = gradCam(model, slice!.image, { classIndex: 0 });
    const base = overlayBase(model, slice!.image);
    const overlay = heatmapOverlay(base, cam.heatmap, cam.width, cam.height);
    encodeOverlayPng(overlay);
    expect(tf.memory().numTensors).toBe(before);
    expect([cam.width, cam.height, cam.classIndex]).toEqual([24, 24, 0]);
    expect(base).toHaveLength(24 * 24);
    model.dispose();
  });

  it('explains a HU slice for a windowed model; the overlay base is the first (brain) window', () => {
    const model = buildLargerCnn({ inputSize: 32, convBlocks: 2, windows: ['brain', 'subdural'], seed: 1 });
    const [slice] = generateCtPhantoms({ count: 1, size: 32, seed: 3, positiveFraction: 1 });
    const cam = gradCam(model, slice!);
    expect(cam.heatmap).toHaveLength(32 * 32);
    const base = overlayBase(model, slice!);
    const brain = applyWindow(slice!.hu, WINDOW_PRESETS.brain);
    base.forEach((v, i) => expect(v).toBeCloseTo(brain[i] as number, 5));
    model.dispose();
  });

  it('concentrates on the quadrant that drives each class', () => {
    const model = quadrantModel();
    const x = quadrantImage();
    const before = tf.memory().numTensors;
    const positive = gradCam(model, x);
    const negative = gradCam(model, x, { classIndex: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(positive.layer).toBe('conv1');
    expect(quadrantShares(positive.heatmap, SIDE)[0]).toBeGreaterThan(0.95);
    expect(quadrantShares(negative.heatmap, SIDE)[3]).toBeGreaterThan(0.95);
    // score: sigmoid(4 * mean(max-pooled relu(x)) - 4 * mean(max-pooled relu(-x))) = sigmoid(0)
    expect(positive.score).toBeCloseTo(0.5, 6);
    expect(negative.score).toBeCloseTo(positive.score, 6);
    // A named, coarser layer (8x8, upsampled to 16x16) points at the same quadrant.
    const pooled = gradCam(model, x, { layer: 'pool1' });
    expect(pooled.layer).toBe('pool1');
    expect([pooled.width, pooled.height]).toEqual([SIDE, SIDE]);
    expect(quadrantShares(pooled.heatmap, SIDE)[0]).toBeGreaterThan(0.85);
    x.dispose();
    model.dispose();
  });

  it("places each feature cell at its receptive field's centre ('aligned') or stretches the map", () => {
    // conv1 copies the image ('valid': 16 -> 14), pool1 halves it (7x7); the output sums pool1.
    const model = tfl.sequential();
    model.add(tfl.layers.conv2d({ name: 'conv1', inputShape: [16, 16, 1], filters: 1, kernelSize: 3, activation: 'relu' }));
    model.add(tfl.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
    model.add(tfl.layers.globalAveragePooling2d({}));
    model.add(tfl.layers.dense({ units: 1, activation: 'sigmoid' }));
    const kernel = new Float32Array(9);
    kernel[4] = 1;
    tf.tidy(() => {
      model.getLayer('conv1').setWeights([tf.tensor4d(kernel, [3, 3, 1, 1]), tf.zeros([1])]);
      model.layers[3]!.setWeights([tf.ones([1, 1]), tf.zeros([1])]);
    });
    const pixels = new Float32Array(256);
    pixels[3 * 16 + 11] = 1; // conv1 cell (2, 10) -> pool1 cell (1, 5), centred on input (3.5, 11.5)
    const x = tf.tensor4d(pixels, [1, 16, 16, 1]);
    const peak = (heatmap: Float32Array) => [...heatmap.keys()].filter((i) => heatmap[i] === 1).map((i) => [Math.floor(i / 16), i % 16]);
    expect(peak(gradCam(model, x, { layer: 'pool1' }).heatmap)).toEqual([[3, 11], [3, 12], [4, 11], [4, 12]]);
    const stretched = gradCam(model, x, { layer: 'pool1', upsample: 'stretch' }).heatmap; // cell 1 at 2.93, cell 5 at 12.07
    expect(peak(stretched)).toEqual([[3, 12]]);
    expect(() => gradCam(model, x, { upsample: 'nearest' as 'stretch' })).toThrow(/upsample must be 'aligned' or 'stretch'/);
    x.dispose();
    model.dispose();
  });

  it('gives an all-zero map when no feature speaks for the class', () => {
    const model = quadrantModel(0); // the output ignores the negative filter
    const x = quadrantImage();
    const normal = gradCam(model, x, { classIndex: 0 });
    expect(Math.max(...normal.heatmap)).toBe(0);
    const hemorrhage = gradCam(model, x, { classIndex: 1 });
    expect(quadrantShares(hemorrhage.heatmap, SIDE)[0]).toBeGreaterThan(0.95);
    x.dispose();
    model.dispose();
  });

  it('uses the logit: a saturated sigmoid still gives a map', () => {
    const model = quadrantModel();
    model.getLayer('output').setWeights(tf.tidy(() => [tf.tensor2d([[400], [-400]]), tf.tensor1d([400])]));
    const x = quadrantImage();
    const cam = gradCam(model, x);
    expect(cam.score).toBe(1);
    expect(quadrantShares(cam.heatmap, SIDE)[0]).toBeGreaterThan(0.95);
    x.dispose();
    model.dispose();
  });

  it('refuses a model without convolution, an unknown layer and a wrong input, with BAD_INPUT / SHAPE_MISMATCH', () => {
    const dense = tfl.sequential({
      layers: [tfl.layers.flatten({ inputShape: [4, 4, 1] }), tfl.layers.dense({ units: 1, activation: 'sigmoid' })],
    });
    const x = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    expect(() => gradCam(dense, x)).toThrow(CtHemorrhageError);
    expect(() => gradCam(dense, x)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => gradCam(dense, x)).toThrow(/needs a convolutional layer/);
    // A named layer whose output is not a feature map.
    expect(() => gradCam(dense, x, { layer: dense.layers[0]!.name })).toThrow(/feature map/);
    const model = quadrantModel();
    expect(() => gradCam(model, x, { layer: 'conv9' })).toThrow(/no layer named "conv9"; its layers are: conv1, pool1, gap, output/);
    expect(() => gradCam(model, x)).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    expect(() => gradCam(model, quadrantImage(), { classIndex: 2 as 0 })).toThrow(/classIndex must be 0/);
    x.dispose();
    tf.dispose([dense, model].flatMap((m) => m.getWeights()));
  });

  it('explains a functional model after its last merge and refuses a layer before it', () => {
    const input = tfl.input({ shape: [12, 12, 1] });
    const a = tfl.layers.conv2d({ name: 'a', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input) as tfl.SymbolicTensor;
    const b = tfl.layers.conv2d({ name: 'b', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(a) as tfl.SymbolicTensor;
    const sum = tfl.layers.add({ name: 'residual' }).apply([a, b]) as tfl.SymbolicTensor;
    const c = tfl.layers.conv2d({ name: 'c', filters: 4, kernelSize: 3, activation: 'relu' }).apply(sum) as tfl.SymbolicTensor;
    const gap = tfl.layers.globalAveragePooling2d({}).apply(c) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 1, activation: 'sigmoid' }).apply(gap) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    const x = tf.randomUniform([1, 12, 12, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const cam = gradCam(model, x);
    expect(cam.layer).toBe('c');
    expect(cam.heatmap).toHaveLength(144);
    expect(gradCam(model, x, { layer: 'residual' }).layer).toBe('residual');
    expect(tf.memory().numTensors).toBe(before);
    expect(() => gradCam(model, x, { layer: 'b' })).toThrow(/layer "residual" takes 2 inputs/);
    expect(() => gradCam(model, x, { layer: 'a' })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    x.dispose();
    model.dispose();
  });

  describe('on wasm (with the training gradients)', () => {
    beforeAll(async () => {
      await useWasm();
      const { enableWasmTraining } = await import('../wasm-training/index.js');
      enableWasmTraining();
    });
    afterAll(async () => {
      const { disableWasmTraining } = await import('../wasm-training/index.js');
      disableWasmTraining();
      await useCpu();
    });

    it('gives the same map as cpu', async () => {
      const model = buildLargerCnn({ inputSize: 32, convBlocks: 2, seed: 4 });
      const [slice] = generatePhantoms({ count: 1, size: 32, seed: 9, positiveFraction: 1 });
      const onWasm = gradCam(model, slice!.image);
      await useCpu();
      const onCpu = gradCam(model, slice!.image);
      await useWasm();
      expect(onWasm.score).toBeCloseTo(onCpu.score, 5);
      onWasm.heatmap.forEach((v, i) => expect(v).toBeCloseTo(onCpu.heatmap[i] as number, 4));
      model.dispose();
    });
  });
});

describe('heatmapOverlay', () => {
  const w = 40;
  const h = 30;
  const base = Float32Array.from({ length: w * h }, (_, i) => (i % w) / (w - 1));
  const heat = Float32Array.from({ length: w * h }, (_, i) => Math.floor(i / w) / (h - 1));

  it('blends the colour map over the grey slice and appends a legend', () => {
    const plain = heatmapOverlay(base, heat, w, h, { legend: false, alpha: 0 });
    expect([plain.width, plain.height]).toEqual([w, h]);
    expect(plain.data).toHaveLength(w * h * 4);
    expect(Array.from(plain.data.subarray(0, 4))).toEqual([0, 0, 0, 255]);
    expect(Array.from(plain.data.subarray((w - 1) * 4, w * 4))).toEqual([255, 255, 255, 255]);
    const full = heatmapOverlay(base, heat, w, h, { legend: false, alpha: 1 });
    const top = Array.from(full.data.subarray(3 * w * 4, 3 * w * 4 + 3)); // heat 0.1: turbo's blue
    const bottom = Array.from(full.data.subarray((h - 1) * w * 4, (h - 1) * w * 4 + 3)); // heat 1: dark red
    expect(top[2]).toBeGreaterThan(top[0]!);
    expect(bottom[0]).toBeGreaterThan(bottom[2]! + 80);
    const legend = heatmapOverlay(base, heat, w, h);
    expect(legend.height).toBe(h);
    expect(legend.width).toBeGreaterThan(w + 20);
    // The colour bar: red near the top (1), blue near the bottom (0).
    const barX = w + 5;
    const px = (x: number, y: number) => Array.from(legend.data.subarray((y * legend.width + x) * 4, (y * legend.width + x) * 4 + 4));
    const barTop = px(barX, 5);
    const barBottom = px(barX, h - 6);
    expect(barTop[0]).toBeGreaterThan(barTop[2]!);
    expect(barBottom[2]).toBeGreaterThan(barBottom[0]!);
    expect(legend.data.every((v, i) => i % 4 !== 3 || v === 255)).toBe(true);
    const inferno = heatmapOverlay(base, heat, w, h, { colormap: 'inferno', alpha: 1, legend: false });
    expect(Array.from(inferno.data.subarray(0, 3)).every((v) => v < 10)).toBe(true); // inferno(0) is black
  });

  it('draws ticks at 0, 0.5 and 1 beside the bar', () => {
    const o = heatmapOverlay(new Float32Array(64 * 64), new Float32Array(64 * 64), 64, 64);
    const column = 64 + 3 + 8; // first pixel right of the bar
    const lit = [];
    for (let y = 0; y < 64; y++) if ((o.data[(y * o.width + column) * 4] as number) > 200) lit.push(y);
    expect(lit).toHaveLength(3);
    expect(Math.abs(lit[1]! - lit[0]! - (lit[2]! - lit[1]!))).toBeLessThanOrEqual(1);
  });

  it('refuses mismatched buffers and bad options, saying what is expected', () => {
    expect(() => heatmapOverlay(base, heat.subarray(1), w, h)).toThrow(/heatmap holds 1199 values but a 40x30 overlay needs 1200/);
    expect(() => heatmapOverlay(base, heat, w, h, { alpha: 2 })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => heatmapOverlay(base, heat, w, h, { colormap: 'jet' as 'turbo' })).toThrow(/turbo, inferno/);
  });

  it('encodes to a PNG that decodes to the same RGBA pixels', () => {
    const o = heatmapOverlay(base, heat, w, h);
    const png = decode(encodeOverlayPng(o));
    expect([png.width, png.height, png.channels, png.depth]).toEqual([o.width, o.height, 4, 8]);
    expect(Array.from(png.data)).toEqual(Array.from(o.data));
  });
});
