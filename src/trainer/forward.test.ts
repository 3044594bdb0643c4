import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers.js';
import { buildSimpleCnn } from '../models/index.js';
import { forwardTraining } from './forward.js';

beforeAll(useCpu);

it('forwardTraining turns dropout on, predict leaves it off', () => {
  const model = buildSimpleCnn({ inputSize: 24, filters: 4, convBlocks: 2, dropout: 0.9 });
  const x = tf.randomUniform([4, 24, 24, 1], 0, 1, 'float32', 1);
  const [a, b, c, d] = [
    forwardTraining(model, x),
    forwardTraining(model, x),
    model.predict(x) as tf.Tensor,
    model.predict(x) as tf.Tensor,
  ].map((t) => Array.from(t.dataSync()));
  expect(a).not.toEqual(b);
  expect(c).toEqual(d);
  tf.disposeVariables();
  model.dispose();
});
