// The training run end to end on small networks: what a run directory holds,
// determinism, exact resumption, flat memory, every game, and failure reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { GAMES } from '../../src/games/losses.js';
import { train, type TrainRequest } from '../../src/train/trainer.js';
import { sampleRun } from '../../src/sampling/sample.js';
import { mlpDiscriminator, mlpGenerator } from '../../src/networks/mlp.js';
import { Rng } from '../../src/rng.js';
import { stepLines } from './run-files.js';
import { loadGenerator } from '../../src/run/checkpoint.js';
import { jacobianNorms } from '../../src/generate/truncation.js';
import {
  forwardWithJacobian,
  modeMetricsByHand,
  readMlp,
  RING8_MODES,
  truncatedRows,
} from '../generate/reference-mlp.js';

type ModeScores = ReturnType<typeof modeMetricsByHand>;

const small: TrainRequest = {
  gHidden: [32, 32],
  dHidden: [32, 32],
  batchSize: 64,
  latentDim: 2,
  evalSamples: 500,
  ema: 0.9,
};
const tempRun = () => mkdtempSync(path.join(tmpdir(), 'gankit-run-'));

test('a run writes options, stats, metrics, pictures and a checkpoint', async () => {
  const out = tempRun();
  const result = await train({
    ...small,
    data: 'ring8',
    steps: 40,
    evalEvery: 20,
    plotEvery: 20,
    checkpointEvery: 20,
    out,
  });
  const files = readdirSync(out).sort();
  for (const f of [
    'checkpoints',
    'curves.png',
    'discriminator.png',
    'metrics.json',
    'options.json',
    'samples.png',
    'snapshots',
    'stats.jsonl',
  ]) {
    assert.ok(files.includes(f), `missing ${f} in ${files.join(', ')}`);
  }
  const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
  for (const key of ['modes', 'highQuality', 'reverseKL']) assert.equal(typeof metrics[key], 'number', key);
  const { modes, highQuality, reverseKL, untruncated } = metrics;
  assert.deepEqual(result.metrics, { modes, totalModes: 8, highQuality, reverseKL, untruncated });
  assert.equal(metrics.jacobianTruncation, 0.01);
  // The evaluation's own draws, by hand from the final G (its moving average): z of a pool of 1,000 (the least
  // the protocol draws) from the evaluation's seed, seed·7919 + step; G's outputs by a float64 forward pass of its
  // weights; the first 500 rows untruncated; the truncated sample drops the 1% of the pool with the largest
  // ‖J‖²_F. The norms are jacobianNorms' (checked against the exact Jacobian in test/generate/truncation.test.ts):
  // a ReLU G's norm is constant on each linear piece, so exact norms tie and only G's own rounding decides.
  const G = await loadGenerator(out, 'average');
  const z = new Rng((1 * 7919 + 40) | 0).fillNormal(new Float32Array(2 * 1000));
  const norms = await jacobianNorms(G, z, 2);
  const mlp = readMlp(G);
  G.dispose();
  const pool = Array.from({ length: 1000 }, (_, i) => forwardWithJacobian(mlp, z.subarray(2 * i, 2 * i + 2)).x);
  const byHand = (rows: number[]) =>
    modeMetricsByHand(
      rows.flatMap((i) => pool[i]),
      RING8_MODES,
      0.01,
    );
  const assertScores = (actual: ModeScores, expected: ModeScores, what: string) => {
    assert.deepEqual(
      [actual.modes, actual.totalModes, actual.highQuality],
      [expected.modes, expected.totalModes, expected.highQuality],
      what,
    );
    assert.ok(
      Math.abs(actual.reverseKL - expected.reverseKL) < 1e-9,
      `${what}: ${actual.reverseKL} vs ${expected.reverseKL}`,
    );
  };
  const first500 = Array.from({ length: 500 }, (_, i) => i);
  const kept = truncatedRows(norms, 500, 0.01);
  assert.notDeepEqual(kept, first500, 'the truncation drops rows among the first 500');
  assertScores(untruncated, byHand(first500), 'untruncated');
  assertScores({ modes, totalModes: 8, highQuality, reverseKL }, byHand(kept), 'truncated');
  assert.equal(stepLines(out).length, 40);
  const options = JSON.parse(readFileSync(path.join(out, 'options.json'), 'utf8'));
  assert.equal(options.steps, 40);
  assert.deepEqual(options.gHidden, [32, 32]);
  const png = PNG.sync.read(readFileSync(path.join(out, 'samples.png')));
  assert.ok(png.width > 400 && png.height > 400);
  assert.deepEqual(readdirSync(path.join(out, 'snapshots')).sort(), [
    'step-0000020-discriminator.png',
    'step-0000020-samples.png',
    'step-0000040-discriminator.png',
    'step-0000040-samples.png',
  ]);
  assert.equal(readFileSync(path.join(out, 'checkpoints', 'latest'), 'utf8').trim(), 'step-0000040');
  assert.ok(
    !readdirSync(path.join(out, 'checkpoints')).some((n) => n.includes('.tmp')),
    'temporary checkpoint left behind',
  );
});

test('the same seed gives the same run; another seed another', async () => {
  const a = tempRun();
  const b = tempRun();
  const c = tempRun();
  await train({ ...small, steps: 15, seed: 4, out: a });
  await train({ ...small, steps: 15, seed: 4, out: b });
  await train({ ...small, steps: 15, seed: 5, out: c });
  assert.deepEqual(stepLines(a), stepLines(b));
  assert.notDeepEqual(stepLines(a), stepLines(c));
});

test('an interrupted and resumed run gives the same losses as an uninterrupted one', async () => {
  const whole = tempRun();
  const split = tempRun();
  const request: TrainRequest = { ...small, data: 'grid25', steps: 60, checkpointEvery: 25, evalEvery: 25 };
  await train({ ...request, out: whole });
  const abort = new AbortController();
  const first = await train(
    { ...request, out: split },
    { signal: abort.signal, onStep: (step) => step === 37 && abort.abort() },
  );
  assert.equal(first.interruptedAt, 37);
  assert.equal(readFileSync(path.join(split, 'checkpoints', 'latest'), 'utf8').trim(), 'step-0000037');
  const second = await train({ resume: true, out: split });
  assert.equal(second.interruptedAt, undefined);
  assert.deepEqual(stepLines(split), stepLines(whole));
  const { modes, highQuality, reverseKL, untruncated } = JSON.parse(
    readFileSync(path.join(whole, 'metrics.json'), 'utf8'),
  );
  assert.deepEqual(second.metrics, { modes, totalModes: 25, highQuality, reverseKL, untruncated });
  const samplesWhole = await sampleRun({ run: whole, n: 50 });
  const samplesSplit = await sampleRun({ run: split, n: 50 });
  assert.deepEqual(Array.from(samplesSplit.data), Array.from(samplesWhole.data));
});

test('resuming a run that has no checkpoint says so', async () => {
  await assert.rejects(
    train({ resume: true, out: tempRun() }),
    /Expected .*options.json from an earlier run to resume/,
  );
});

test('memory is flat: no tensors leak per step', async () => {
  const counts: Record<number, number> = {};
  await train(
    { ...small, steps: 120, r1: 0.1, out: tempRun() },
    { onStep: (step) => void (counts[step] = tf.memory().numTensors) },
  );
  assert.equal(counts[120], counts[20], `tensors at step 20: ${counts[20]}, at step 120: ${counts[120]}`);
});

for (const loss of GAMES) {
  test(`${loss}: trains with finite losses`, async () => {
    const out = tempRun();
    await train({ ...small, loss, steps: 25, dSteps: loss.startsWith('wgan') ? 3 : 1, out });
    const lines = stepLines(out);
    assert.equal(lines.length, 25);
    assert.ok(lines.every((l) => [l.lossD, l.lossG, l.dReal, l.dFake].every(Number.isFinite)));
  });
}

test('k discriminator steps per generator step', async () => {
  // The optimizers' step counters (saved in the checkpoint) count the updates.
  const out = tempRun();
  await train({ ...small, dSteps: 3, steps: 10, out });
  const latest = readFileSync(path.join(out, 'checkpoints', 'latest'), 'utf8').trim();
  const state = JSON.parse(readFileSync(path.join(out, 'checkpoints', latest, 'state.json'), 'utf8'));
  assert.equal(state.optimizers.generator.step, 10);
  assert.equal(state.optimizers.discriminator.step, 30);
});

test('WGAN clips every weight of D into [−c, c]', async () => {
  const out = tempRun();
  await train({ ...small, loss: 'wgan', clip: 0.02, steps: 5, out });
  const latest = readFileSync(path.join(out, 'checkpoints', 'latest'), 'utf8').trim();
  const weights = new Float32Array(
    readFileSync(path.join(out, 'checkpoints', latest, 'discriminator', 'weights.bin')).buffer.slice(0),
  );
  assert.ok(weights.every((w) => Math.abs(w) <= 0.02 + 1e-7));
});

test('divergence stops the run with a clear message and keeps the last good checkpoint', async () => {
  const out = tempRun();
  await assert.rejects(
    train({ ...small, optimizer: 'sgd', lrG: 1e4, lrD: 1e4, momentum: 0.99, steps: 200, checkpointEvery: 1, out }),
    /training diverged at step \d+: .*Try lower learning rates/,
  );
  const latest = readFileSync(path.join(out, 'checkpoints', 'latest'), 'utf8').trim();
  const weights = new Float32Array(
    readFileSync(path.join(out, 'checkpoints', latest, 'generator', 'weights.bin')).buffer.slice(0),
  );
  assert.ok(weights.every(Number.isFinite), 'the checkpoint holds non-finite weights');
  assert.ok(existsSync(path.join(out, 'stats.jsonl')));
});

test("the caller's own networks train, resume and sample; wrong shapes are refused", async () => {
  const rng = new Rng(2);
  const networks = () => ({
    generator: mlpGenerator(3, 2, { hidden: [16] }, rng),
    discriminator: mlpDiscriminator(2, { hidden: [24, 8] }, rng),
  });
  const out = tempRun();
  const abort = new AbortController();
  await train(
    { ...small, latentDim: 3, steps: 20, out, networks: networks() },
    { signal: abort.signal, onStep: (s) => s === 10 && abort.abort() },
  );
  assert.equal(JSON.parse(readFileSync(path.join(out, 'options.json'), 'utf8')).model, 'custom');
  await assert.rejects(train({ resume: true, out }), /Expected the run's own generator and discriminator/);
  const done = await train({ resume: true, out, networks: networks() });
  assert.equal(done.interruptedAt, undefined);
  assert.deepEqual((await sampleRun({ run: out, n: 5 })).shape, [5, 2]);
  await assert.rejects(
    train({ ...small, latentDim: 4, steps: 2, out: tempRun(), networks: networks() }),
    /Expected the generator's input of shape \[batch, 4\] but received \[batch, 3\]/,
  );
});

test('the 1D Gaussian is learned: samples move to N(2, 0.5²)', async () => {
  const out = tempRun();
  await train({
    ...small,
    data: 'gauss1d',
    latentDim: 4,
    batchSize: 128,
    steps: 1500,
    lrG: 2e-3,
    lrD: 2e-3,
    ema: 0.99,
    out,
  });
  const { data } = await sampleRun({ run: out, n: 4000 });
  const mean = data.reduce((a, b) => a + b, 0) / data.length;
  const std = Math.sqrt(data.reduce((a, b) => a + (b - mean) ** 2, 0) / data.length);
  assert.ok(Math.abs(mean - 2) < 0.15, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.5) < 0.15, `std ${std}`);
  assert.ok(existsSync(path.join(out, 'discriminator.png')));
});
