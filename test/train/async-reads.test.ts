// No synchronous tensor read on the training path (issue 19). WebGPU in Node has none
// (src/backend/webgpu.ts), so every read there is `await tensor.data()`; this keeps it so
// on every machine, adapter or not: tfjs's engine refuses readSync (what dataSync,
// arraySync and bufferSync go through) while short cpu runs train, evaluate, draw their
// pictures and live frames, checkpoint, roll back from an injected NaN and resume. The
// reference is the same runs with synchronous reads allowed: the same records, number
// for number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index.js';
import { train, type TrainHooks, type TrainRequest } from '../../src/train/trainer.js';
import { sampleRun } from '../../src/sampling/sample.js';

await initBackend('cpu');

const small: TrainRequest = {
  backend: 'cpu',
  gHidden: [16, 16],
  dHidden: [16, 16],
  batchSize: 32,
  latentDim: 2,
  evalSamples: 300,
  steps: 24,
  evalEvery: 8,
  plotEvery: 12,
  checkpointEvery: 8,
  liveEvery: 1, // the first step's frame and the last one at least
};

/** Runs `body` with the engine's synchronous read refused; returns the stacks of the reads it refused. */
async function refusingSyncReads(body: () => Promise<unknown>): Promise<string[]> {
  const engine = tf.engine();
  const readSync = engine.readSync;
  const refused: string[] = [];
  engine.readSync = function () {
    const err = new Error('a synchronous tensor read on the training path');
    refused.push(err.stack ?? err.message);
    throw err;
  };
  try {
    await body();
  } finally {
    engine.readSync = readSync;
  }
  return refused;
}

/** The run's record with the wall-clock seconds taken out (they differ between any two runs). */
function record(dir: string): unknown[] {
  return readFileSync(path.join(dir, 'stats.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const { seconds: _, ...rest } = JSON.parse(line);
      return rest;
    });
}

const cases: { name: string; request: TrainRequest; hooks: TrainHooks }[] = [
  // JBT's Jacobians in the evaluation and samples.png; a NaN at step 12 rolls back to the checkpoint at step 8.
  {
    name: 'ring8 with truncation and a rollback',
    request: { data: 'ring8', jacobianTruncation: 0.01 },
    hooks: { nanAtStep: 12 },
  },
  // A NaN before the first checkpoint: back to step 0, kept in memory.
  { name: 'ring8 rolled back to step 0', request: { data: 'ring8' }, hooks: { nanAtStep: 5 } },
  // The conditional metrics, D's head and the class sampler.
  { name: 'an acgan ring8 run', request: { data: 'ring8', model: 'acgan' }, hooks: {} },
  // 1D: the line view in pictures and live frames, the 1D distances.
  { name: 'a 1D run', request: { data: 'gauss1d' }, hooks: {} },
];

for (const c of cases) {
  test(`${c.name} trains, evaluates, draws and checkpoints with synchronous reads refused`, async () => {
    const allowed = mkdtempSync(path.join(tmpdir(), 'gankit-sync-'));
    await train({ ...small, ...c.request, seed: 3, out: allowed }, c.hooks);
    const refusedDir = mkdtempSync(path.join(tmpdir(), 'gankit-async-'));
    const refused = await refusingSyncReads(async () => {
      await train({ ...small, ...c.request, seed: 3, out: refusedDir }, c.hooks);
      await sampleRun({ run: refusedDir, n: 50, ...(c.request.model === 'acgan' ? { classLabel: 2 } : {}) });
    });
    assert.deepEqual(refused, [], `synchronous reads:\n${refused.join('\n\n')}`);
    assert.deepEqual(record(refusedDir), record(allowed));
    // The verdict names the run directory; every number must agree.
    const metrics = (dir: string) => {
      const { seconds: _, verdict, ...rest } = JSON.parse(readFileSync(path.join(dir, 'metrics.json'), 'utf8'));
      return { ...rest, verdict: verdict.replaceAll(dir, 'RUN') };
    };
    assert.deepEqual(metrics(refusedDir), metrics(allowed));
  });
}
