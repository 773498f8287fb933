// Every game learns with its own recommended settings (src/games/recipes.ts): after a
// few hundred steps on a two-mode mixture, G puts its samples on both modes, which G
// before training does not. The reference is a count by hand of G's samples near each
// mode, not the library's metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index.js';
import { GAMES } from '../../src/games/losses.js';
import { mlpDiscriminator, mlpGenerator } from '../../src/networks/mlp.js';
import { Gan, generate } from '../../src/train/gan.js';
import { resolveOptions } from '../../src/train/options.js';
import { Rng } from '../../src/rng.js';
import type { BatchSource } from '../../src/data/batches.js';

await initBackend();

const MODES = [
  [-1, 0],
  [1, 0],
];
const STD = 0.05;
const STEPS = 600;
const SAMPLES = 1000;

/** Two Gaussians at (±1, 0), each drawn with probability ½. */
const twoModes: BatchSource = {
  batch(rng, n) {
    const x = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const [cx, cy] = MODES[rng.nextUint32() % 2];
      x[2 * i] = cx + STD * rng.normal();
      x[2 * i + 1] = cy + STD * rng.normal();
    }
    return { x: tf.tensor2d(x, [n, 2]) };
  },
};

/** The fraction of samples within 5 std of each mode. */
function nearEachMode(samples: Float32Array): number[] {
  const near = MODES.map(() => 0);
  for (let i = 0; i < samples.length / 2; i++) {
    MODES.forEach(([cx, cy], m) => {
      if (Math.hypot(samples[2 * i] - cx, samples[2 * i + 1] - cy) < 5 * STD) near[m]++;
    });
  }
  return near.map((c) => (2 * c) / samples.length);
}

for (const loss of GAMES) {
  test(`${loss} with its recommended settings puts G's samples on both modes in ${STEPS} steps`, async () => {
    // The game's own settings (k, optimizer, rates, penalties) on smaller networks; grid25's
    // modes are 2 apart, as these are, so R1's default weight suits them.
    const options = { ...resolveOptions({ data: 'grid25', loss }), batchSize: 64 };
    const rng = new Rng(7);
    const generator = mlpGenerator(2, 2, { hidden: [64, 64] }, rng);
    const discriminator = mlpDiscriminator(2, { hidden: [64, 64] }, rng);
    const gan = new Gan(generator, discriminator, options, rng);
    const sample = () => generate(generator, (n) => gan.noise(n, new Rng(99)), SAMPLES);
    const before = nearEachMode(await sample());
    for (let step = 0; step < STEPS; step++) await gan.step(twoModes);
    const after = nearEachMode(await sample());
    gan.dispose();
    const total = (f: number[]) => f[0] + f[1];
    assert.ok(total(before) < 0.3, `${loss}: untrained G has ${total(before)} of its samples near the modes`);
    assert.ok(
      after.every((f) => f >= 0.2) && total(after) >= 0.6,
      `${loss}: after ${STEPS} steps ${after.map((f) => f.toFixed(2)).join(' and ')} of G's samples lie near ` +
        `the two modes (untrained: ${before.map((f) => f.toFixed(2)).join(' and ')})`,
    );
  });
}
