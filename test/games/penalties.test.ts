// Gradient penalties against finite differences: the penalty's value (which contains
// ∇ₓD) and its gradient with respect to D's weights (double backpropagation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index.js';
import { gradientPenalty, r1Penalty } from '../../src/games/penalties.js';
import { mlpDiscriminator } from '../../src/networks/mlp.js';
import { Rng } from '../../src/rng.js';

await initBackend();

const rng = new Rng(7);
const D = mlpDiscriminator(2, { hidden: [16, 16] }, rng);
const critic = (x: tf.Tensor) => D.apply(x) as tf.Tensor;
const real = [0.3, -0.2, 1.1, 0.4, -0.7, 0.9, 0.05, -1.2];
const fake = [0.8, 0.1, -0.4, -0.6, 0.2, 0.5, -1.0, 0.3];
const alpha = [0.25, 0.6, 0.9, 0.1];
const n = 4;

/** D at one point, in float64 arithmetic on the weights read back from tfjs. */
function criticAt(x: number, y: number): number {
  return tf.tidy(() => critic(tf.tensor2d([x, y], [1, 2])).dataSync()[0]);
}

/** ‖∇ₓD‖² at a point by central differences. */
function fdGradNorm2(x: number, y: number, h = 1e-2): number {
  const gx = (criticAt(x + h, y) - criticAt(x - h, y)) / (2 * h);
  const gy = (criticAt(x, y + h) - criticAt(x, y - h)) / (2 * h);
  return gx * gx + gy * gy;
}

test('WGAN-GP matches λ·mean((‖∇D(x̂)‖ − 1)²) with ∇D by finite differences', () => {
  let expected = 0;
  for (let i = 0; i < n; i++) {
    const a = alpha[i];
    const px = a * real[2 * i] + (1 - a) * fake[2 * i];
    const py = a * real[2 * i + 1] + (1 - a) * fake[2 * i + 1];
    expected += (Math.sqrt(fdGradNorm2(px, py)) - 1) ** 2 / n;
  }
  expected *= 10;
  const got = gradientPenalty(
    critic,
    tf.tensor2d(real, [n, 2]),
    tf.tensor2d(fake, [n, 2]),
    tf.tensor1d(alpha),
    10,
  ).dataSync()[0];
  assert.ok(
    Math.abs(got - expected) < 1e-3 * Math.max(1, expected),
    `penalty ${got} vs finite differences ${expected}`,
  );
});

test('R1 matches γ/2·mean(‖∇D(x)‖²) with ∇D by finite differences', () => {
  let expected = 0;
  for (let i = 0; i < n; i++) expected += fdGradNorm2(real[2 * i], real[2 * i + 1]) / n;
  expected *= 0.5 * 3;
  const got = r1Penalty(critic, tf.tensor2d(real, [n, 2]), 3).dataSync()[0];
  assert.ok(
    Math.abs(got - expected) < 1e-3 * Math.max(1, expected),
    `penalty ${got} vs finite differences ${expected}`,
  );
});

test("the penalties' gradients with respect to D's weights match finite differences", () => {
  const kernel = D.trainableWeights[0].read() as tf.Variable;
  const penalties = {
    gp: () => gradientPenalty(critic, tf.tensor2d(real, [n, 2]), tf.tensor2d(fake, [n, 2]), tf.tensor1d(alpha), 10),
    r1: () => r1Penalty(critic, tf.tensor2d(real, [n, 2]), 3),
  };
  for (const [name, penalty] of Object.entries(penalties)) {
    const { grads } = tf.variableGrads(penalty, [kernel]);
    const analytic = grads[kernel.name].dataSync();
    const original = kernel.dataSync().slice();
    const h = 1e-2;
    for (const index of [0, 5, 17, 30]) {
      const at = (delta: number) => {
        const w = original.slice();
        w[index] += delta;
        kernel.assign(tf.tensor(w, kernel.shape));
        return penalty().dataSync()[0];
      };
      const numeric = (at(h) - at(-h)) / (2 * h);
      kernel.assign(tf.tensor(original, kernel.shape));
      const scale = Math.max(1e-2, Math.abs(numeric));
      assert.ok(
        Math.abs(analytic[index] - numeric) / scale < 0.05,
        `${name} weight ${index}: analytic ${analytic[index]} vs numeric ${numeric}`,
      );
    }
  }
});
