// The update rules against an independent float64 computation of PyTorch's formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index.js';
import { Optimizer, type OptimizerSpec } from '../../src/train/optimizers.js';

await initBackend();

const spec = (kind: 'adam' | 'sgd'): OptimizerSpec => ({
  kind,
  lr: 0.01,
  beta1: 0.5,
  beta2: 0.999,
  eps: 1e-8,
  momentum: 0.9,
});
const start = [0.5, -1.25, 2.0];
const gradsAt = (step: number) => [0.3 * step, -0.7, 1.1 / step];

function reference(kind: 'adam' | 'sgd', steps: number): number[] {
  const p = start.slice();
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  const { lr, beta1, beta2, eps, momentum } = spec(kind);
  for (let t = 1; t <= steps; t++) {
    const g = gradsAt(t);
    for (let i = 0; i < 3; i++) {
      if (kind === 'adam') {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        p[i] -= (lr / (1 - beta1 ** t)) * (m[i] / (Math.sqrt(v[i]) / Math.sqrt(1 - beta2 ** t) + eps));
      } else {
        m[i] = momentum * m[i] + g[i];
        p[i] -= lr * m[i];
      }
    }
  }
  return p;
}

for (const kind of ['adam', 'sgd'] as const) {
  test(`${kind}: five updates match the reference formula`, () => {
    const param = tf.variable(tf.tensor1d(start));
    const opt = new Optimizer(spec(kind), [param]);
    for (let t = 1; t <= 5; t++) tf.tidy(() => opt.apply([tf.tensor1d(gradsAt(t))]));
    const got = Array.from(param.dataSync());
    reference(kind, 5).forEach((r, i) => assert.ok(Math.abs(got[i] - r) < 1e-5, `${kind}[${i}]: ${got[i]} vs ${r}`));
  });

  test(`${kind}: a restored state continues exactly like the original`, async () => {
    const a = tf.variable(tf.tensor1d(start));
    const optA = new Optimizer(spec(kind), [a]);
    for (let t = 1; t <= 3; t++) tf.tidy(() => optA.apply([tf.tensor1d(gradsAt(t))]));
    const b = tf.variable(a.clone());
    const optB = new Optimizer(spec(kind), [b]);
    optB.setState(await optA.getState());
    for (let t = 4; t <= 6; t++) {
      tf.tidy(() => optA.apply([tf.tensor1d(gradsAt(t))]));
      tf.tidy(() => optB.apply([tf.tensor1d(gradsAt(t))]));
    }
    assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()));
  });
}

test('a state of the wrong kind or size is refused', async () => {
  const p = tf.variable(tf.tensor1d(start));
  const adam = new Optimizer(spec('adam'), [p]);
  const sgd = new Optimizer(spec('sgd'), [p]);
  const sgdState = await sgd.getState();
  assert.throws(() => adam.setState(sgdState), /Expected adam optimizer state with 2 slots but received sgd with 1/);
  const bad = await adam.getState();
  bad.slots[0] = new Float32Array(2);
  assert.throws(() => adam.setState(bad), /Expected 3 values for optimizer slot 0 but received 2/);
});
