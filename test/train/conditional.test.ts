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
import { headMetrics } from '../../src/train/heads.js';
import { loadCheckpoint } from '../../src/run/checkpoint.js';
import type { ImageDataset } from '../../src/data/images/index.js';
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
    // The class grid: 10 rows (classes) × 10 columns of 28 px with 2 px padding, shown at twice the size
    // beside the rows' names and under a title.
    const [width, height] = pngSize(path.join(images, 'samples.png'));
    assert.ok(width > 2 * (10 * 30 + 2) && height > 2 * (10 * 30 + 2), `${width}×${height}`);
    for (const code of [1, 2]) {
      const file = path.join(images, `traversal-${code}.png`);
      assert.equal(existsSync(file), model === 'infogan');
      // 10 rows (categorical values) × 9 steps from −2 to 2.
      if (model === 'infogan') {
        const [w, h] = pngSize(file);
        assert.ok(w > 2 * (9 * 30 + 2) && h > 2 * (10 * 30 + 2), `${w}×${h}`);
      }
    }
  });
}

/**
 * D's head on 4×4 grey images built by hand: image i is dark but for one lit pixel, and
 * D's head outputs the pixels themselves (plus a bias of 1.5 on pixel 9's output, which
 * only the [−1, 1] scale of the images keeps below a lit pixel), so the head's answer
 * is the lit pixel.
 */
function litPixelHead(cond: Conditioning, lit: number[], labels: number[]) {
  const images: ImageDataset = {
    name: 'lit',
    source: 'test',
    images: Uint8Array.from({ length: lit.length * 16 }, (_, p) => (p % 16 === lit[Math.floor(p / 16)] ? 255 : 0)),
    count: lit.length,
    height: 4,
    width: 4,
    channels: 1,
    labels: Uint8Array.from(labels),
  };
  const x = tfl.input({ shape: [4, 4, 1] });
  const dense = tfl.layers.dense({ units: 1 + cond.auxDim });
  const D = tfl.model({ inputs: x, outputs: dense.apply(tfl.layers.flatten().apply(x)) as tfl.SymbolicTensor });
  const kernel = new Float32Array(16 * (1 + cond.auxDim));
  for (let k = 0; k < cond.classes; k++) kernel[k * (1 + cond.auxDim) + 1 + k] = 1; // pixel k → head output k
  const bias = new Float32Array(1 + cond.auxDim);
  bias[1 + 9] = 1.5;
  dense.setWeights([tf.tensor2d(kernel, [16, 1 + cond.auxDim]), tf.tensor1d(bias)]);
  const G = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 2 })] });
  const gan = new Gan(
    G,
    D,
    resolveOptions({ data: 'ring8', model: cond.model, latentDim: 2 }),
    new Rng(1),
    undefined,
    cond,
  );
  return { gan, images, dispose: () => [G, D].forEach((m) => m.dispose()) };
}

test("D's head as a classifier of labelled images: hand-built heads score their known accuracy", async () => {
  await initBackend();
  const labels = Array.from({ length: 20 }, (_, i) => i % 10);
  // ACGAN: the head names the label for the first 14 images, the next class for the last 6: 14/20.
  const acgan = litPixelHead(
    new Conditioning('acgan', 10),
    labels.map((l, i) => (i < 14 ? l : (l + 1) % 10)),
    labels,
  );
  assert.deepEqual(await headMetrics(acgan.gan, acgan.images, 'lit (test, 20)'), {
    headAccuracy: 0.7,
    headImages: 'lit (test, 20)',
  });
  acgan.dispose();
  // InfoGAN: Q's code is a permutation π of the label for the first 16 images, π(label + 1) for the last 4. Each
  // code's most frequent class is π⁻¹(code) (twice for classes 0–5, once for 6–9): no mapping beats π's 16/20.
  const pi = [4, 9, 0, 7, 2, 5, 8, 1, 6, 3];
  const info = litPixelHead(
    new Conditioning('infogan', 10, 2),
    labels.map((l, i) => (i < 16 ? pi[l] : pi[(l + 1) % 10])),
    labels,
  );
  assert.deepEqual(await headMetrics(info.gan, info.images, 'lit'), { qAccuracy: 0.8, headImages: 'lit' });
  info.dispose();
});

/** The largest total of counts[row][column] over one-to-one mappings of rows to columns (dynamic programming). */
function bestOneToOne(counts: number[][]): number {
  const memo = new Map<string, number>();
  const best = (row: number, used: number): number => {
    if (row === counts.length) return 0;
    const key = `${row}/${used}`;
    if (!memo.has(key)) {
      let top = best(row + 1, used); // this row maps to nothing
      counts[row].forEach((c, column) => {
        if (!(used & (1 << column))) top = Math.max(top, c + best(row + 1, used | (1 << column)));
      });
      memo.set(key, top);
    }
    return memo.get(key)!;
  };
  return best(0, 0);
}

test("ACGAN's class head and InfoGAN's Q are measured as classifiers of the labelled test images", async () => {
  const data = tinyLabelledImages();
  const testImages = patternBytes(30 * 28 * 28, 5);
  const testLabels = Array.from({ length: 30 }, (_, i) => i % 10);
  writeIdxSplit(data, 't10k', testImages, [30, 28, 28], Uint8Array.from(testLabels));
  for (const [model, key] of [
    ['acgan', 'headAccuracy'],
    ['infogan', 'qAccuracy'],
  ] as const) {
    const out = tempDir();
    const events: string[] = [];
    await train({ ...imageRun, data, model, epochs: 1, out }, { onEvent: (m) => events.push(m) });
    const metrics = json(path.join(out, 'metrics.json'));
    // By hand from the final checkpoint's D: its head's most likely class (or code value) for each test image,
    // read from D's outputs after the logit, scored plainly (ACGAN) or under the best one-to-one mapping (InfoGAN).
    const latest = readFileSync(path.join(out, 'checkpoints', 'latest'), 'utf8').trim();
    const { models } = await loadCheckpoint(path.join(out, 'checkpoints', latest));
    const outputs = tf.tidy(() => {
      const x = tf.tensor4d(
        Float32Array.from(testImages, (v) => v / 127.5 - 1),
        [30, 28, 28, 1],
      );
      return (models.discriminator.predict(x) as tf.Tensor).arraySync() as number[][];
    });
    [models.generator, models.discriminator, models.generatorAverage].forEach((m) => m?.dispose());
    const predicted = outputs.map((row) => {
      const head = row.slice(1, 11);
      return head.indexOf(Math.max(...head));
    });
    const counts = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
    predicted.forEach((p, i) => counts[p][testLabels[i]]++);
    const right = model === 'acgan' ? predicted.filter((p, i) => p === testLabels[i]).length : bestOneToOne(counts);
    assert.ok(Math.abs(metrics[key] - right / 30) < 1e-12, `${key} ${metrics[key]} vs ${right}/30 by hand`);
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
  const score = async (model: 'cgan' | 'infogan', target: (k: number) => number) => {
    const options = resolveOptions({ data: 'ring8', model, latentDim: 2 });
    const cond = model === 'cgan' ? new Conditioning('cgan', 8) : new Conditioning('infogan', 8, 2);
    const G = handBuiltGenerator(cond, target);
    const D = mlpDiscriminator(2, { hidden: [4] }, new Rng(1));
    const gan = new Gan(G, D, options, new Rng(1), undefined, cond);
    try {
      return await mixtureConditionalMetrics(gan, G, cond, modes, new Rng(2), 500);
    } finally {
      G.dispose();
      D.dispose();
    }
  };
  // cgan: every class on its own mode; on the next mode; all on mode 0 (only class 0 right); half the classes right.
  assert.deepEqual(await score('cgan', (k) => k), { classAccuracy: 1 });
  assert.deepEqual(await score('cgan', (k) => (k + 1) % 8), { classAccuracy: 0 });
  assert.deepEqual(await score('cgan', () => 0), { classAccuracy: 1 / 8 });
  assert.deepEqual(await score('cgan', (k) => (k < 4 ? k : 0)), { classAccuracy: 4 / 8 });
  // infogan: code values have no names, so any one-to-one mapping scores 1; a collapsed G 1/8; two codes on one mode 7/8.
  const permutation = [3, 6, 0, 5, 1, 7, 2, 4];
  assert.deepEqual(await score('infogan', (k) => permutation[k]), { codeAccuracy: 1 });
  assert.deepEqual(await score('infogan', () => 0), { codeAccuracy: 1 / 8 });
  assert.deepEqual(await score('infogan', (k) => (k === 7 ? 0 : k)), { codeAccuracy: 7 / 8 });
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
  // Without `seconds` (wall-clock) and the resumed session's own line (at step 17, its checkpoint).
  const all = (dir: string) =>
    readFileSync(path.join(dir, 'stats.jsonl'), 'utf8')
      .replace(/"seconds":[^,}]*/g, '')
      .replace(/^\{"step":17,"resume":\{"steps":30\}\}\n/m, '');
  assert.match(readFileSync(path.join(split, 'stats.jsonl'), 'utf8'), /^\{"step":17,"resume":\{"steps":30\}\}$/m);
  assert.equal(all(split), all(whole));
  const { steps, seconds, backend, jacobianTruncation, rollbacks, warnings, verdict, ...final } = json(
    path.join(whole, 'metrics.json'),
  );
  assert.equal(jacobianTruncation, 0.01);
  assert.deepEqual(done.metrics, final);
  // The verdict names the run's own pictures: the same sentence with the other folder.
  assert.deepEqual([rollbacks, warnings, verdict], [0, done.warnings, done.verdict!.replaceAll(split, whole)]);
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
