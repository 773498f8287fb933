// Jacobian-based truncation: the norms against the analytic Jacobian, the rows kept
// against their definition, and that the dropped points are a bridge's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../src/backend/index.js';
import { Rng } from '../../src/rng.js';
import { drawLatents, runGenerator } from '../../src/generate/latent.js';
import { sampleRun } from '../../src/sampling/sample.js';
import {
  drawPool,
  drawTruncated,
  firstRows,
  jacobianNorms,
  keptRows,
  truncateDraw,
  truncationPool,
} from '../../src/generate/truncation.js';
import { makeRun } from '../sampling/fixtures.js';
import { cutoffMargin, truncatedRows } from './reference-mlp.js';

/** G(z) = tanh(zW + b): its Jacobian at z is diag(1 − G(z)²)·Wᵀ, known in closed form. */
function tanhGenerator(
  latentDim: number,
  outDim: number,
  seed: number,
): { model: tfl.LayersModel; w: Float32Array; b: Float32Array } {
  const rng = new Rng(seed);
  const w = rng.fillNormal(new Float32Array(latentDim * outDim), 0, 0.7);
  const b = rng.fillNormal(new Float32Array(outDim), 0, 0.3);
  const z = tfl.input({ shape: [latentDim] });
  const dense = tfl.layers.dense({ units: outDim, activation: 'tanh' });
  const model = tfl.model({ inputs: z, outputs: dense.apply(z) as tfl.SymbolicTensor });
  dense.setWeights([tf.tensor2d(w, [latentDim, outDim]), tf.tensor1d(b)]);
  return { model, w, b };
}

test('jacobianNorms is ‖J‖²_F of the analytic Jacobian, with and without a code input', async () => {
  await initBackend();
  const [d, m, n] = [3, 4, 50];
  const { model, w, b } = tanhGenerator(d, m, 3);
  const z = drawLatents(new Rng(4), 'normal', n, d);
  const norms = await jacobianNorms(model, z, d);
  for (let i = 0; i < n; i++) {
    let expected = 0;
    for (let j = 0; j < m; j++) {
      let pre = b[j];
      for (let k = 0; k < d; k++) pre += z[i * d + k] * w[k * m + j];
      const slope = 1 - Math.tanh(pre) ** 2;
      for (let k = 0; k < d; k++) expected += (slope * w[k * m + j]) ** 2;
    }
    assert.ok(Math.abs(norms[i] - expected) <= 2e-3 * expected + 1e-4, `row ${i}: ${norms[i]} against ${expected}`);
  }
  model.dispose();

  // A conditional G: the code is held fixed, so a linear G(z, c) = zA + cC has ‖A‖²_F everywhere.
  const zIn = tfl.input({ shape: [2] });
  const cIn = tfl.input({ shape: [3] });
  const joined = tfl.layers.concatenate().apply([zIn, cIn]) as tfl.SymbolicTensor;
  const dense = tfl.layers.dense({ units: 2, useBias: false });
  const cond = tfl.model({ inputs: [zIn, cIn], outputs: dense.apply(joined) as tfl.SymbolicTensor });
  const kernel = [1, 2, -3, 0.5, 10, 10, 10, 10, 10, 10]; // rows: z1, z2, c1, c2, c3
  dense.setWeights([tf.tensor2d(kernel, [5, 2])]);
  const codes = { values: new Rng(1).fillNormal(new Float32Array(6 * 3)), dim: 3 };
  for (const v of await jacobianNorms(cond, drawLatents(new Rng(2), 'normal', 6, 2), 2, codes))
    assert.ok(Math.abs(v - (1 + 4 + 9 + 0.25)) < 1e-2, `${v}`);
  cond.dispose();
});

test('keptRows keeps, in draw order, the rows at or under the pool’s (1 − r) quantile', () => {
  const norms = Float64Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000); // 0..999, shuffled
  const kept = keptRows(norms, 900, 0.1);
  assert.equal(kept.length, 900);
  assert.ok(
    kept.every((row) => norms[row] <= 899),
    'only the lowest 90% are kept',
  );
  assert.ok(
    kept.every((row, i) => i === 0 || row > kept[i - 1]),
    'in draw order',
  );
  // n smaller than the pool allows: the first n under the cut-off.
  assert.deepEqual(Array.from(keptRows(norms, 3, 0.1)), Array.from(kept.subarray(0, 3)));
  // A non-finite G output makes a NaN norm, dropped before any finite one.
  const withNaN = Float64Array.from(norms);
  withNaN[5] = NaN;
  assert.ok(!Array.from(keptRows(withNaN, 990, 0.01)).includes(5));

  assert.equal(truncationPool(2500, 0.01), 2526);
  assert.equal(truncationPool(10, 0.01), 1000, 'a pool of at least 1,000 for a steady cut-off');
  assert.equal(truncationPool(10, 0), 10);
  assert.throws(
    () => keptRows(norms.subarray(0, 500), 900, 0.1),
    /Expected a pool of at least 1000 latent rows for 900 samples at truncation 0\.1 but received 500/,
  );
  assert.throws(() => truncationPool(10, 1), /Expected a Jacobian truncation ratio in \[0, 1\) but received 1/);
  assert.throws(() => truncationPool(10, -0.1), /received -0\.1/);
});

test('truncation drops a bridge: the latent points G stretches across the gap between two modes', async () => {
  await initBackend();
  // z ∈ R → (2·tanh(20 z), 0): modes at ±2 and a steep bridge around z = 0, where
  // ‖J‖ = 40(1 − tanh²(20 z)) is largest; |x| < 1.9 for |z| < 0.092, 7.3% of N(0, 1).
  // 10% truncation must drop the 10% of z closest to 0 (|z| < 0.126): the whole bridge.
  const z = tfl.input({ shape: [1] });
  const dense = tfl.layers.dense({ units: 2, activation: 'tanh' });
  const scale = tfl.layers.dense({ units: 2, useBias: false });
  const model = tfl.model({ inputs: z, outputs: scale.apply(dense.apply(z)) as tfl.SymbolicTensor });
  dense.setWeights([tf.tensor2d([[20, 0]]), tf.tensor1d([0, 0])]);
  scale.setWeights([
    tf.tensor2d([
      [2, 0],
      [0, 0],
    ]),
  ]);

  const n = 1800;
  const pool = drawPool(new Rng(6), 'normal', 1, truncationPool(n, 0.1));
  const kept = await truncateDraw(model, pool, 1, n, 0.1);
  const dropped = Array.from(pool.z).filter((v) => !kept.z.includes(v));
  assert.equal(kept.z.length, n);
  assert.equal(dropped.length, pool.z.length - n);
  const nearest = Math.min(...Array.from(kept.z, Math.abs));
  assert.ok(
    dropped.every((v) => Math.abs(v) <= nearest),
    'the dropped z are the ones closest to the bridge',
  );
  const x = await runGenerator(model, kept.z, 1);
  const onBridge = (xs: Float32Array) =>
    Array.from({ length: xs.length / 2 }, (_, i) => xs[2 * i]).filter((v) => Math.abs(v) < 1.9).length;
  const raw = await runGenerator(model, firstRows(pool, 1, n).z, 1);
  assert.ok(onBridge(raw) > 0.04 * n, `G alone puts ${onBridge(raw)} of ${n} samples on the bridge`);
  assert.equal(onBridge(x), 0, 'truncated: none on the bridge');

  // With ratio 0 the draw is drawLatents' own, row for row.
  assert.deepEqual(
    (await drawTruncated(model, new Rng(6), 'normal', 1, 5, 0)).z,
    drawLatents(new Rng(6), 'normal', 5, 1),
  );
  model.dispose();
});

test('gankit sample truncates as the run says, and as asked: the rows kept by hand from the exact Jacobian', async () => {
  await initBackend();
  // A smooth G, tanh(zW + b): its exact ‖J‖² never ties, so which rows the cut-off keeps is decided by G alone.
  const { model, w, b } = tanhGenerator(2, 2, 8);
  const { dir, generator } = await makeRun('mlp2d', { seed: 2, jacobianTruncation: 0.2, generator: model });
  // 800 samples at r = 0.2 read a pool of exactly 1,000 and keep every row under the cut-off.
  const [n, pool] = [800, 1000];
  const before = tf.memory().numTensors;
  const byRun = await sampleRun({ run: dir, n });
  const raw = await sampleRun({ run: dir, n: 40, jacobianTruncation: 0 });
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  // By hand in float64: the run's seed draws the pool; G and ‖J‖²_F = Σ_j (1 − G_j²)² Σ_k W_kj² at every row.
  const z = new Rng(2).fillNormal(new Float32Array(pool * 2));
  const at = (i: number) => [0, 1].map((j) => Math.tanh(b[j] + z[2 * i] * w[j] + z[2 * i + 1] * w[2 + j]));
  const norms = Array.from({ length: pool }, (_, i) =>
    at(i).reduce((s, g, j) => s + (1 - g * g) ** 2 * (w[j] ** 2 + w[2 + j] ** 2), 0),
  );
  assert.ok(cutoffMargin(norms, 0.2) > 1e-3, 'a norm next to the cut-off: rounding could decide');
  const kept = truncatedRows(norms, n, 0.2);
  assert.equal(kept.length, n);
  const expected = kept.flatMap(at);
  assert.ok(
    byRun.data.every((v, i) => Math.abs(v - expected[i]) < 1e-5),
    'truncated samples are G at the rows kept by hand',
  );
  const untruncated = Array.from({ length: 40 }, (_, i) => at(i)).flat();
  assert.ok(
    raw.data.every((v, i) => Math.abs(v - untruncated[i]) < 1e-5),
    'ratio 0: G at the first rows',
  );
  await assert.rejects(
    sampleRun({ run: dir, n: 4, jacobianTruncation: 1.5 }),
    /Expected a Jacobian truncation ratio in \[0, 1\) but received 1\.5/,
  );
  generator.dispose();
});
