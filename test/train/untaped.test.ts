// untaped(): D's update runs inside G's gradient tape with the tape paused (src/train/gan.ts).
// Checked against the gradients written out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index.js';
import { untaped } from '../../src/train/untaped.js';

await initBackend();

const close = (actual: tf.Tensor, expected: number[]) => {
  const a = Array.from(actual.dataSync());
  a.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5, `element ${i}: ${v} vs ${expected[i]}`));
};

test('a gradient taken and applied with the tape paused inside another gradient leaves both right', () => {
  const a0 = [1, 2, 3],
    b0 = [0.5, -1, 2];
  const a = tf.variable(tf.tensor1d(a0));
  const b = tf.variable(tf.tensor1d(b0));
  const before = tf.memory().numTensors;
  let inner: number[] = [];
  // Like a GAN step: y = a² plays G's output; b plays D, updated on y before it judges y again.
  const outer = tf.variableGrads(() => {
    const y = tf.square(a);
    untaped(() => {
      const g = tf.variableGrads(() => tf.sum(tf.mul(tf.square(b), y)), [b]); // ∂/∂b Σ b²y = 2by
      inner = Array.from(g.grads[b.name].dataSync());
      b.assign(tf.sub(b, tf.mul(0.1, g.grads[b.name])));
      tf.dispose([g.value, ...Object.values(g.grads)]);
    });
    return tf.sum(tf.mul(y, b)); // ∂/∂a Σ a²b' = 2ab', b' = b after the update
  }, [a]);
  const y0 = a0.map((v) => v * v);
  assert.deepEqual(
    inner.map((v) => +v.toFixed(5)),
    b0.map((v, i) => +(2 * v * y0[i]).toFixed(5)),
  );
  const b1 = b0.map((v, i) => v - 0.1 * 2 * v * y0[i]);
  close(b, b1);
  close(
    outer.grads[a.name],
    a0.map((v, i) => 2 * v * b1[i]),
  );
  tf.dispose([outer.value, ...Object.values(outer.grads)]);
  assert.equal(tf.memory().numTensors, before, 'no tensor outlives the step');
  tf.dispose([a, b]);
});

test('untaped restores the tape when its function throws', () => {
  const x = tf.variable(tf.scalar(3));
  assert.throws(
    () =>
      tf.variableGrads(() => {
        const y = tf.square(x);
        untaped(() => {
          throw new Error('boom');
        });
        return y as tf.Scalar;
      }, [x]),
    /boom/,
  );
  // A gradient afterwards still works: the engine's tape state was put back.
  const g = tf.variableGrads(() => tf.square(x) as tf.Scalar, [x]);
  close(g.grads[x.name], [6]);
  tf.dispose([g.value, ...Object.values(g.grads), x]);
});
