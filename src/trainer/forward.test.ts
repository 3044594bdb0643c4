import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers.js';
import { forwardTraining } from './forward.js';

beforeAll(useCpu);

// A model that is only a dropout layer over 1,000 ones: in training mode some outputs are 0
// and the rest 1 / (1 - rate) (all kept has probability 0.5^1000); predict leaves it off.
function dropoutOnly() {
  return tfl.sequential({ layers: [tfl.layers.dropout({ name: 'drop', rate: 0.5, inputShape: [1000] })] });
}

it('forwardTraining turns dropout on, predict leaves it off', () => {
  const model = dropoutOnly();
  const x = tf.ones([1, 1000]);
  const trained = Array.from(forwardTraining(model, x).dataSync());
  const predicted = Array.from((model.predict(x) as tf.Tensor).dataSync());
  expect(new Set(trained)).toEqual(new Set([0, 2]));
  expect(new Set(predicted)).toEqual(new Set([1]));
  tf.disposeVariables();
  model.dispose();
});

it('forwardTraining applies a given dropout mask exactly', () => {
  const model = dropoutOnly();
  const x = tf.fill([2, 1000], 3);
  const mask = tf.tensor2d(Float32Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? 0 : 2)), [2, 1000]);
  const out = forwardTraining(model, x, new Map([['drop', mask]])).dataSync();
  out.forEach((v, i) => expect(v).toBe(i % 3 === 0 ? 0 : 6));
  model.dispose();
});
