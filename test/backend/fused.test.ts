// The fused optimizer updates against their documented formulas, and their
// "not available" answer on other backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { fusedAdam, fusedSgdMomentum } from '../../src/backend/fused.js';
import { closeEnough, input, nativeSkipReason, useBackend } from './helpers.js';

const skip = nativeSkipReason() ?? false;

test('fusedAdam and fusedSgdMomentum return false on cpu', async () => {
  await useBackend('cpu');
  const p = tf.variable(tf.ones([3]));
  const z = tf.variable(tf.zeros([3]));
  assert.equal(
    fusedAdam([p], [tf.ones([3])], [z], [z], { lr: 1, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1 }),
    false,
  );
  assert.equal(fusedSgdMomentum([p], [tf.ones([3])], [z], { lr: 1, momentum: 0.9 }), false);
  tf.dispose([p, z]);
});

test('fusedAdam follows the Adam formula in place over several steps', { skip }, async () => {
  await useBackend('native');
  const n = 5000;
  const p0 = input([n], 1).values as Float32Array;
  const p = tf.variable(tf.tensor(p0)),
    m = tf.variable(tf.zeros([n])),
    v = tf.variable(tf.zeros([n]));
  const ref = { p: Float64Array.from(p0), m: new Float64Array(n), v: new Float64Array(n) };
  const [lr, b1, b2, eps] = [2e-3, 0.5, 0.999, 1e-8];
  for (let t = 1; t <= 3; t++) {
    const gv = input([n], 10 + t).values as Float32Array;
    const g = tf.tensor(gv);
    assert.equal(fusedAdam([p], [g], [m], [v], { lr, beta1: b1, beta2: b2, eps, step: t }), true);
    g.dispose();
    for (let i = 0; i < n; i++) {
      ref.m[i] = b1 * ref.m[i] + (1 - b1) * gv[i];
      ref.v[i] = b2 * ref.v[i] + (1 - b2) * gv[i] * gv[i];
      ref.p[i] -= (lr * (ref.m[i] / (1 - b1 ** t))) / (Math.sqrt(ref.v[i] / (1 - b2 ** t)) + eps);
    }
  }
  assert.equal(closeEnough(Array.from(p.dataSync()), Array.from(ref.p), 1e-5), undefined);
  assert.equal(closeEnough(Array.from(m.dataSync()), Array.from(ref.m), 1e-5), undefined);
  tf.dispose([p, m, v]);
});

test('fusedSgdMomentum follows buf = μ·buf + g, p -= lr·buf; shared storage is not modified', { skip }, async () => {
  await useBackend('native');
  const n = 3000;
  const init = tf.tensor(input([n], 2).values);
  const p = tf.variable(init); // shares init's storage until the first update
  const buf = tf.variable(tf.zeros([n]));
  const ref = { p: Float64Array.from(init.dataSync()), b: new Float64Array(n) };
  for (let t = 1; t <= 3; t++) {
    const gv = input([n], 20 + t).values as Float32Array;
    const g = tf.tensor(gv);
    assert.equal(fusedSgdMomentum([p], [g], [buf], { lr: 0.1, momentum: 0.9 }), true);
    g.dispose();
    for (let i = 0; i < n; i++) {
      ref.b[i] = 0.9 * ref.b[i] + gv[i];
      ref.p[i] -= 0.1 * ref.b[i];
    }
  }
  assert.equal(closeEnough(Array.from(p.dataSync()), Array.from(ref.p), 1e-5), undefined);
  assert.deepEqual(
    Array.from(init.dataSync()),
    Array.from(input([n], 2).values),
    'the initial tensor must be untouched',
  );
  tf.dispose([init, p, buf]);
});
