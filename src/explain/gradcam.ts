import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { requireBackend } from '../data/index.js';
import { CtHemorrhageError } from '../errors/index.js';
import { getModelInfo } from '../metadata/index.js';
import { imageToTensor, type SliceImage } from '../preprocessing/index.js';

/** Layer classes {@link gradCam} picks its default target layer from: the last of these in the model. */
export const GRAD_CAM_LAYER_CLASSES: readonly string[] = Object.freeze(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D']);

/** Options of {@link gradCam}. */
export interface GradCamOptions {
  /**
   * Name of the layer whose activations are explained, e.g. `'conv2'`. Its output must be a
   * feature map `[1, h, w, k]` and the layers after it must form a single chain to the output.
   * Default: the last convolutional layer (`Conv2D`, `DepthwiseConv2D` or `SeparableConv2D`).
   */
  layer?: string;
  /**
   * The class explained: `1` (the positive class, hemorrhage) follows the gradient of the
   * sigmoid output's logit `z`; `0` (normal) follows that of `-z`, the logit of `1 - p`. When the
   * output layer is not a sigmoid `Dense` or `Activation` layer, `p` and `1 - p` themselves are
   * used. Default `1`.
   */
  classIndex?: 0 | 1;
  /**
   * How the layer's map reaches the input resolution, bilinearly in both cases:
   * `'aligned'` puts each feature cell at the centre of its receptive field in the input
   * (computed from the kernel sizes, strides and padding of the convolutions and poolings
   * before the layer; where the layers before it are not such a chain, it falls back to
   * `'stretch'`); `'stretch'` spreads the map over the whole input (half-pixel centres, as
   * `tf.image.resizeBilinear` and most Grad-CAM code do). The two agree for `'same'`-padded
   * models; with `'valid'` convolutions and flooring poolings the feature grid covers less than
   * the input, and `'stretch'` shifts the map outward from the centre. Default `'aligned'`.
   */
  upsample?: 'aligned' | 'stretch';
}

/** What {@link gradCam} returns. */
export interface GradCamResult {
  /**
   * Class activation map at the model's input resolution, `width * height` values in [0, 1],
   * row-major: the ReLU of the gradient-weighted feature maps, upsampled bilinearly (see
   * {@link GradCamOptions}`.upsample`) and divided by its maximum. All zeros when no feature
   * map speaks for the class (it is not rescaled).
   */
  readonly heatmap: Float32Array;
  /** Width of the heatmap: the model's input width. */
  readonly width: number;
  /** Height of the heatmap: the model's input height. */
  readonly height: number;
  /** Name of the layer explained. */
  readonly layer: string;
  /** The model's probability of the positive class (hemorrhage) for this input, 0-1. */
  readonly score: number;
  /** The class explained. */
  readonly classIndex: 0 | 1;
}

/** Defaults of {@link GradCamOptions}. */
export const GRAD_CAM_DEFAULTS = Object.freeze({
  /** Explain the positive class (hemorrhage). */
  classIndex: 1 as const,
  /** Feature cells at the centres of their receptive fields. */
  upsample: 'aligned' as const,
});

function badInput(message: string, details: Record<string, unknown> = {}): CtHemorrhageError {
  return new CtHemorrhageError('BAD_INPUT', message, details);
}

/** The target layer's output and the layers from it to the model's output, in order. */
interface Chain {
  readonly target: tfl.layers.Layer;
  readonly feature: tfl.SymbolicTensor;
  readonly head: readonly tfl.layers.Layer[];
}

function pickLayer(model: tfl.LayersModel, name: string | undefined): tfl.layers.Layer {
  if (name !== undefined) {
    const layer = model.layers.find((l) => l.name === name);
    if (!layer) {
      throw badInput(
        `The model has no layer named "${name}"; its layers are: ${model.layers.map((l) => l.name).join(', ')}.`,
        { option: 'layer', expected: model.layers.map((l) => l.name), received: name },
      );
    }
    return layer;
  }
  const convs = model.layers.filter((l) => GRAD_CAM_LAYER_CLASSES.includes(l.getClassName()));
  const last = convs[convs.length - 1];
  if (!last) {
    throw badInput(
      `Grad-CAM needs a convolutional layer (${GRAD_CAM_LAYER_CLASSES.join(', ')}) and this model has none ` +
        `(layers: ${model.layers.map((l) => `${l.name}:${l.getClassName()}`).join(', ')}). ` +
        'Name a layer with a [1, h, w, k] output in options.layer.',
      { option: 'layer', received: model.layers.map((l) => l.getClassName()) },
    );
  }
  return last;
}

/** Walks back from the model's output to `target` through layers with exactly one input each. */
function findChain(model: tfl.LayersModel, target: tfl.layers.Layer): Chain {
  if (model.outputs.length !== 1 || model.inputs.length !== 1) {
    throw badInput(
      `Grad-CAM supports models with one input and one output; this one has ${model.inputs.length} and ${model.outputs.length}.`,
      { received: { inputs: model.inputs.length, outputs: model.outputs.length } },
    );
  }
  const head: tfl.layers.Layer[] = [];
  let t = model.outputs[0] as tfl.SymbolicTensor;
  for (;;) {
    const layer = t.sourceLayer;
    if (layer === target) break;
    const node = layer.inboundNodes[t.nodeIndex];
    const inputs = node?.inputTensors ?? [];
    if (layer.getClassName() === 'InputLayer' || inputs.length !== 1) {
      throw badInput(
        `Grad-CAM needs the layers after "${target.name}" to form a single chain to the output, but ` +
          (inputs.length > 1
            ? `layer "${layer.name}" takes ${inputs.length} inputs. `
            : `"${target.name}" is not on the path from the input to the output. `) +
          'Explain a layer after the last merge (residual add, concatenation) instead, via options.layer.',
        { option: 'layer', received: target.name },
      );
    }
    head.unshift(layer);
    t = inputs[0] as tfl.SymbolicTensor;
  }
  if (t.shape.length !== 4) {
    throw badInput(
      `Layer "${target.name}" outputs shape [${t.shape.join(', ')}]; Grad-CAM needs a feature map [batch, height, width, channels]. ` +
        'Name a convolutional or pooling layer in options.layer.',
      { option: 'layer', received: t.shape },
    );
  }
  return { target, feature: t, head };
}

function checkOutput(model: tfl.LayersModel): void {
  const shape = model.outputs[0]?.shape;
  if (!shape || shape.length !== 2 || shape[1] !== 1) {
    throw badInput(
      `Grad-CAM explains models with one sigmoid output unit ([null, 1]); this model outputs [${shape?.join(', ')}].`,
      { received: shape },
    );
  }
}

/** The layer's config value `key`, or undefined. */
function configOf(layer: tfl.layers.Layer, key: string): unknown {
  return (layer.getConfig() as Record<string, unknown>)[key];
}

/** True when `layer` ends in a sigmoid whose logit we can compute. */
function sigmoidLayer(layer: tfl.layers.Layer | undefined): 'dense' | 'activation' | undefined {
  if (!layer || configOf(layer, 'activation') !== 'sigmoid') return undefined;
  if (layer.getClassName() === 'Activation') return 'activation';
  if (layer.getClassName() === 'Dense') return 'dense';
  return undefined;
}

/** `[kh, kw]` when `layer` is a non-overlapping, unpadded, channels-last 2D max-pooling; else undefined. */
function tilingMaxPool(layer: tfl.layers.Layer): [number, number] | undefined {
  if (layer.getClassName() !== 'MaxPooling2D') return undefined;
  const c = layer.getConfig() as { poolSize?: number[]; strides?: number[]; padding?: string; dataFormat?: string };
  const [kh, kw] = c.poolSize ?? [];
  const [sh, sw] = c.strides ?? [];
  if (kh === undefined || kw === undefined || kh !== sh || kw !== sw) return undefined;
  return c.padding === 'valid' && c.dataFormat !== 'channelsFirst' ? [kh, kw] : undefined;
}

/**
 * 2D max-pooling whose gradient splits each window's gradient evenly among its tied maxima.
 * Grad-CAM averages gradients over positions, so it needs each window to pass on exactly its
 * gradient; ReLU maps tie often (all-zero windows), and backends break ties differently (the
 * stock wasm kernel even loses gradient). This makes the map the same on every backend.
 */
function maxPoolEvenTies(x: tf.Tensor, [kh, kw]: [number, number]): tf.Tensor {
  const pool = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    const y = tf.maxPool(input, [kh, kw], [kh, kw], 'valid');
    save([input, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, ys] = saved as [tf.Tensor4D, tf.Tensor4D];
        const [n, h, w, c] = xs.shape;
        const [, oh, ow] = ys.shape;
        const up = (t: tf.Tensor4D) => tf.image.resizeNearestNeighbor(t, [oh * kh, ow * kw]);
        const covered = tf.slice(xs, [0, 0, 0, 0], [n, oh * kh, ow * kw, c]);
        const mask = tf.cast(tf.equal(covered, up(ys)), 'float32') as tf.Tensor4D;
        const ties = tf.mul(tf.avgPool(mask, [kh, kw], [kh, kw], 'valid'), tf.scalar(kh * kw));
        const share = up(tf.div(dy as tf.Tensor4D, ties) as tf.Tensor4D);
        return tf.pad(tf.mul(mask, share), [[0, 0], [0, h - oh * kh], [0, w - ow * kw], [0, 0]]);
      },
    };
  });
  return pool(x);
}

function applyLayer(layer: tfl.layers.Layer, h: tf.Tensor): tf.Tensor {
  const pool = h.rank === 4 ? tilingMaxPool(layer) : undefined;
  return pool ? maxPoolEvenTies(h, pool) : (layer.apply(h, { training: false }) as tf.Tensor);
}

/** Runs `head` on `features`; returns the logit (or probability) of the positive class and the probability. */
function runHead(head: readonly tfl.layers.Layer[], features: tf.Tensor): { target: tf.Tensor; probability: tf.Tensor } {
  let h = features;
  const last = head[head.length - 1];
  const kind = sigmoidLayer(last);
  const body = kind ? head.slice(0, -1) : head;
  for (const layer of body) h = applyLayer(layer, h);
  if (kind === 'activation') return { target: h, probability: tf.sigmoid(h) };
  if (kind === 'dense' && last && h.rank === 2) {
    const [kernel, bias] = last.getWeights();
    let z = tf.matMul(h as tf.Tensor2D, kernel as tf.Tensor2D);
    if (configOf(last, 'useBias') !== false && bias) z = tf.add(z, bias);
    return { target: z, probability: tf.sigmoid(z) };
  }
  if (kind === 'dense' && last) h = last.apply(h, { training: false }) as tf.Tensor;
  return { target: h, probability: h };
}

/** Input pixel coordinate of feature index `i` along one axis: `scale * i + offset`. */
interface Axis {
  readonly scale: number;
  readonly offset: number;
}

const SPATIAL_CLASSES = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'MaxPooling2D', 'AveragePooling2D']);

/** Spatial dims `[h, w]` of a channels-last symbolic 4D shape, or undefined. */
function spatial(shape: readonly (number | null)[] | undefined): [number, number] | undefined {
  const [, h, w] = shape ?? [];
  return shape?.length === 4 && typeof h === 'number' && typeof w === 'number' ? [h, w] : undefined;
}

/**
 * Where each cell of `feature` sits in the input, per axis, when the layers from the input to it
 * are a chain of convolutions, poolings and layers that keep the spatial size; else undefined.
 */
function receptiveCentres(feature: tfl.SymbolicTensor): [Axis, Axis] | undefined {
  const steps: { layer: tfl.layers.Layer; input: tfl.SymbolicTensor; output: tfl.SymbolicTensor }[] = [];
  let t = feature;
  for (;;) {
    const layer = t.sourceLayer;
    if (layer.getClassName() === 'InputLayer') break;
    const inputs = layer.inboundNodes[t.nodeIndex]?.inputTensors ?? [];
    if (inputs.length !== 1) return undefined;
    steps.unshift({ layer, input: inputs[0] as tfl.SymbolicTensor, output: t });
    t = inputs[0] as tfl.SymbolicTensor;
  }
  let axes: [Axis, Axis] = [{ scale: 1, offset: 0 }, { scale: 1, offset: 0 }];
  for (const { layer, input, output } of steps) {
    const inShape = spatial(input.shape);
    const outShape = spatial(output.shape);
    if (!inShape || !outShape) return undefined;
    const config = layer.getConfig() as {
      kernelSize?: number[];
      poolSize?: number[];
      strides?: number[];
      dilationRate?: number | number[];
      padding?: string;
      dataFormat?: string;
    };
    if (!SPATIAL_CLASSES.has(layer.getClassName())) {
      if (inShape[0] !== outShape[0] || inShape[1] !== outShape[1]) return undefined;
      continue;
    }
    if (config.dataFormat === 'channelsFirst') return undefined;
    const kernel = config.kernelSize ?? config.poolSize ?? [];
    const strides = config.strides ?? kernel;
    const dilation = typeof config.dilationRate === 'number' ? [config.dilationRate, config.dilationRate] : (config.dilationRate ?? [1, 1]);
    axes = axes.map((axis, d) => {
      const k = ((kernel[d] ?? 1) - 1) * (dilation[d] ?? 1) + 1;
      const s = strides[d] ?? 1;
      const padBefore = config.padding === 'same' ? Math.floor(Math.max((outShape[d]! - 1) * s + k - inShape[d]!, 0) / 2) : 0;
      return { scale: axis.scale * s, offset: axis.scale * ((k - 1) / 2 - padBefore) + axis.offset };
    }) as [Axis, Axis];
  }
  return axes;
}

/**
 * Samples a `h x w` map at every pixel of a `height x width` image, bilinearly, where input
 * pixel `y` sits at map coordinate `(y - offset) / scale`; beyond the map's outer cells the
 * edge values continue.
 */
function placeMap(map: Float32Array, h: number, w: number, height: number, width: number, [ay, ax]: [Axis, Axis]): Float32Array {
  const out = new Float32Array(height * width);
  const coords = (n: number, size: number, axis: Axis) =>
    Array.from({ length: n }, (_, i) => {
      const f = Math.min(size - 1, Math.max(0, (i - axis.offset) / axis.scale));
      const i0 = Math.floor(f);
      const i1 = Math.min(size - 1, i0 + 1);
      return [i0, i1, f - i0] as const;
    });
  const ys = coords(height, h, ay);
  const xs = coords(width, w, ax);
  for (let y = 0; y < height; y++) {
    const [y0, y1, fy] = ys[y]!;
    for (let x = 0; x < width; x++) {
      const [x0, x1, fx] = xs[x]!;
      const top = map[y0 * w + x0]! * (1 - fx) + map[y0 * w + x1]! * fx;
      const bottom = map[y1 * w + x0]! * (1 - fx) + map[y1 * w + x1]! * fx;
      out[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

function toInput(model: tfl.LayersModel, input: tf.Tensor4D | SliceImage): tf.Tensor4D {
  const shape = model.inputs[0]?.shape ?? [];
  if (input instanceof tf.Tensor) {
    const ok =
      input.rank === 4 &&
      input.shape[0] === 1 &&
      shape.slice(1).every((d, i) => d === null || d === input.shape[i + 1]);
    if (!ok) {
      throw new CtHemorrhageError(
        'SHAPE_MISMATCH',
        `Grad-CAM takes one preprocessed input [1, ${shape.slice(1).join(', ')}]; got [${input.shape.join(', ')}]. ` +
          'Pass one image (a decoded slice), or preprocess it with imageToTensor and expandDims.',
        { expected: [1, ...shape.slice(1)], received: input.shape },
      );
    }
    return tf.cast(input, 'float32') as tf.Tensor4D;
  }
  return tf.expandDims(imageToTensor(input, getModelInfo(model).preprocessing), 0) as tf.Tensor4D;
}

/**
 * Grad-CAM (Selvaraju et al., 2017): where in the image the evidence for a class lies,
 * according to one convolutional layer. With `A` the layer's feature maps for this input and
 * `y` the class target (the sigmoid output's logit for hemorrhage, its negation for normal),
 * each map's weight is the spatial mean of `dy/dA_k`, and the map is
 * `relu(sum_k w_k A_k)`, brought bilinearly to the input size (each cell at the centre of its
 * receptive field, or stretched: `upsample`) and divided by its maximum. A map that is zero
 * everywhere (no positive evidence) stays zero. Ties in max-pooling windows share their
 * gradient evenly, so every backend gives the same map.
 *
 * Takes one preprocessed input `[1, h, w, c]` or an image (display pixels or a HU slice,
 * preprocessed with the model's saved preprocessing). Works for every `Sequential` model and
 * for functional models whose layers after the explained layer form a single chain; other
 * graphs, models without a convolution, and outputs other than one unit throw `BAD_INPUT`.
 * Synchronous; leaves no tensor behind.
 *
 * @example
 * ```ts
 * const cam = gradCam(model, slice);
 * // { heatmap: Float32Array(16384) [0, 0, 0.02, ...], width: 128, height: 128,
 * //   layer: 'conv3', score: 0.97, classIndex: 1 }
 * gradCam(model, slice, { layer: 'conv2', classIndex: 0 }).layer; // 'conv2'
 * ```
 */
export function gradCam(
  model: tfl.LayersModel,
  input: tf.Tensor4D | SliceImage,
  options: GradCamOptions = {},
): GradCamResult {
  requireBackend();
  const classIndex = options.classIndex ?? GRAD_CAM_DEFAULTS.classIndex;
  if (classIndex !== 0 && classIndex !== 1) {
    throw badInput(`Option classIndex must be 0 (normal) or 1 (hemorrhage); got ${String(classIndex)}.`, {
      option: 'classIndex',
      received: classIndex,
    });
  }
  const upsample = options.upsample ?? GRAD_CAM_DEFAULTS.upsample;
  if (upsample !== 'aligned' && upsample !== 'stretch') {
    throw badInput(`Option upsample must be 'aligned' or 'stretch'; got ${JSON.stringify(upsample)}.`, {
      option: 'upsample',
      received: upsample,
    });
  }
  checkOutput(model);
  const { target, feature, head } = findChain(model, pickLayer(model, options.layer));
  const aligned = upsample === 'aligned' ? receptiveCentres(feature) : undefined;
  let result: GradCamResult | undefined;
  tf.tidy(() => {
    const x = toInput(model, input);
    const [, height, width] = x.shape;
    const features = model.execute(x, feature.name) as tf.Tensor4D;
    const sign = tf.scalar(classIndex === 1 ? 1 : -1);
    // For a probability (no logit reachable) class 0 is 1 - p, whose gradient is that of -p.
    const classTarget = (a: tf.Tensor): tf.Scalar =>
      tf.mul(tf.sum(runHead(head, a).target), sign) as tf.Scalar;
    const grads = tf.grad(classTarget)(features);
    const weights = tf.mean(grads, [1, 2], true);
    const cam = tf.relu(tf.sum(tf.mul(features, weights), -1, true)) as tf.Tensor4D;
    const [, h, w] = cam.shape;
    const stretch = (n: number, size: number): Axis => ({ scale: size / n, offset: size / n / 2 - 0.5 });
    const map = placeMap(cam.dataSync() as Float32Array, h, w, height, width, aligned ?? [stretch(h, height), stretch(w, width)]);
    const max = map.reduce((m, v) => (v > m ? v : m), 0);
    if (max > 0) for (let i = 0; i < map.length; i++) map[i] = map[i]! / max;
    result = {
      heatmap: map,
      width,
      height,
      layer: target.name,
      score: runHead(head, features).probability.dataSync()[0] as number,
      classIndex,
    };
  });
  return result as GradCamResult;
}
