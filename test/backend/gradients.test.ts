// Gradients through the native kernels, checked by central finite differences
// on small shapes (float32, so the tolerance is loose; the conformance suite
// holds the kernels themselves to 1e-4 against cpu).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { closeEnough, input, nativeSkipReason, runOn, useBackend } from './helpers.js';
import { kernelCounts } from '../../src/backend/kernels/util.js';
import '../../src/games/zero-gradients.js'; // tfjs registers no gradient for the comparisons in leakyRelu's gradient

const skip = nativeSkipReason() ?? false;

/** Checks d(sum(w ⊙ f(x)))/dx against finite differences at a few coordinates. */
function checkGrad(label: string, f: (x: tf.Tensor) => tf.Tensor, shape: number[], seed: number): void {
  tf.tidy(() => {
    const x = tf.tensor(input(shape, seed).values, shape);
    const yShape = f(x).shape;
    const w = tf.tensor(input(yShape, seed + 1).values, yShape);
    const loss = (xx: tf.Tensor) => tf.sum(tf.mul(w, f(xx)));
    const g = tf.grad(loss)(x).dataSync();
    const xv = x.dataSync();
    const h = 1e-2;
    const n = xv.length;
    for (const i of [0, Math.floor(n / 3), Math.floor((2 * n) / 3), n - 1]) {
      const plus = Float32Array.from(xv),
        minus = Float32Array.from(xv);
      plus[i] += h;
      minus[i] -= h;
      const fd = (loss(tf.tensor(plus, shape)).dataSync()[0] - loss(tf.tensor(minus, shape)).dataSync()[0]) / (2 * h);
      const tol = 2e-2 * Math.max(1, Math.abs(fd));
      assert.ok(Math.abs(g[i] - fd) <= tol, `${label}: d/dx[${i}] analytic ${g[i]} vs finite difference ${fd}`);
    }
  });
}

test('finite-difference gradients on the native backend', { skip }, async () => {
  await useBackend('native');
  const filt = tf.tensor(input([3, 3, 2, 4], 11).values, [3, 3, 2, 4]) as tf.Tensor4D;
  const filtT = tf.tensor(input([4, 4, 3, 2], 12).values, [4, 4, 3, 2]) as tf.Tensor4D;
  const mat = tf.tensor(input([5, 3], 13).values, [5, 3]);
  checkGrad('conv2d wrt x, stride 2 same', (x) => tf.conv2d(x as tf.Tensor4D, filt, 2, 'same'), [2, 7, 6, 2], 1);
  checkGrad(
    'conv2d wrt filter, valid',
    (f) =>
      tf.conv2d(tf.tensor(input([2, 6, 6, 2], 3).values, [2, 6, 6, 2]) as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid'),
    [3, 3, 2, 4],
    2,
  );
  checkGrad(
    'conv2dTranspose wrt x',
    (x) => tf.conv2dTranspose(x as tf.Tensor4D, filtT, [1, 8, 8, 3], 2, 'same'),
    [1, 4, 4, 2],
    4,
  );
  checkGrad('matMul wrt a', (a) => tf.matMul(a, mat), [4, 5], 5);
  checkGrad(
    'batch norm (moments) + leaky relu',
    (x) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      // (tfjs cannot differentiate batchNorm without offset and scale, so pass both.)
      return tf.leakyRelu(tf.batchNorm(x, mean, variance, tf.fill([3], 0.1), tf.fill([3], 1.5), 1e-3), 0.2);
    },
    [3, 2, 2, 3],
    6,
  );
  checkGrad(
    'tanh, sigmoid, softplus, exp',
    (x) => tf.add(tf.add(tf.tanh(x), tf.sigmoid(x)), tf.add(tf.softplus(x), tf.exp(x))),
    [17],
    7,
  );
  checkGrad(
    'broadcast mul/div/sub + sum/mean/max',
    (x) => {
      const b = tf.tensor(input([3], 8, 0.5, 2).values, [3]);
      return tf.add(tf.sum(tf.div(tf.mul(x, b), b), 0), tf.add(tf.mean(tf.sub(x, b), 1, true), tf.max(x, 0)));
    },
    [4, 3],
    9,
  );
  tf.dispose([filt, filtT, mat]);
});

test('dense layers (GankitDense): first and second-order gradients agree with cpu', { skip }, async () => {
  // D(x) = w2·leakyRelu(x·w1 + b1) + b2, as tfjs-layers' Dense calls it (tf.fused.matMul
  // with a bias). The loss holds D's mean output and R1's ‖∇ₓD‖², so its gradient
  // differentiates the dense gradient again, as the R1 penalty does in training.
  const shapes = [[6, 3], [3, 5], [5], [5, 1], [1]];
  const inputs = shapes.map((shape, i) => input(shape, 40 + i));
  const lossGrads = (x: tf.Tensor, w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor) => {
    const D = (xx: tf.Tensor) =>
      tf.fused.matMul({ a: tf.leakyRelu(tf.fused.matMul({ a: xx, b: w1, bias: b1 }), 0.2), b: w2, bias: b2 });
    // tf.grads passes the weights themselves back in, so D's closure sees the differentiated tensors.
    const loss = () =>
      tf.add(tf.mean(D(x)), tf.sum(tf.square(tf.grad((xx: tf.Tensor) => tf.sum(D(xx)))(x)))) as tf.Scalar;
    return tf.grads(loss)([w1, b1, w2, b2]);
  };
  const expected = await runOn('cpu', inputs, lossGrads);
  const before = kernelCounts.native.get('GankitDense') ?? 0;
  const actual = await runOn('native', inputs, lossGrads);
  assert.ok((kernelCounts.native.get('GankitDense') ?? 0) > before, 'GankitDense did not run natively');
  actual.forEach((a, i) => {
    assert.deepEqual(a.shape, expected[i].shape);
    const bad = closeEnough(a.values, expected[i].values, 1e-4);
    assert.equal(bad, undefined, `gradient ${i}: ${bad}`);
  });
});
