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
