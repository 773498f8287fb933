// The moving average of G's weights against the formula written out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../src/backend/index.js';
import { WeightAverage } from '../../src/train/ema.js';

await initBackend();

function model(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.dense({ inputShape: [2], units: 3, useBias: false }));
  m.add(tfl.layers.batchNormalization());
  return m;
}

const values = (m: tfl.LayersModel, i: number) => Array.from(m.weights[i].read().dataSync());
const fill = (m: tfl.LayersModel, i: number, v: number) =>
  m.weights[i].write(tf.fill(m.weights[i].shape as number[], v));

test('the average follows β at the full rate and reaches further back as the rate decays', async () => {
  const g = model();
  fill(g, 0, 1);
  const avg = await WeightAverage.of(g, 0.9);
  fill(g, 0, 2);
  avg.update(); // β = 0.9: 0.9·1 + 0.1·2
  values(avg.model, 0).forEach((v) => assert.ok(Math.abs(v - 1.1) < 1e-6, `${v}`));
  fill(g, 0, 3);
  avg.update(0.25); // β = 1 − 0.1·0.25 = 0.975: 0.975·1.1 + 0.025·3
  values(avg.model, 0).forEach((v) => assert.ok(Math.abs(v - (0.975 * 1.1 + 0.025 * 3)) < 1e-6, `${v}`));
  const before = values(avg.model, 0);
  fill(g, 0, 100);
  avg.update(0); // a rate of zero: G has stopped moving, the average holds
  assert.deepEqual(values(avg.model, 0), before);
});

test('batch-norm statistics are copied, not averaged', async () => {
  const g = model();
  const avg = await WeightAverage.of(g, 0.9);
  const movingMean = g.weights.findIndex((w) => w.name.includes('moving_mean'));
  assert.ok(movingMean >= 0);
  fill(g, movingMean, 5);
  avg.update(0.5);
  assert.deepEqual(values(avg.model, movingMean), [5, 5, 5]);
});

test("the average's batch-norm statistics are recomputed from its own activations: the mean over batches of each batch's mean and variance", async () => {
  const g = model();
  fill(g, 0, 1); // kernel [2, 3] of ones: BN's input is x₀ + x₁ in every unit
  const avg = await WeightAverage.of(g, 0.5);
  const kernel = tf.tensor2d([1, 2, 3, -1, 0, 0.5], [2, 3]);
  g.weights[0].write(kernel);
  avg.update(); // the average's kernel: 0.5·1 + 0.5·kernel
  const averaged = [
    [1, 1.5, 2],
    [0, 0.5, 0.75],
  ];
  // Batches the refresh will see, written here so the reference can use them too.
  let calls = 0;
  const inputs: number[][][] = [];
  avg.refreshStatistics((n) => {
    const rows = Array.from({ length: n }, (_, i) => [Math.sin(i + 7 * calls), Math.cos(3 * i + calls) * (calls + 1)]);
    calls++;
    inputs.push(rows);
    return tf.tensor2d(rows);
  });
  assert.ok(calls >= 2, `${calls} batches`);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (let unit = 0; unit < 3; unit++) {
    const perBatch = inputs.map((rows) => rows.map(([a, b]) => a * averaged[0][unit] + b * averaged[1][unit]));
    const means = perBatch.map(mean);
    const variances = perBatch.map((h, k) => mean(h.map((x) => (x - means[k]) ** 2)));
    const movingMean = values(
      avg.model,
      avg.model.weights.findIndex((w) => w.name.includes('moving_mean')),
    )[unit];
    const movingVar = values(
      avg.model,
      avg.model.weights.findIndex((w) => w.name.includes('moving_variance')),
    )[unit];
    assert.ok(Math.abs(movingMean - mean(means)) < 1e-4, `unit ${unit}: mean ${movingMean} vs ${mean(means)}`);
    assert.ok(Math.abs(movingVar - mean(variances)) < 1e-3 * (1 + mean(variances)), `unit ${unit}: var ${movingVar}`);
  }
  // Nothing moved since: a second refresh does no work.
  avg.refreshStatistics(() => {
    throw new Error('refreshed twice');
  });
  // The momentum the layer trains with is back.
  const norm = avg.model.layers.find((l) => l.getClassName() === 'BatchNormalization') as unknown as {
    momentum: number;
  };
  assert.equal(norm.momentum, 0.99);
});

test('pictures take quick statistics (8 batches), measurements exact ones (64); exact ones serve both', async () => {
  const g = model();
  fill(g, 0, 1);
  const avg = await WeightAverage.of(g, 0.5);
  let batches = 0;
  const input = (n: number) => (batches++, tf.randomNormal([n, 2], 0, 1, 'float32', batches));
  const refresh = (precision: 'quick' | 'exact') => {
    batches = 0;
    avg.refreshStatistics(input, precision);
    return batches;
  };
  avg.update();
  assert.equal(refresh('quick'), 8);
  assert.equal(refresh('quick'), 0, 'nothing moved');
  assert.equal(refresh('exact'), 64, 'quick statistics are not enough to measure with');
  assert.equal(refresh('quick'), 0, 'exact statistics serve pictures too');
  assert.equal(refresh('exact'), 0);
  avg.update();
  assert.equal(refresh('exact'), 64);
  avg.invalidate();
  assert.equal(refresh('quick'), 8);
});

test("early on an image run's average warms up: β is at most (1 + t)/(10 + t) after t updates", async () => {
  const g = model();
  fill(g, 0, 0);
  const avg = await WeightAverage.of(g, 0.999, { warmup: true });
  fill(g, 0, 1);
  avg.update(1, 1); // β = min(0.999, 2/11)
  values(avg.model, 0).forEach((v) => assert.ok(Math.abs(v - 9 / 11) < 1e-6, `${v}`));
  fill(g, 0, 2);
  avg.update(1, 10_000); // β = min(0.999, 10001/10010) = 0.999
  values(avg.model, 0).forEach((v) => assert.ok(Math.abs(v - (0.999 * (9 / 11) + 0.001 * 2)) < 1e-6, `${v}`));
  // Without warm-up (the 2D runs' average) the first update already uses β.
  const plain = await WeightAverage.of(g, 0.999);
  fill(g, 0, 3);
  plain.update(1, 1);
  values(plain.model, 0).forEach((v) => assert.ok(Math.abs(v - (0.999 * 2 + 0.001 * 3)) < 1e-5, `${v}`));
});
