import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { conv2dFilterGrad, conv2dInputGrad } from './src/wasm-training/conv2d-grad.js';
tf.enableProdMode();
setWasmPaths(process.cwd() + '/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
const rel = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / tf.max(tf.abs(b)).dataSync()[0]!;
async function on(b: string, f: () => tf.Tensor[]) { await tf.setBackend(b); return f().map((t) => tf.tensor(t.dataSync(), t.shape)); }
await tf.setBackend('cpu');
const x = tf.randomUniform([2, 9, 8, 3], -1, 1, 'float32', 1);
const mp = () => tf.grads((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'same'), tf.reshape(tf.range(1, 1 + 2*5*4*3), [2,5,4,3]))))([x]);
const c = await on('cpu', mp); const w = await on('wasm', mp);
await tf.setBackend('cpu'); console.log('stock maxPool same wasm vs cpu', rel(w[0]!, c[0]!));
const xx = tf.randomUniform([1, 7, 9, 2], -1, 1, 'float32', 2); const ff = tf.randomUniform([2, 2, 2, 3], -1, 1, 'float32', 3);
const y = tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, 3, 'same'); const dy = tf.randomUniform(y.shape, -1, 1, 'float32', 4);
const [gx, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 3, 'same'), dy)))([xx, ff]);
const attrs = { strides: 3, pad: 'same' as const };
console.log('cpu composed dx', rel(conv2dInputGrad(dy as tf.Tensor4D, xx as tf.Tensor4D, ff as tf.Tensor4D, attrs), gx!), 'dW', rel(conv2dFilterGrad(dy as tf.Tensor4D, xx as tf.Tensor4D, ff as tf.Tensor4D, attrs), gf!));
const wres = await on('wasm', () => [conv2dInputGrad(dy as tf.Tensor4D, xx as tf.Tensor4D, ff as tf.Tensor4D, attrs), conv2dFilterGrad(dy as tf.Tensor4D, xx as tf.Tensor4D, ff as tf.Tensor4D, attrs), tf.conv2dTranspose(dy as tf.Tensor4D, ff as tf.Tensor4D, xx.shape as [number,number,number,number], 3, 'same')]);
await tf.setBackend('cpu');
console.log('wasm composed dx', rel(wres[0]!, gx!), 'dW', rel(wres[1]!, gf!), 'wasm conv2dTranspose', rel(wres[2]!, gx!));
const fw = await on('wasm', () => [tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, 3, 'same')]);
await tf.setBackend('cpu');
console.log('forward conv same stride 3 wasm vs cpu', rel(fw[0]!, y));
for (const [h, w, k, s] of [[7, 9, 2, 3], [8, 8, 2, 2], [7, 7, 3, 2], [9, 9, 2, 2], [6, 7, 2, 3]]) {
  const a = tf.randomUniform([1, h!, w!, 2], -1, 1, 'float32', 5); const b = tf.randomUniform([k!, k!, 2, 3], -1, 1, 'float32', 6);
  const r = await on('wasm', () => [tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s!, 'same')]);
  await tf.setBackend('cpu');
  console.log(h, w, k, s, rel(r[0]!, tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s!, 'same')).toExponential(1));
}
