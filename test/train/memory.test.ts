// Memory stays flat over a training run: the short version of the soak (bench/soak.ts).
// A 2D run with evaluation, pictures and a checkpoint every 250 steps is sampled at
// every mark (the trainer's onStep, before that mark's work, after a full garbage
// collection). From the first mark after the first checkpoint (warm-up) to the end the
// tensor count and tensor bytes must not change at all, the native backend's primitive
// caches must not gain entries, and RSS must stay within a loose +25% (RSS moves with
// the allocator and V8's heap; the soak holds it to +10% over 10,000 steps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index.js';
import { train, type TrainRequest } from '../../src/train/trainer.js';
import { sampleMemory, type MemorySample } from '../../bench/memory-probe.js';

const EVERY = 250;
const small: TrainRequest = { gHidden: [64, 64], dHidden: [64, 64], batchSize: 128, evalSamples: 1000 };

async function sampledRun(steps: number, every: number, onMark?: (step: number) => void): Promise<MemorySample[]> {
  const out = mkdtempSync(path.join(tmpdir(), 'gankit-memory-'));
  const samples: MemorySample[] = [];
  try {
    await train(
      { ...small, data: 'ring8', steps, evalEvery: every, plotEvery: every, checkpointEvery: every, out },
      {
        onStep(step) {
          if (step % every !== 0) return;
          onMark?.(step);
          samples.push(sampleMemory(step));
        },
      },
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return samples;
}

test('1,500 ring8 steps with evaluation, pictures and checkpoints every 250: memory flat after warm-up', async () => {
  const samples = await sampledRun(1500, EVERY);
  assert.deepEqual(
    samples.map((s) => s.step),
    [250, 500, 750, 1000, 1250, 1500],
  );
  // The first checkpoint is at step 250; the mark after it is the baseline.
  const [, base, ...later] = samples;
  const table = samples.map((s) => `${s.step}: ${s.numTensors} tensors, ${s.rssMB.toFixed(0)} MiB`).join('; ');
  for (const s of later) {
    assert.equal(s.numTensors, base.numTensors, `tensor count at step ${s.step} (${table})`);
    assert.equal(s.numBytes, base.numBytes, `tensor bytes at step ${s.step}`);
    if (base.nativeEntries !== undefined) {
      assert.equal(s.nativeEntries, base.nativeEntries, `native primitive cache entries at step ${s.step}`);
    }
    assert.ok(s.rssMB <= base.rssMB * 1.25, `RSS at step ${s.step} beyond +25% of step 500's (${table})`);
  }
});

test('the sampling sees a tensor leaked between marks (the check above can fail)', async () => {
  const leaked: tf.Tensor[] = [];
  const samples = await sampledRun(80, 20, () => leaked.push(tf.zeros([3])));
  // One more tensor at every mark after warm-up (the first mark after the first checkpoint).
  assert.deepEqual(
    samples.slice(1).map((s) => s.numTensors - samples[1].numTensors),
    [0, 1, 2],
  );
  tf.dispose(leaked);
});

// train() builds G, D, G's moving average and the optimizers' slots, and disposes them
// all when it returns (before issue 15, 64 tensors stayed behind after a ring8 run).
test('train() leaves no tensors behind when it returns', async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  await sampledRun(40, 20);
  assert.equal(tf.memory().numTensors, before);
});
