// Sampling conditional runs: one class on request, every class uniformly otherwise,
// the class grid and InfoGAN's traversals; the commands that feed G z alone refuse them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { exportGenerator } from '../../src/export/export.js';
import { Conditioning } from '../../src/games/conditional.js';
import { Rng } from '../../src/rng.js';
import { conditionalGrid, encodeConditionalGrid, openClassSampler } from '../../src/sampling/conditional.js';
import sharp from 'sharp';
import { labelledGridGeometry } from '../../src/plots/labelled-grid.js';
import { conditionalAccuracy } from '../../src/metrics/conditional.js';
import { interpolateRun } from '../../src/sampling/interpolate.js';
import { drawLatents } from '../../src/generate/latent.js';
import { sampleRun } from '../../src/sampling/sample.js';
import { loadGenerator } from '../../src/run/checkpoint.js';
import { train } from '../../src/train/trainer.js';
import { patternBytes, writeIdxSplit } from '../data/images/fixtures.js';
import { makeRun } from './fixtures.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'gankit-sample-conditional-'));

/** A conditional image run of 4 steps on 100 labelled 28×28 images (labels i mod 10). */
async function conditionalRun(model: 'cgan' | 'infogan'): Promise<string> {
  const data = tempDir();
  writeIdxSplit(
    data,
    'train',
    patternBytes(100 * 28 * 28, 3),
    [100, 28, 28],
    Uint8Array.from({ length: 100 }, (_, i) => i % 10),
  );
  const out = tempDir();
  await train({ data, model, latentDim: 16, batchSize: 32, epochs: 1, plotEvery: 0, checkpointEvery: 0, seed: 2, out });
  return out;
}
const cgan = conditionalRun('cgan');
const infogan = cgan.then(() => conditionalRun('infogan'));

test('--class K: G(z, one-hot K) for the run-seeded z; without it every class, from the same z', async () => {
  const run = await cgan;
  await infogan; // its training must not count in the tensors below
  const before = tf.memory().numTensors;
  const three = await sampleRun({ run, n: 40, classLabel: 3 });
  const mixed = await sampleRun({ run, n: 40 });
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  assert.deepEqual(three.shape, [40, 28, 28, 1]);
  assert.ok(three.classes!.every((c) => c === 3));
  assert.ok(new Set(mixed.classes).size >= 8, `classes drawn: ${[...new Set(mixed.classes)]}`);
  assert.deepEqual((await sampleRun({ run, n: 40 })).data, mixed.data, 'seeded');

  const G = await loadGenerator(run);
  const cond = new Conditioning('cgan', 10);
  const z = drawLatents(new Rng(2), 'normal', 40, 16);
  const expected = tf.tidy(() =>
    (
      G.predict(cond.generatorInputs(tf.tensor2d(z, [40, 16]), cond.encode(new Int32Array(40).fill(3)))) as tf.Tensor
    ).dataSync(),
  );
  G.dispose();
  assert.ok(three.data.every((v, i) => Math.abs(v - expected[i]) < 1e-5));
  // The same z either way: a mixed sample of class 3 is the class-3 sample.
  const size = 28 * 28;
  const i = mixed.classes!.indexOf(3);
  assert.deepEqual(mixed.data.subarray(i * size, (i + 1) * size), three.data.subarray(i * size, (i + 1) * size));
});

test('--class picks the categorical code of an InfoGAN run; its continuous codes stay as drawn', async () => {
  const run = await infogan;
  const [free, seven] = [
    await sampleRun({ run, n: 30, seed: 5 }),
    await sampleRun({ run, n: 30, seed: 5, classLabel: 7 }),
  ];
  assert.ok(seven.classes!.every((c) => c === 7));
  const size = 28 * 28;
  const i = free.classes!.indexOf(7);
  assert.ok(i >= 0);
  assert.deepEqual(free.data.subarray(i * size, (i + 1) * size), seven.data.subarray(i * size, (i + 1) * size));
});

test('a class the run does not have, and --class on an unconditional run, are refused', async () => {
  await assert.rejects(
    sampleRun({ run: await cgan, n: 2, classLabel: 11 }),
    /Expected --class to be an integer in 0\.\.9 \(model cgan, 10 classes\) but received 11/,
  );
  await assert.rejects(
    sampleRun({ run: await infogan, n: 2, classLabel: 10 }),
    /Expected --class to be an integer in 0\.\.9 \(model infogan, 10 categorical code values\) but received 10/,
  );
  const { dir, generator } = await makeRun('dcgan28');
  generator.dispose();
  await assert.rejects(
    sampleRun({ run: dir, n: 2, classLabel: 1 }),
    /Expected a conditional run \(model cgan\/acgan\/infogan\) for --class but .* was trained with model mlp; sample without --class/,
  );
});

test('the class grid and the traversals', async () => {
  const classes = await conditionalGrid({ run: await cgan, grid: 'classes', columns: 6 });
  assert.deepEqual(
    [classes.rows, classes.columns, classes.picture.width, classes.picture.height],
    [10, 6, 6 * 30 + 2, 10 * 30 + 2],
  );
  const traversal = await conditionalGrid({ run: await infogan, grid: 'traversal', code: 2 });
  assert.deepEqual([traversal.rows, traversal.columns, traversal.picture.width], [10, 9, 9 * 30 + 2]);
  await assert.rejects(
    conditionalGrid({ run: await infogan, grid: 'traversal', code: 3 }),
    /Expected the continuous code to traverse to be 1\.\.2 but received 3/,
  );
  await assert.rejects(
    conditionalGrid({ run: await cgan, grid: 'traversal' }),
    /Expected an InfoGAN run with continuous codes for a traversal but received model cgan/,
  );
  const { dir, generator } = await makeRun('tinyconv');
  generator.dispose();
  await assert.rejects(
    conditionalGrid({ run: dir, grid: 'classes' }),
    /Expected a conditional run \(model cgan, acgan or infogan\) for a classes grid/,
  );
});

test("labelled grids: Fashion-MNIST's class names, InfoGAN's code values and sweep; the tiles' bytes kept", async () => {
  // Xiao et al. 2017, Table 1: the labels 0–9.
  const names = [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ];
  const run = await makeRun('tinyconv', {
    options: { model: 'cgan', numClasses: 10, data: 'fashion-mnist' },
    generator: levelGenerator(Array.from({ length: 10 }, (_, k) => -0.9 + 0.2 * k)),
  });
  run.generator.dispose();
  const grid = await conditionalGrid({ run: run.dir, grid: 'classes' });
  assert.deepEqual(grid.labels.rowLabels, names);
  assert.equal(grid.labels.title, `${path.basename(run.dir)} · fashion-mnist · step 7 · trained G`);
  const png = await encodeConditionalGrid(grid);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const g = labelledGridGeometry(grid.picture, grid.labels);
  assert.ok(info.width >= 512 && g.scale === Math.ceil(512 / grid.picture.width), `width ${info.width}`);
  const at = (x: number, y: number, k = 0) => data[(y * info.width + x) * info.channels + k];
  // The tiles, enlarged: each pixel of the unlabelled tiling repeated scale × scale times.
  for (let y = 0; y < grid.picture.height * g.scale; y += 3)
    for (let x = 0; x < grid.picture.width * g.scale; x += 3)
      for (let k = 0; k < 3; k++) {
        const source = (Math.floor(y / g.scale) * grid.picture.width + Math.floor(x / g.scale)) * 3 + k;
        if (at(g.left + x, g.top + y, k) !== grid.picture.pixels[source]) assert.fail(`tile pixel (${x}, ${y})`);
      }
  // Ink left of every row: its name.
  for (let r = 0; r < 10; r++) {
    let ink = 0;
    const top = g.top + (2 + r * 10) * g.scale;
    for (let y = top; y < top + 8 * g.scale; y++) for (let x = 0; x < g.left; x++) if (at(x, y) < 128) ink++;
    assert.ok(ink > 20, `row ${r} (${names[r]}) labelled`);
  }

  const info2 = await makeRun('tinyconv', {
    options: { model: 'infogan', infoCategories: 10, infoContinuous: 2 },
    generator: levelGenerator(Array.from({ length: 12 }, (_, k) => 0.05 * k)),
  });
  info2.generator.dispose();
  const classes = await conditionalGrid({ run: info2.dir, grid: 'classes' });
  assert.deepEqual(
    classes.labels.rowLabels,
    Array.from({ length: 10 }, (_, k) => `code ${k}`),
  );
  const traversal = await conditionalGrid({ run: info2.dir, grid: 'traversal', code: 2 });
  assert.deepEqual(traversal.labels.columnLabels, ['−2', '−1.5', '−1', '−0.5', '0', '0.5', '1', '1.5', '2']);
  assert.equal(traversal.labels.columnHeading, 'c2 =');
  assert.match(traversal.labels.title, /^Continuous code c2 from −2 to 2 — /);
});

/**
 * A conditional G built by hand for 8×8×3 images: every pixel of G(z, c) is
 * Σ_i c_i · level[i] (z ignored), so a tile shows its codes as one grey level.
 */
function levelGenerator(level: number[]): tfl.LayersModel {
  const z = tfl.input({ shape: [8] });
  const c = tfl.input({ shape: [level.length] });
  const dense = tfl.layers.dense({ units: 8 * 8 * 3, useBias: false });
  const image = tfl.layers.reshape({ targetShape: [8, 8, 3] });
  const G = tfl.model({
    inputs: [z, c],
    outputs: image.apply(dense.apply(tfl.layers.concatenate().apply([z, c]))) as tfl.SymbolicTensor,
  });
  const kernel = new Float32Array((8 + level.length) * 192);
  level.forEach((v, i) => kernel.fill(v, (8 + i) * 192, (9 + i) * 192));
  dense.setWeights([tf.tensor2d(kernel, [8 + level.length, 192])]);
  return G;
}

/** The byte of tile (row, column)'s first pixel in a grid of 8×8 tiles with 2 px padding. */
const tileByte = (grid: { pixels: Uint8Array; width: number }, row: number, column: number) =>
  grid.pixels[((2 + row * 10) * grid.width + 2 + column * 10) * 3];
const byte = (v: number) => Math.round((v + 1) * 127.5);

test("the class grid's rows are the classes and a traversal's columns the code from −2 to 2 (hand-built G)", async () => {
  // cgan: class k is grey level −0.9 + 0.2k in every column.
  const cganLevels = Array.from({ length: 10 }, (_, k) => -0.9 + 0.2 * k);
  const cganRun = await makeRun('tinyconv', {
    options: { model: 'cgan', numClasses: 10 },
    generator: levelGenerator(cganLevels),
  });
  cganRun.generator.dispose();
  const classes = await conditionalGrid({ run: cganRun.dir, grid: 'classes', columns: 6 });
  for (let k = 0; k < 10; k++)
    for (let j = 0; j < 6; j++) assert.equal(tileByte(classes.picture, k, j), byte(cganLevels[k]), `tile ${k}, ${j}`);
  // infogan: level 0.05k + 0.2·c₂ + 0.3·c₁ + 0.013; traversing c₂ holds c₁ at 0.
  const infoLevels = [...Array.from({ length: 10 }, (_, k) => 0.05 * k + 0.013), 0.3, 0.2];
  const infoRun = await makeRun('tinyconv', {
    options: { model: 'infogan', infoCategories: 10, infoContinuous: 2 },
    generator: levelGenerator(infoLevels),
  });
  infoRun.generator.dispose();
  const traversal = await conditionalGrid({ run: infoRun.dir, grid: 'traversal', code: 2 });
  assert.deepEqual([traversal.rows, traversal.columns], [10, 9]);
  for (let k = 0; k < 10; k++)
    for (let j = 0; j < 9; j++)
      assert.equal(tileByte(traversal.picture, k, j), byte(infoLevels[k] + 0.2 * (-2 + 0.5 * j)), `tile ${k}, ${j}`);
});

test('interpolate and export, which feed G z alone, refuse a conditional run and say so', async () => {
  const run = await cgan;
  const message =
    /Expected a run whose generator takes z alone but .* was trained with model cgan, whose generator also takes a class label; this command does not handle conditional runs yet/;
  await assert.rejects(interpolateRun({ run }), message);
  await assert.rejects(exportGenerator({ run, out: path.join(tempDir(), 'web') }), message);
});

test('a run as the class sampler the conditional metrics take', async () => {
  const before = tf.memory().numTensors;
  const s = await openClassSampler({ run: await cgan, seed: 2 });
  assert.equal(s.classes, 10);
  const first = await s.sample(3, 5);
  assert.equal(first.length, 5 * 28 * 28);
  // The first draw from seed 2 is what sampleRun draws for --class 3.
  assert.deepEqual(first, (await sampleRun({ run: await cgan, n: 5, classLabel: 3, seed: 2 })).data);
  // Any classifier: here one that calls everything class 3.
  const result = await conditionalAccuracy((_, n) => new Int32Array(n).fill(3), s.sample, s.classes, 4);
  assert.equal(result.accuracy, 0.1);
  s.dispose();
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  const { dir, generator } = await makeRun('mlp2d');
  generator.dispose();
  await assert.rejects(
    openClassSampler({ run: dir }),
    /Expected a conditional run \(model cgan, acgan or infogan\) to sample by class but .* was trained with model mlp/,
  );
});
