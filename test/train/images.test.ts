// Image runs end to end: epochs over a data set, the fixed-noise sample grid, exact
// resumption mid-epoch, and a few hundred real DCGAN-28 steps on Fashion-MNIST.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { writeNpy } from '../../src/io/npy.js';
import { train, type TrainRequest } from '../../src/train/trainer.js';
import { loadGenerator } from '../../src/run/checkpoint.js';
import { Rng } from '../../src/rng.js';
import { skipUnless } from '../requirements.js';
import { TEST_DATA_DIR } from '../metrics/fixtures.js';
import { stepLines } from './run-files.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'gankit-images-'));

/** 100 random 28×28×1 uint8 images as an .npy file: a small data set of real format. */
async function tinyImages(): Promise<string> {
  const file = path.join(tempDir(), 'tiny.npy');
  const pixels = new Uint8Array(100 * 28 * 28);
  const rng = new Rng(9);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextUint32() & 255;
  await writeNpy(file, pixels, [100, 28, 28, 1]);
  return file;
}

test('epochs set the steps (the last batch of an epoch is smaller) and the grid is written', async () => {
  const data = await tinyImages();
  const out = tempDir();
  // 100 images in batches of 32: 4 steps an epoch, the last of 4 images.
  const starts: unknown[] = [];
  const result = await train(
    { data, model: 'mlp', gHidden: [32], dHidden: [16], epochs: 2, batchSize: 32, plotEvery: 4, out },
    { onStart: (p) => starts.push(p) },
  );
  assert.equal(result.options.steps, 8);
  assert.deepEqual(starts, [{ firstStep: 1, steps: 8, batchSize: 32, stepsPerEpoch: 4, examples: 100 }]);
  assert.equal(JSON.parse(readFileSync(path.join(out, 'options.json'), 'utf8')).steps, 8);
  assert.equal(JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8')).epochs, 2);
  const grid = PNG.sync.read(readFileSync(path.join(out, 'samples.png')));
  // 8 × 8 tiles of 28 px with 2 px padding (242 px), enlarged by a whole factor to at
  // least 512 px (3×, 726 px) under a title; test/plots/pictures.test.ts checks the tiles.
  assert.ok(grid.width >= 3 * (8 * 28 + 9 * 2) && grid.width < 4 * (8 * 28 + 9 * 2), `width ${grid.width}`);
  assert.deepEqual(readdirSync(path.join(out, 'snapshots')).sort(), [
    'step-0000004-samples.png',
    'step-0000008-samples.png',
  ]);
  assert.ok(existsSync(path.join(out, 'curves.png')));
});

test('an image run interrupted mid-epoch resumes to the same losses', async () => {
  const data = await tinyImages();
  const request: TrainRequest = {
    data,
    model: 'dcgan',
    latentDim: 16,
    batchSize: 16,
    epochs: 2,
    checkpointEvery: 0,
    plotEvery: 0,
    seed: 3,
  };
  const whole = tempDir();
  await train({ ...request, out: whole });
  const split = tempDir();
  const abort = new AbortController();
  const first = await train(
    { ...request, out: split },
    { signal: abort.signal, onStep: (step) => step === 5 && abort.abort() },
  );
  assert.equal(first.interruptedAt, 5);
  await train({ resume: true, out: split });
  assert.deepEqual(stepLines(split), stepLines(whole));
});

const fashion = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';

test(
  'DCGAN-28 trains 250 real steps on Fashion-MNIST: finite losses, varied samples',
  {
    skip: skipUnless(existsSync(fashion), 'dataset-fashion-mnist not installed: apt-get install dataset-fashion-mnist'),
  },
  async () => {
    const out = tempDir();
    await train({ data: 'fashion-mnist', steps: 250, plotEvery: 0, evalMetrics: [], out });
    const lines = stepLines(out);
    assert.equal(lines.length, 250);
    for (const l of lines) assert.ok([l.lossD, l.lossG, l.dReal, l.dFake].every(Number.isFinite), JSON.stringify(l));
    const G = await loadGenerator(out);
    const images = tf.tidy(() => G.predict(tf.randomNormal([16, 100], 0, 1, 'float32', 5)) as tf.Tensor);
    assert.deepEqual(images.shape, [16, 28, 28, 1]);
    const values = images.dataSync();
    images.dispose();
    G.dispose();
    // Not constant: pixels span much of [−1, 1]; varied: images differ from each other.
    let min = Infinity,
      max = -Infinity;
    for (const v of values) [min, max] = [Math.min(min, v), Math.max(max, v)];
    assert.ok(min < -0.9 && max > 0.5, `pixel range [${min}, ${max}]`);
    const size = 28 * 28;
    let meanDistance = 0;
    for (let i = 1; i < 16; i++) {
      let d = 0;
      for (let p = 0; p < size; p++) d += (values[p] - values[i * size + p]) ** 2;
      meanDistance += Math.sqrt(d / size) / 15;
    }
    assert.ok(meanDistance > 0.1, `RMS difference between samples ${meanDistance}`);
  },
);

test(
  '--eval-every on images records fid10k beside its reference in stats.jsonl and metrics.json',
  {
    skip: skipUnless(existsSync(fashion), 'dataset-fashion-mnist not installed: apt-get install dataset-fashion-mnist'),
  },
  async () => {
    const out = tempDir();
    // The metrics tests' cache: the training set's features are computed once for all tests.
    process.env.GANKIT_DATA = TEST_DATA_DIR;
    const events: string[] = [];
    await train(
      { data: 'fashion-mnist', steps: 4, evalEvery: 2, evalMetrics: ['fid10k'], plotEvery: 0, out },
      { onEvent: (m) => events.push(m) },
    );
    const evaluations = readFileSync(path.join(out, 'stats.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => 'imageMetrics' in l);
    assert.deepEqual(
      evaluations.map((e) => e.step),
      [2, 4],
    );
    for (const e of evaluations) {
      // An untrained G is far from the data; the test set is close to the training set.
      assert.ok(e.imageMetrics.fid10k > 50, `fid10k ${e.imageMetrics.fid10k}`);
      assert.ok(e.imageMetrics.fid10k_real < 2, `fid10k_real ${e.imageMetrics.fid10k_real}`);
    }
    assert.ok(
      events.some((m) => /^step 2: fid10k \d+\.\d \(real 0\.\d+\)$/.test(m)),
      events.join('\n'),
    );
    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    assert.equal(metrics.fid10k, evaluations[1].imageMetrics.fid10k);
    // A folder of images without a test split cannot be scored: said before training starts.
    await assert.rejects(train({ data: await tinyImages(), steps: 2, evalEvery: 1, out: tempDir() }), /test/);
  },
);
