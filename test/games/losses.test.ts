// Each game's losses against a hand computation on fixed logits, and the seed paper's
// point about the saturating game's vanishing gradient.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index.js';
import { game, GAMES } from '../../src/games/losses.js';

await initBackend();

const real = [2.0, -0.5, 0.3];
const fake = [-1.5, 0.7, 4.0];
const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// Plain formulas from the papers, in terms of D = σ(logit) where the paper uses probabilities.
const expected: Record<string, { d: number; g: number }> = {
  nonsaturating: {
    d: -mean(real.map((t) => Math.log(sigmoid(t)))) - mean(fake.map((t) => Math.log(1 - sigmoid(t)))),
    g: -mean(fake.map((t) => Math.log(sigmoid(t)))),
  },
  minimax: {
    d: -mean(real.map((t) => Math.log(sigmoid(t)))) - mean(fake.map((t) => Math.log(1 - sigmoid(t)))),
    g: mean(fake.map((t) => Math.log(1 - sigmoid(t)))),
  },
  lsgan: {
    d: 0.5 * mean(real.map((t) => (t - 1) ** 2)) + 0.5 * mean(fake.map((t) => t ** 2)),
    g: 0.5 * mean(fake.map((t) => (t - 1) ** 2)),
  },
  wgan: { d: mean(fake) - mean(real), g: -mean(fake) },
  'wgan-gp': { d: mean(fake) - mean(real), g: -mean(fake) },
  hinge: {
    d: mean(real.map((t) => Math.max(0, 1 - t))) + mean(fake.map((t) => Math.max(0, 1 + t))),
    g: -mean(fake),
  },
};

for (const name of GAMES) {
  test(`${name}: losses match the hand computation`, () => {
    const g = game(name);
    const d = g.discriminator(tf.tensor1d(real), tf.tensor1d(fake)).dataSync()[0];
    const gl = g.generator(tf.tensor1d(fake)).dataSync()[0];
    assert.ok(Math.abs(d - expected[name].d) < 1e-5, `D loss ${d} vs ${expected[name].d}`);
    assert.ok(Math.abs(gl - expected[name].g) < 1e-5, `G loss ${gl} vs ${expected[name].g}`);
  });
}

test('an unknown game name is refused with the list of games', () => {
  assert.throws(() => game('wasserstein'), /Expected loss to be one of nonsaturating, minimax.*received "wasserstein"/);
});

test("when D rejects G's samples confidently, the saturating game's gradient is far smaller", () => {
  // D(G(z)) = σ(−8) ≈ 3e-4: G's samples are confidently rejected, as early in training.
  const logits = tf.tensor1d([-8, -9, -7.5, -8.5]);
  const gradNorm = (name: string) => {
    const g = tf.grad((t: tf.Tensor) => game(name).generator(t))(logits);
    return tf.norm(g).dataSync()[0];
  };
  const saturating = gradNorm('minimax');
  const nonSaturating = gradNorm('nonsaturating');
  // d/dt log(1 − σ(t)) = −σ(t) ≈ 3e-4, while d/dt −log σ(t) = −(1 − σ(t)) ≈ −1.
  assert.ok(saturating < 1e-3, `saturating gradient ${saturating}`);
  assert.ok(nonSaturating > 0.4, `non-saturating gradient ${nonSaturating}`);
  assert.ok(nonSaturating / saturating > 1000, `ratio ${nonSaturating / saturating}`);
});
