import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CtHemorrhageError } from '../errors/index.js';
import { trainingConv2d } from '../wasm-training/conv-layer.js';
import { trainingConvPool } from '../wasm-training/conv-pool.js';

/**
 * Runs `model` forward in training mode.
 *
 * tfjs-layers' `model.apply(x, {training: true})` does not pass `training` down to the layers
 * of a model, so dropout would stay off. This applies the layers of a chain-shaped model
 * (every `Sequential`, and functional models whose layers each feed the next) one by one
 * with `training: true`, as `model.fit` does internally. A dropout layer named in `masks`
 * multiplies by the given (already scaled) mask instead of drawing its own.
 */
export function forwardTraining(
  model: tfl.LayersModel,
  x: tf.Tensor,
  masks?: ReadonlyMap<string, tf.Tensor>,
): tf.Tensor {
  let h = x;
  const layers = model.layers;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i] as tfl.layers.Layer;
    if (layer.getClassName() === 'InputLayer') continue;
    if (layer.inboundNodes.length > 1 || (layer.inboundNodes[0]?.inboundLayers.length ?? 1) > 1) {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        `Layer "${layer.name}" has several inputs; the trainer supports chain-shaped models ` +
          '(Sequential, or functional models whose layers each feed the next). Use model.fit for others.',
        { received: layer.name },
      );
    }
    const mask = masks?.get(layer.name);
    const next = layers[i + 1];
    const feedsNext = next !== undefined && next.inboundNodes.length === 1 && next.inboundNodes[0]?.inboundLayers.length === 1 && next.inboundNodes[0]?.inboundLayers[0] === layer;
    const pooled = mask || !feedsNext ? undefined : trainingConvPool(layer, next, h);
    if (pooled) {
      h = pooled;
      i++; // the pooling layer ran fused with the convolution
      continue;
    }
    h = mask
      ? tf.mul(h, tf.reshape(mask, h.shape))
      : (trainingConv2d(layer, h) ?? (layer.apply(h, { training: true }) as tf.Tensor));
  }
  return h;
}
