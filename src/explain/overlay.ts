import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { encode } from 'fast-png';
import { CtHemorrhageError } from '../errors/index.js';
import { getModelInfo } from '../metadata/index.js';
import { imageToTensor, type SliceImage } from '../preprocessing/index.js';

/** Colour maps {@link heatmapOverlay} draws with. */
export type HeatmapColormap = 'turbo' | 'inferno';

/** Options of {@link heatmapOverlay}; defaults in {@link OVERLAY_DEFAULTS}. */
export interface OverlayOptions {
  /** Opacity of the colour map over the grey slice, in [0, 1]. Default `0.45`. */
  alpha?: number;
  /** Colour map: `'turbo'` (blue to red) or `'inferno'` (black to yellow). Default `'turbo'`. */
  colormap?: HeatmapColormap;
  /** Append a vertical colour bar with ticks at 0, 0.5 and 1 to the right. Default `true`. */
  legend?: boolean;
}

/** An RGBA image (4 bytes per pixel, row-major), as a canvas `ImageData` holds it. */
export interface OverlayImage {
  /** RGBA bytes, `width * height * 4` of them. */
  readonly data: Uint8ClampedArray;
  /** Width in pixels (the slice's width plus the legend's, if any). */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
}

/** Defaults of {@link OverlayOptions}. */
export const OVERLAY_DEFAULTS = Object.freeze({
  alpha: 0.45,
  colormap: 'turbo' as const,
  legend: true,
});

type Rgb = readonly [number, number, number];

const clamp01 = (t: number): number => (t > 1 ? 1 : t > 0 ? t : 0);

/** Polynomial fit of Google's Turbo colour map (A. Mikhailov, 2019), 0..1 -> RGB 0..1. */
function turbo(t: number): Rgb {
  const x = clamp01(t);
  const x2 = x * x;
  const x3 = x2 * x;
  const x4 = x2 * x2;
  const x5 = x4 * x;
  return [
    0.13572138 + 4.6153926 * x - 42.66032258 * x2 + 132.13108234 * x3 - 152.94239396 * x4 + 59.28637943 * x5,
    0.09140261 + 2.19418839 * x + 4.84296658 * x2 - 14.18503333 * x3 + 4.27729857 * x4 + 2.82956604 * x5,
    0.1066733 + 12.64194608 * x - 60.58204836 * x2 + 110.36276771 * x3 - 89.90310912 * x4 + 27.34824973 * x5,
  ];
}

/** Polynomial fit of matplotlib's inferno colour map, 0..1 -> RGB 0..1. */
function inferno(t: number): Rgb {
  const x = clamp01(t);
  const c = [
    [0.0002189403691192265, 0.001651004631001012, -0.01948089843709184],
    [0.1065134194856116, 0.5639564367884091, 3.932712388889277],
    [11.60249308247187, -3.972853965665698, -15.9423941062914],
    [-41.70399613139459, 17.43639888205313, 44.35414519872813],
    [77.162935699427, -33.40235894210092, -81.80730925738993],
    [-71.31942824499214, 32.62606426397723, 73.20951985803202],
    [25.13112622477341, -12.24266895238567, -23.07032500287172],
  ] as const;
  const channel = (i: 0 | 1 | 2) => c.reduceRight((acc, row) => acc * x + row[i], 0);
  return [channel(0), channel(1), channel(2)];
}

const COLORMAPS: Readonly<Record<HeatmapColormap, (t: number) => Rgb>> = Object.freeze({ turbo, inferno });

// 3x5 glyphs (rows top to bottom, '1' = lit) of the legend's tick labels.
const GLYPHS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  '0': ['111', '101', '101', '101', '111'],
  '1': ['010', '110', '010', '010', '111'],
  '5': ['111', '100', '111', '001', '111'],
  '.': ['0', '0', '0', '0', '1'],
});

/** Width in glyph pixels of `text` (1 pixel between glyphs). */
function textWidth(text: string): number {
  return [...text].reduce((w, ch) => w + (GLYPHS[ch]?.[0]?.length ?? 0) + 1, -1);
}

/** Legend geometry for a slice `height` pixels high; every length is a multiple of `scale`. */
function legendLayout(height: number) {
  const s = Math.max(1, Math.floor(height / 160));
  const gap = 3 * s;
  const bar = 8 * s;
  const tick = 3 * s;
  const textGap = 2 * s;
  const text = textWidth('0.5') * s;
  return { s, gap, bar, tick, textGap, width: gap + bar + tick + textGap + text + 3 * s, margin: Math.max(4 * s, Math.round(height * 0.06)) };
}

function checkPlane(name: string, plane: ArrayLike<number>, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new CtHemorrhageError('BAD_INPUT', `An overlay needs a positive integer width and height; got ${width}x${height}.`, {
      received: { width, height },
    });
  }
  if (plane.length !== width * height) {
    throw new CtHemorrhageError(
      'SHAPE_MISMATCH',
      `The ${name} holds ${plane.length} values but a ${width}x${height} overlay needs ${width * height} (one per pixel, row-major).`,
      { option: name, expected: width * height, received: plane.length },
    );
  }
}

/**
 * Blends a heatmap (values 0..1, such as {@link GradCamResult}`.heatmap`) in colour over a grey
 * slice (values 0..1, such as {@link overlayBase}): every pixel is `(1 - alpha) * grey + alpha *
 * colour(heat)`. With `legend` (the default) a colour bar with ticks and labels at 0, 0.5 and 1
 * is appended on the right, on black. Returns RGBA bytes, ready for a canvas
 * (`new ImageData(o.data, o.width, o.height)`) or {@link encodeOverlayPng}.
 *
 * @example
 * ```ts
 * const cam = gradCam(model, slice);
 * const overlay = heatmapOverlay(overlayBase(model, slice), cam.heatmap, cam.width, cam.height);
 * // { data: Uint8ClampedArray(79872), width: 156, height: 128 }   (128 + a 28-pixel legend)
 * heatmapOverlay(base, cam.heatmap, 128, 128, { legend: false, colormap: 'inferno' }).width; // 128
 * ```
 */
export function heatmapOverlay(
  base: Float32Array,
  heatmap: Float32Array,
  width: number,
  height: number,
  options: OverlayOptions = {},
): OverlayImage {
  checkPlane('base', base, width, height);
  checkPlane('heatmap', heatmap, width, height);
  const alpha = options.alpha ?? OVERLAY_DEFAULTS.alpha;
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) {
    throw new CtHemorrhageError('BAD_INPUT', `Option alpha must be a number in [0, 1]; got ${String(alpha)}.`, {
      option: 'alpha',
      received: alpha,
    });
  }
  const name = options.colormap ?? OVERLAY_DEFAULTS.colormap;
  const colormap = Object.hasOwn(COLORMAPS, name) ? COLORMAPS[name] : undefined;
  if (!colormap) {
    throw new CtHemorrhageError('BAD_INPUT', `Option colormap must be one of ${Object.keys(COLORMAPS).join(', ')}; got ${JSON.stringify(name)}.`, {
      option: 'colormap',
      expected: Object.keys(COLORMAPS),
      received: name,
    });
  }
  const legend = options.legend ?? OVERLAY_DEFAULTS.legend;
  const layout = legendLayout(height);
  const outWidth = width + (legend ? layout.width : 0);
  const data = new Uint8ClampedArray(outWidth * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const grey = 255 * clamp01(base[i] as number);
      const [r, g, b] = colormap(heatmap[i] as number);
      const o = (y * outWidth + x) * 4;
      data[o] = (1 - alpha) * grey + alpha * 255 * r;
      data[o + 1] = (1 - alpha) * grey + alpha * 255 * g;
      data[o + 2] = (1 - alpha) * grey + alpha * 255 * b;
      data[o + 3] = 255;
    }
  }
  if (legend) drawLegend(data, outWidth, width, height, colormap, layout);
  return { data, width: outWidth, height };
}

function drawLegend(
  data: Uint8ClampedArray,
  outWidth: number,
  x0: number,
  height: number,
  colormap: (t: number) => Rgb,
  layout: ReturnType<typeof legendLayout>,
): void {
  const put = (x: number, y: number, rgb: Rgb) => {
    if (x < 0 || x >= outWidth || y < 0 || y >= height) return;
    const o = (y * outWidth + x) * 4;
    data[o] = rgb[0];
    data[o + 1] = rgb[1];
    data[o + 2] = rgb[2];
  };
  for (let y = 0; y < height; y++) for (let x = x0; x < outWidth; x++) data[(y * outWidth + x) * 4 + 3] = 255;
  const { s, gap, bar, tick, textGap, margin } = layout;
  const top = Math.min(margin, Math.floor((height - 1) / 2));
  const bottom = height - 1 - top;
  const span = Math.max(1, bottom - top);
  const barX = x0 + gap;
  for (let y = top; y <= bottom; y++) {
    const c = colormap((bottom - y) / span);
    const rgb: Rgb = [255 * c[0], 255 * c[1], 255 * c[2]];
    for (let x = barX; x < barX + bar; x++) put(x, y, rgb);
  }
  const white: Rgb = [235, 235, 235];
  for (const [value, label] of [[0, '0'], [0.5, '0.5'], [1, '1']] as const) {
    const y = Math.round(bottom - value * span);
    for (let t = 0; t < s; t++) {
      const yy = Math.min(bottom, Math.max(top, y - Math.floor(s / 2) + t));
      for (let x = barX + bar; x < barX + bar + tick; x++) put(x, yy, white);
    }
    let cx = barX + bar + tick + textGap;
    const cy = y - Math.floor((5 * s) / 2);
    for (const ch of label) {
      const glyph = GLYPHS[ch] ?? [];
      glyph.forEach((row, gy) => {
        [...row].forEach((bit, gx) => {
          if (bit !== '1') return;
          for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) put(cx + gx * s + dx, cy + gy * s + dy, white);
        });
      });
      cx += ((glyph[0]?.length ?? 0) + 1) * s;
    }
  }
}

/**
 * Encodes an RGBA image (from {@link heatmapOverlay}) as PNG bytes (8-bit RGBA).
 *
 * @example
 * ```ts
 * const png = encodeOverlayPng(heatmapOverlay(base, cam.heatmap, cam.width, cam.height));
 * png.subarray(1, 4); // 'PNG' in ASCII: Uint8Array [80, 78, 71]
 * ```
 */
export function encodeOverlayPng(image: OverlayImage): Uint8Array {
  checkPlane('image', { length: image.data.length / 4 }, image.width, image.height);
  return encode({ width: image.width, height: image.height, data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length), channels: 4, depth: 8 });
}

/**
 * The grey image an overlay is drawn on: the first channel of the model's preprocessed input
 * (for a model with windows, the first window, normally the brain window), clamped to [0, 1],
 * row-major at the model's input size. Takes an image (preprocessed with the model's saved
 * preprocessing) or a preprocessed input `[1, h, w, c]`. Leaves no tensor behind.
 *
 * @example
 * ```ts
 * const base = overlayBase(model, dicomSlice); // Float32Array(16384) [0, 0, 0.41, ...]
 * ```
 */
export function overlayBase(model: tfl.LayersModel, input: tf.Tensor4D | SliceImage): Float32Array {
  return tf.tidy(() => {
    const x =
      input instanceof tf.Tensor
        ? input
        : (tf.expandDims(imageToTensor(input, getModelInfo(model).preprocessing), 0) as tf.Tensor4D);
    if (x.rank !== 4 || x.shape[0] !== 1) {
      throw new CtHemorrhageError(
        'SHAPE_MISMATCH',
        `overlayBase takes one preprocessed input [1, h, w, c]; got [${x.shape.join(', ')}].`,
        { expected: [1, null, null, null], received: x.shape },
      );
    }
    const first = tf.slice(x, [0, 0, 0, 0], [1, -1, -1, 1]);
    return Float32Array.from(tf.clipByValue(first, 0, 1).dataSync());
  });
}
