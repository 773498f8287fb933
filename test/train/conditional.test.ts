// Conditional runs end to end on small networks: cgan, acgan and infogan on 2D
// mixtures and on a tiny labelled image set; pictures, determinism, exact resumption,
// flat memory, the mixture metrics, and data without labels refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { PNG } from 'pngjs';
import { initBackend } from '../../src/backend/index.js';
import { toyDataset } from '../../src/data/toy.js';
import { CONDITIONAL_MODELS, Conditioning } from '../../src/games/conditional.js';
import { mlpDiscriminator } from '../../src/networks/mlp.js';
import { mixtureConditionalMetrics } from '../../src/train/conditional-metrics.js';
import { Gan } from '../../src/train/gan.js';
import { writeNpy } from '../../src/io/npy.js';
import { Rng } from '../../src/rng.js';
import { sampleRun } from '../../src/sampling/sample.js';
import { resolveOptions } from '../../src/train/options.js';
import { train, type TrainRequest } from '../../src/train/trainer.js';
import { patternBytes, writeIdxSplit } from '../data/images/fixtures.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'gankit-conditional-'));
const small: TrainRequest = {
  gHidden: [32, 32],
  dHidden: [32, 32],
  batchSize: 64,
  latentDim: 2,
  evalSamples: 500,
  ema: 0.9,
};
const stepLines = (dir: string) =>
  readFileSync(path.join(dir, 'stats.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((l) => 'lossD' in l)
    .map(({ seconds, ...rest }) => rest);
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const pngSize = (file: string) => {
  const png = PNG.sync.read(readFileSync(file));
  return [png.width, png.height];
};

/** 100 labelled 28×28 images (labels i mod 10) as MNIST's IDX files: the smallest labelled image set. */
function tinyLabelledImages(): string {
  const dir = tempDir();
  writeIdxSplit(
    dir,
    'train',
    patternBytes(100 * 28 * 28),
    [100, 28, 28],
    Uint8Array.from({ length: 100 }, (_, i) => i % 10),
  );
  return dir;
}
const imageRun: TrainRequest = { latentDim: 16, batchSize: 32, epochs: 2, plotEvery: 0, checkpointEvery: 0 };

test('labelled mixtures: the labels are the modes, drawn with the numbers an unlabelled draw uses', () => {
  const ring = toyDataset('ring8');
  const plain = ring.sample(new Rng(5), 300);
  const { points, labels } = ring.sampleLabelled!(new Rng(5), 300);
  assert.deepEqual(points, plain);
  assert.equal(ring.classes, 8);
  for (let i = 0; i < 300; i++) {
    const k = labels[i];
    assert.ok(Math.hypot(points[2 * i] - ring.modes![2 * k], points[2 * i + 1] - ring.modes![2 * k + 1]) < 0.06);
  }
  assert.equal(toyDataset('spiral').sampleLabelled, undefined);
});

for (const model of CONDITIONAL_MODELS) {
  test(`${model} trains on 2D data and on labelled images; options.json says what sampling needs`, async () => {
    const toy = tempDir();
    await train({ ...small, data: 'ring8', model, steps: 6, evalEvery: 3, plotEvery: 3, out: toy });
    const toyLines = stepLines(toy);
    assert.equal(toyLines.length, 6);
    for (const l of toyLines) {
      assert.ok([l.lossD, l.lossG, l.dReal, l.dFake].every(Number.isFinite), JSON.stringify(l));
      assert.equal('aux' in l, model !== 'cgan');
    }
    const toyOptions = json(path.join(toy, 'options.json'));
    assert.equal(model === 'infogan' ? toyOptions.infoCategories : toyOptions.numClasses, 8);
    assert.ok(existsSync(path.join(toy, 'discriminator.png')));

    const images = tempDir();
    await train({ ...imageRun, data: tinyLabelledImages(), model, epochs: 1, plotEvery: 4, out: images });
    assert.equal(stepLines(images).length, 4);
    const options = json(path.join(images, 'options.json'));
    if (model === 'infogan')
      assert.deepEqual(
        [options.infoCategories, options.infoContinuous, options.infoLambdaCat, options.infoLambdaCont],
        [10, 2, 1, 0.1],
      );
    else assert.equal(options.numClasses, 10);
    // The class grid: 10 rows (classes) × 10 columns of 28 px with 2 px padding, shown at twice the size.
    assert.deepEqual(pngSize(path.join(images, 'samples.png')), [2 * (10 * 30 + 2), 2 * (10 * 30 + 2)]);
    for (const code of [1, 2]) {
      const file = path.join(images, `traversal-${code}.png`);
      assert.equal(existsSync(file), model === 'infogan');
      // 10 rows (categorical values) × 9 steps from −2 to 2.
      if (model === 'infogan') assert.deepEqual(pngSize(file), [2 * (9 * 30 + 2), 2 * (10 * 30 + 2)]);
    }
  });
}

test("ACGAN's class head and InfoGAN's Q are measured as classifiers of the labelled test images", async () => {
  const data = tinyLabelledImages();
  writeIdxSplit(
    data,
    't10k',
    patternBytes(30 * 28 * 28, 5),
    [30, 28, 28],
    Uint8Array.from({ length: 30 }, (_, i) => i % 10),
  );
  for (const [model, key] of [
    ['acgan', 'headAccuracy'],
    ['infogan', 'qAccuracy'],
  ] as const) {
    const out = tempDir();
    const events: string[] = [];
    await train({ ...imageRun, data, model, epochs: 1, out }, { onEvent: (m) => events.push(m) });
    const metrics = json(path.join(out, 'metrics.json'));
    assert.ok(metrics[key] >= 0 && metrics[key] <= 1, JSON.stringify(metrics));
    assert.match(metrics.headImages, /\(test, 30\)$/);
    assert.ok(
      events.some((e) => /test, 30\): \d+\.\d%/.test(e)),
      events.join('\n'),
    );
  }
  // Without a test split nothing is measured, and the run says so.
  const events: string[] = [];
  const out = tempDir();
  await train(
    { ...imageRun, data: tinyLabelledImages(), model: 'infogan', epochs: 1, out },
    { onEvent: (m) => events.push(m) },
  );
  assert.equal(json(path.join(out, 'metrics.json')).qAccuracy, undefined);
  assert.ok(events.some((e) => /no labelled test images for .*: D's Q head is not measured/.test(e)));
});

/**
 * A conditional G built by hand for ring8: G(z, c) = Σ_k c_k · mode(target(k)), z and the
 * continuous codes ignored, so the class-k samples all sit on mode target(k).
 */
function handBuiltGenerator(cond: Conditioning, target: (k: number) => number): tfl.LayersModel {
  const z = tfl.input({ shape: [2] });
  const c = tfl.input({ shape: [cond.codeDim] });
  const dense = tfl.layers.dense({ units: 2, useBias: false });
  const G = tfl.model({
    inputs: [z, c],
    outputs: dense.apply(tfl.layers.concatenate().apply([z, c])) as tfl.SymbolicTensor,
  });
  const kernel = new Float32Array((2 + cond.codeDim) * 2); // rows: z1, z2, then the code's entries
  for (let k = 0; k < cond.classes; k++) {
    const angle = (2 * Math.PI * target(k)) / 8; // ring8's modes: the unit circle at angles 2πm/8
    kernel[(2 + k) * 2] = Math.cos(angle);
    kernel[(2 + k) * 2 + 1] = Math.sin(angle);
  }
  dense.setWeights([tf.tensor2d(kernel, [2 + cond.codeDim, 2])]);
  return G;
}

test('the mixture metrics of hand-built conditional generators: exact fractions by construction', async () => {
  await initBackend();
  const modes = toyDataset('ring8').modes!;
  const score = (model: 'cgan' | 'infogan', target: (k: number) => number) => {
    const options = resolveOptions({ data: 'ring8', model, latentDim: 2 });
    const cond = model === 'cgan' ? new Conditioning('cgan', 8) : new Conditioning('infogan', 8, 2);
    const G = handBuiltGenerator(cond, target);
    const D = mlpDiscriminator(2, { hidden: [4] }, new Rng(1));
    const gan = new Gan(G, D, options, new Rng(1), undefined, cond);
    try {
      return mixtureConditionalMetrics(gan, G, cond, modes, new Rng(2), 500);
    } finally {
      G.dispose();
      D.dispose();
    }
  };
  // cgan: every class on its own mode; on the next mode; all on mode 0 (only class 0 right); half the classes right.
  assert.deepEqual(
    score('cgan', (k) => k),
    { classAccuracy: 1 },
  );
  assert.deepEqual(
    score('cgan', (k) => (k + 1) % 8),
    { classAccuracy: 0 },
  );
  assert.deepEqual(
    score('cgan', () => 0),
    { classAccuracy: 1 / 8 },
  );
  assert.deepEqual(
    score('cgan', (k) => (k < 4 ? k : 0)),
    { classAccuracy: 4 / 8 },
  );
  // infogan: code values have no names, so any one-to-one mapping scores 1; a collapsed G 1/8; two codes on one mode 7/8.
  const permutation = [3, 6, 0, 5, 1, 7, 2, 4];
  assert.deepEqual(
    score('infogan', (k) => permutation[k]),
    { codeAccuracy: 1 },
  );
  assert.deepEqual(
    score('infogan', () => 0),
    { codeAccuracy: 1 / 8 },
  );
  assert.deepEqual(
    score('infogan', (k) => (k === 7 ? 0 : k)),
    { codeAccuracy: 7 / 8 },
  );
});

test('a conditional run on a mixture records its conditional metric beside the mode metrics', async () => {
  const cgan = await train({ ...small, data: 'ring8', model: 'cgan', steps: 10, out: tempDir() });
  assert.equal(typeof cgan.metrics!.classAccuracy, 'number');
  assert.equal(json(path.join(cgan.runDir, 'metrics.json')).classAccuracy, cgan.metrics!.classAccuracy);
  const info = await train({ ...small, data: 'ring8', model: 'infogan', steps: 10, out: tempDir() });
  assert.equal(typeof info.metrics!.codeAccuracy, 'number');
  assert.equal(info.options.infoCategories, 8, 'one categorical value per mode');
});

test('the same seed gives the same conditional run; another seed another', async () => {
  const run = (seed: number) =>
    train({ ...small, data: 'grid25', model: 'acgan', steps: 12, seed, out: tempDir() }).then((r) =>
      stepLines(r.runDir),
    );
  const [a, b, c] = [await run(4), await run(4), await run(5)];
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('an ACGAN image run interrupted mid-epoch resumes to the same losses and samples', async () => {
  const data = tinyLabelledImages();
  const request: TrainRequest = { ...imageRun, data, model: 'acgan', seed: 3, ema: 0.9 };
  const whole = tempDir();
  await train({ ...request, out: whole });
  const split = tempDir();
  const abort = new AbortController();
  const first = await train(
    { ...request, out: split },
    { signal: abort.signal, onStep: (step) => step === 3 && abort.abort() },
  );
  assert.equal(first.interruptedAt, 3);
  await train({ resume: true, out: split });
  assert.deepEqual(stepLines(split), stepLines(whole));
  const [a, b] = [
    await sampleRun({ run: whole, n: 6, classLabel: 4 }),
    await sampleRun({ run: split, n: 6, classLabel: 4 }),
  ];
  assert.deepEqual(a.data, b.data);
});

test('an InfoGAN run on a mixture resumes exactly, its evaluations included', async () => {
  const request: TrainRequest = {
    ...small,
    data: 'ring8',
    model: 'infogan',
    steps: 30,
    evalEvery: 10,
    checkpointEvery: 10,
  };
  const whole = tempDir();
  await train({ ...request, out: whole });
  const split = tempDir();
  const abort = new AbortController();
  await train({ ...request, out: split }, { signal: abort.signal, onStep: (step) => step === 17 && abort.abort() });
  const done = await train({ resume: true, out: split });
  const all = (dir: string) => readFileSync(path.join(dir, 'stats.jsonl'), 'utf8').replace(/"seconds":[^,}]*/g, '');
  assert.equal(all(split), all(whole));
  const { steps, seconds, backend, jacobianTruncation, ...final } = json(path.join(whole, 'metrics.json'));
  assert.equal(jacobianTruncation, 0.01);
  assert.deepEqual(done.metrics, final);
  assert.equal(typeof final.codeAccuracy, 'number');
});

test('memory is flat: no tensors leak per conditional step', async () => {
  for (const request of [
    { ...small, data: 'ring8', model: 'cgan', steps: 60, loss: 'wgan-gp', dSteps: 2 },
    { ...imageRun, data: tinyLabelledImages(), model: 'infogan', epochs: 3 },
  ] as TrainRequest[]) {
    const counts: Record<number, number> = {};
    const result = await train(
      { ...request, out: tempDir() },
      { onStep: (step) => void (counts[step] = tf.memory().numTensors) },
    );
    const last = result.options.steps;
    assert.equal(
      counts[last],
      counts[4],
      `${request.model}: tensors at step 4: ${counts[4]}, at step ${last}: ${counts[last]}`,
    );
  }
});

test('cgan and acgan refuse data without labels, saying what to do', async () => {
  assert.throws(
    () => resolveOptions({ data: 'spiral', model: 'cgan' }),
    /Expected labelled data for model cgan .* but spiral has no labels; use --model infogan, which needs none/,
  );
  assert.equal(resolveOptions({ data: 'spiral', model: 'infogan' }).infoCategories, 10);
  const npy = path.join(tempDir(), 'unlabelled.npy');
  await writeNpy(npy, patternBytes(40 * 28 * 28), [40, 28, 28, 1]);
  await assert.rejects(
    train({ ...imageRun, data: npy, model: 'acgan', out: tempDir() }),
    /Expected labelled data for model acgan but .*unlabelled\.npy has no labels \(an \.npy file has none; .*\); use --model infogan/,
  );
  assert.equal(resolveOptions({ data: npy, model: 'infogan' }).latentDim, 62, "InfoGAN's z on images: the paper's 62");
});
