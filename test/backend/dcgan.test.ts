// DCGAN-28 on the native backend: the preset's shapes, the same seeded
// training step on native and cpu giving the same losses, and memory that
// stays flat across steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { dcgan28Discriminator, dcgan28Generator } from '../../src/networks/dcgan.js';
import { dcgan28Workload } from '../../bench/workloads.js';
import { nativeSkipReason, useBackend } from './helpers.js';

const skip = nativeSkipReason() ?? false;

test('DCGAN-28 preset: shapes and parameter counts as docs/design.md specifies', async () => {
  await useBackend('cpu');
  const G = dcgan28Generator(100, 1),
    D = dcgan28Discriminator(2);
  assert.deepEqual(G.outputs[0].shape, [null, 28, 28, 1]);
  assert.deepEqual(D.outputs[0].shape, [null, 1]);
  const shapes = (m: typeof G) => m.layers.map((l) => l.outputShape);
  assert.deepEqual(shapes(G).slice(1), [
    [null, 6272],
    [null, 6272],
    [null, 6272],
    [null, 7, 7, 128],
    [null, 14, 14, 64],
    [null, 14, 14, 64],
    [null, 14, 14, 64],
    [null, 28, 28, 1],
    [null, 28, 28, 1],
  ]);
  assert.deepEqual(shapes(D).slice(1), [
    [null, 14, 14, 64],
    [null, 14, 14, 64],
    [null, 7, 7, 128],
    [null, 7, 7, 128],
    [null, 7, 7, 128],
    [null, 6272],
    [null, 1],
  ]);
  // dense 100·6272 + BN 2·6272 + deconv 4·4·64·128 + BN 2·64 + deconv 4·4·1·64
  assert.equal(G.countParams() - 2 * 6272 - 2 * 64, 100 * 6272 + 2 * 6272 + 16 * 64 * 128 + 2 * 64 + 16 * 64);
  // conv 4·4·1·64 + conv 4·4·64·128 + BN 2·128 + dense 6272 + 1 (+ BN moving stats 2·128)
  assert.equal(D.countParams() - 2 * 128, 16 * 64 + 16 * 64 * 128 + 2 * 128 + 6272 + 1);
  // Seeded weights are reproducible and N(0, 0.02).
  const k = G.getWeights()[0].dataSync();
  let s = 0,
    s2 = 0;
  for (const v of k) {
    s += v;
    s2 += v * v;
  }
  const std = Math.sqrt(s2 / k.length - (s / k.length) ** 2);
  assert.ok(Math.abs(std - 0.02) < 0.001, `weight std ${std}`);
  assert.deepEqual(
    Array.from(dcgan28Generator(100, 1).getWeights()[0].dataSync().slice(0, 5)),
    Array.from(k.slice(0, 5)),
  );
});

async function losses(backend: 'native' | 'cpu', steps: number, batch: number): Promise<number[]> {
  await useBackend(backend);
  const { step, real } = dcgan28Workload(11, batch);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const l = step.step(real);
    out.push(l.lossD, l.lossG);
  }
  step.dispose();
  return out;
}

test('a seeded DCGAN-28 step gives the same losses on native and cpu', { skip }, async () => {
  const cpu = await losses('cpu', 2, 2);
  const native = await losses('native', 2, 2);
  for (let i = 0; i < cpu.length; i++) {
    assert.ok(Number.isFinite(native[i]));
    assert.ok(
      Math.abs(native[i] - cpu[i]) <= 1e-4 * Math.max(1, Math.abs(cpu[i])),
      `loss ${i}: native ${native[i]} vs cpu ${cpu[i]}`,
    );
  }
});

test('memory is flat across DCGAN-28 training steps on native (tensors and bytes)', { skip }, async () => {
  await useBackend('native');
  const { step, real } = dcgan28Workload(3, 16);
  let at10: tf.MemoryInfo | undefined;
  for (let i = 1; i <= 40; i++) {
    step.step(real);
    if (i === 10) at10 = tf.memory();
  }
  const at40 = tf.memory();
  assert.equal(at40.numTensors, at10!.numTensors);
  assert.equal(at40.numBytes, at10!.numBytes);
  step.dispose();
});
