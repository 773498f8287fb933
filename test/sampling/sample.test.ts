// Sampling runs: image runs by G's output shape, every output form, 2D runs as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { decodeNpy } from '../../src/io/npy.js';
import { Rng } from '../../src/rng.js';
import { drawLatents } from '../../src/generate/latent.js';
import { sampleRun, sampleToFile, writeSamples } from '../../src/sampling/sample.js';
import { makeRun, tempDir } from './fixtures.js';
import { forwardWithJacobian, readMlp } from '../generate/reference-mlp.js';

const predict = (model: { predict: (x: tf.Tensor) => unknown }, z: Float32Array, latentDim: number) =>
  tf.tidy(
    () => (model.predict(tf.tensor2d(z, [z.length / latentDim, latentDim])) as tf.Tensor).dataSync() as Float32Array,
  );

test('an image run samples N×H×W×C in [−1, 1], the same for a seed whatever the batch size, without leaks', async () => {
  const { dir, generator } = await makeRun('dcgan28', { seed: 4 });
  const before = tf.memory().numTensors;
  const a = await sampleRun({ run: dir, n: 7 });
  const b = await sampleRun({ run: dir, n: 7, batch: 3 });
  const c = await sampleRun({ run: dir, n: 7, seed: 5 });
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  assert.deepEqual(a.shape, [7, 28, 28, 1]);
  assert.equal(a.data.length, 7 * 28 * 28);
  assert.ok(a.data.every((v) => v >= -1 && v <= 1));
  assert.deepEqual(a.data, b.data);
  assert.notDeepEqual(a.data, c.data);
  // The run's seed drives z by default; sample 0 is G(z_0).
  const z = drawLatents(new Rng(4), 'normal', 7, 100);
  const expected = predict(generator, z, 100);
  assert.ok(a.data.every((v, i) => Math.abs(v - expected[i]) <= 1e-5));
  generator.dispose();
});

test('G’s moving average by default, the trained G on request', async () => {
  const { dir, generator, average, latentDim } = await makeRun('tinyconv', { average: true, prior: 'uniform' });
  const z = drawLatents(new Rng(1), 'uniform', 4, latentDim);
  const fromAverage = await sampleRun({ run: dir, n: 4 });
  const fromTrained = await sampleRun({ run: dir, n: 4, generator: 'trained' });
  const [expectAverage, expectTrained] = [predict(average!, z, latentDim), predict(generator, z, latentDim)];
  assert.ok(fromAverage.data.every((v, i) => Math.abs(v - expectAverage[i]) <= 1e-5));
  assert.ok(fromTrained.data.every((v, i) => Math.abs(v - expectTrained[i]) <= 1e-5));
  assert.ok(fromAverage.data.some((v, i) => v !== fromTrained.data[i]));
  generator.dispose();
  average!.dispose();
});

test("2D runs sample G at the run-seeded z, by hand in float64 from G's weights", async () => {
  const { dir, generator } = await makeRun('mlp2d', { seed: 9 });
  const mlp = readMlp(generator);
  generator.dispose();
  const now = await sampleRun({ run: dir, n: 2500 });
  assert.deepEqual(now.shape, [2500, 2]);
  const z = new Rng(9).fillNormal(new Float32Array(2500 * 2));
  for (let i = 0; i < 2500; i++) {
    const { x } = forwardWithJacobian(mlp, z.subarray(2 * i, 2 * i + 2));
    assert.ok(
      Math.abs(now.data[2 * i] - x[0]) < 1e-5 && Math.abs(now.data[2 * i + 1] - x[1]) < 1e-5,
      `sample ${i}: ${now.data.subarray(2 * i, 2 * i + 2)} vs ${x}`,
    );
  }
});

test('image samples as a .png grid, .npy and a folder of PNGs', async () => {
  const { dir, generator } = await makeRun('tinyconv');
  generator.dispose();
  const out = tempDir();
  const samples = await sampleRun({ run: dir, n: 10 });

  await writeSamples(path.join(out, 'grid.png'), samples);
  const png = await sharp(path.join(out, 'grid.png')).metadata();
  // 4 × 3 tiles of 8 px + 2 padding (42 px wide) enlarged ×13 to at least 512 px, under a title.
  assert.ok(png.width! >= 13 * 42 && png.height! > 13 * 32, `${png.width}×${png.height}`);
  assert.equal(png.channels, 3);
  assert.equal(samples.caption?.title, `${path.basename(dir)} · ring8 · step 7 · trained G`);
  assert.equal(samples.caption?.subtitle, '10 samples · seed 1');
  const averaged = await makeRun('tinyconv', { average: true });
  averaged.generator.dispose();
  const fromAverage = await sampleRun({ run: averaged.dir, n: 2, seed: 5, jacobianTruncation: 0.25 });
  assert.equal(
    fromAverage.caption?.title,
    `${path.basename(averaged.dir)} · ring8 · step 7 · G's moving average · Jacobian truncation 25%`,
  );

  await writeSamples(path.join(out, 'all.npy'), samples);
  const npy = decodeNpy(readFileSync(path.join(out, 'all.npy')));
  assert.deepEqual(npy.shape, [10, 8, 8, 3]);
  assert.deepEqual(npy.data, samples.data);

  for (const folder of [path.join(out, 'pngs/'), path.join(out, 'noext')]) {
    await writeSamples(folder, samples);
    const names = readdirSync(folder).sort();
    assert.deepEqual(
      names,
      Array.from({ length: 10 }, (_, i) => `00000${i}.png`),
    );
    const first = await sharp(path.join(folder, '000000.png')).metadata();
    assert.deepEqual([first.width, first.height], [8, 8]);
  }
  assert.ok(!readdirSync(out).some((n) => n.includes('.tmp')), 'temporary folder left behind');

  // An existing folder of samples is replaced; an existing empty one is filled.
  await writeSamples(path.join(out, 'pngs'), {
    ...samples,
    data: samples.data.slice(0, 3 * 8 * 8 * 3),
    shape: [3, 8, 8, 3],
  });
  assert.equal(readdirSync(path.join(out, 'pngs')).length, 3);
  mkdirSync(path.join(out, 'empty'));
  await writeSamples(path.join(out, 'empty'), samples);
  assert.equal(readdirSync(path.join(out, 'empty')).length, 10);
});

test('wrong outputs are refused before anything is written', async () => {
  const image = await makeRun('tinyconv');
  const points = await makeRun('mlp2d');
  image.generator.dispose();
  points.generator.dispose();
  const out = tempDir();
  await assert.rejects(
    sampleToFile({ run: image.dir, n: 3, out: path.join(out, 's.csv') }),
    /Expected --out to be a .png grid, a .npy file or a folder for an image run but received ".*s.csv" \(CSV holds 2D points only\)/,
  );
  await assert.rejects(
    sampleToFile({ run: points.dir, n: 3, out: path.join(out, 'folder/') }),
    /Expected --out to end in one of .npy, .csv, .png for a 2D run but received ".*folder\/", a folder/,
  );
  await assert.rejects(
    sampleToFile({ run: image.dir, n: 3, out: path.join(out, 's.jpg') }),
    /Expected --out to end in one of .npy, .csv, .png but received ".*s.jpg"/,
  );
  // A folder holding anything but samples is never replaced.
  mkdirSync(path.join(out, 'mine'));
  writeFileSync(path.join(out, 'mine', 'notes.txt'), 'keep me');
  await assert.rejects(
    sampleToFile({ run: image.dir, n: 3, out: path.join(out, 'mine') }),
    /Expected --out to be a new or empty folder, or one gankit wrote before, but .*mine holds other files/,
  );
  assert.equal(readFileSync(path.join(out, 'mine', 'notes.txt'), 'utf8'), 'keep me');
  assert.deepEqual(readdirSync(out).sort(), ['mine']);
  assert.ok(!existsSync(path.join(out, 'folder')));
});

test('--class needs a conditional run', async () => {
  const { dir, generator } = await makeRun('tinyconv');
  generator.dispose();
  await assert.rejects(
    sampleRun({ run: dir, n: 3, classLabel: 2 }),
    /Expected a conditional run \(model cgan\/acgan\/infogan\) for --class but .* was trained with model mlp/,
  );
});
