// The playground (/app/play.html) in real Chromium against a real `gankit dash`, over
// runs trained through the CLI: the page's G must compute what the checkpoint's G
// computes in Node for the same z (and codes), its Jacobian truncation must keep the
// rows src/generate/truncation.ts keeps, its downloads must parse to what it shows,
// and no request may leave 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { initBackend } from '../../src/backend/index.js';
import { toyDataset, TOY_DATASETS } from '../../src/data/toy.js';
import { TFJS_SCRIPTS } from '../../src/export/vendor.js';
import { drawLatents } from '../../src/generate/latent.js';
import { jacobianNorms, keptRows } from '../../src/generate/truncation.js';
import { oneHot } from '../../src/games/conditional.js';
import { loadModel } from '../../src/io/model-files.js';
import { spectralLayers } from '../../src/networks/spectral-norm.js';
import { decodeNpy, writeNpy } from '../../src/io/npy.js';
import { Rng } from '../../src/rng.js';
import { runCli } from '../cli/run-cli.js';
import {
  maxDiff,
  needsChromium,
  openChromium,
  originOf,
  startDash,
  tempRuns,
  trainToy,
  webModule,
  type Chromium,
  type Dash,
} from './play-fixtures.js';

const TRUNCATION = 0.2;
const TOLERANCE = 1e-4;
const skip = needsChromium();

let runs: string;
let dash: Dash | undefined;
let chrome: Chromium | undefined;

before(async () => {
  if (skip) return;
  runs = tempRuns('gankit-play-');
  await initBackend();
  // A 28×28 grey image set as an .npy file: the smallest image run DCGAN accepts, 2 steps; once more with
  // spectral normalisation, whose G the dashboard folds for the page.
  const images = new Uint8Array(64 * 28 * 28);
  for (let i = 0; i < images.length; i++) images[i] = (i * 37 + (i >> 9) * 11) % 256;
  await writeNpy(path.join(runs, 'images.npy'), images, [64, 28, 28, 1]);
  const trainImages = (name: string, extra: string[] = []) =>
    runCli(
      [
        'train',
        '--data',
        path.join(runs, 'images.npy'),
        '--model', // DCGAN's settings: no moving average, so the page samples the checkpoint's G itself
        'dcgan',
        '--steps',
        '2',
        '--batch-size',
        '16',
        '--eval-metrics',
        'none',
        '--out',
        path.join(runs, name),
        ...extra,
      ],
      { timeout: 180_000 },
    );
  const image = trainImages('tiny-images');
  const spectral = trainImages('tiny-sn', ['--spectral-norm', 'both']);
  await trainToy(path.join(runs, 'ring8'), ['--jacobian-truncation', String(TRUNCATION)]);
  await trainToy(path.join(runs, 'cgan'), ['--model', 'cgan']);
  await trainToy(path.join(runs, 'infogan'), ['--model', 'infogan']);
  for (const r of await Promise.all([image, spectral])) assert.equal(r.status, 0, r.stderr);
  dash = await startDash(runs);
  chrome = await openChromium(dash);
});

after(async () => {
  await chrome?.browser.close();
  await dash?.stop();
});

/** Opens the playground on a run and waits for its first samples. */
async function openPlay(page: Page, run: string, query = ''): Promise<number> {
  const started = Date.now();
  await page.goto(`${originOf(dash!)}/app/play.html?run=${encodeURIComponent(run)}${query}`);
  await page.waitForSelector('body[data-state]', { timeout: 60_000 });
  assert.equal(await state(page), 'ready', (await page.textContent('#status')) ?? '');
  return Date.now() - started;
}

const state = (page: Page) => page.evaluate(() => document.body.dataset.state);

/** Does `action` on the page and waits until the page has drawn again. */
async function redrawn(page: Page, action: () => Promise<unknown>): Promise<void> {
  await page.evaluate(() => delete document.body.dataset.state);
  await action();
  await page.waitForSelector('body[data-state]', { timeout: 60_000 });
  assert.equal(await state(page), 'ready', (await page.textContent('#status')) ?? '');
}

interface Shown {
  pool: number[];
  z: number[];
  codes?: number[];
  outputs: number[];
  strip?: number[];
  selected: number;
  other?: number;
  perExample: number;
}
type Hooks = {
  gankitPlay: {
    sample(z: number[], codes?: number[]): Promise<number[]>;
    truncate(pool: number[], n: number, ratio: number): Promise<number[]>;
    shown(): Shown;
    select(i: number, other?: boolean): Promise<void>;
  };
};
const shown = (page: Page) => page.evaluate(() => (window as unknown as Hooks).gankitPlay.shown());

/** G in Node (native backend) on z and, for a conditional G, its codes. */
function nodeG(
  model: tfl.LayersModel,
  z: ArrayLike<number>,
  latentDim: number,
  codes?: ArrayLike<number>,
): Float32Array {
  return tf.tidy(() => {
    const n = z.length / latentDim;
    const input = tf.tensor2d(Float32Array.from(z), [n, latentDim]);
    const c = codes && tf.tensor2d(Float32Array.from(codes), [n, codes.length / n]);
    return (model.predict(c ? [input, c] : input) as tf.Tensor).dataSync() as Float32Array;
  });
}

const checkpoint = (run: string, step: number, role: 'generator' | 'generatorAverage') =>
  loadModel(path.join(runs, run, 'checkpoints', `step-${String(step).padStart(7, '0')}`, role));

/** What the browser saved for a click on `selector`. */
async function download(page: Page, selector: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
}

test(
  "a 2D run: the page's G is the checkpoint's, its truncation gankit's, its downloads what it shows",
  { skip, timeout: 300_000 },
  async () => {
    const { page, errors, outside } = chrome!;
    const ms = await openPlay(page, 'ring8');
    // The target: 1,000 points within 5 s, the page's load and tfjs's start included.
    assert.equal(await page.evaluate(() => document.body.dataset.samples), '1000');
    assert.ok(ms < 15_000, `first samples after ${ms} ms`); // 5 s is the target; this shared machine is often loaded
    console.log(`play: 1,000 points of ring8 drawn ${ms} ms after the page was asked for`);
    const scripts = await page.$$eval('script[src^="/vendor/tfjs/"]', (s) => s.map((e) => e.getAttribute('src')));
    assert.deepEqual(
      scripts,
      TFJS_SCRIPTS.map((s) => `/vendor/${s}`),
      'the vendored tfjs, in vendor.ts order',
    );

    // The moving average first (the run kept one), then the trained G after the toggle.
    const z = Array.from(drawLatents(new Rng(5), 'normal', 50, 2));
    const average = await checkpoint('ring8', 60, 'generatorAverage');
    const trained = await checkpoint('ring8', 60, 'generator');
    const inPage = (zs: number[]) => page.evaluate((zs) => (window as unknown as Hooks).gankitPlay.sample(zs), zs);
    assert.ok(maxDiff(await inPage(z), nodeG(average, z, 2)) <= TOLERANCE, 'the average G');
    // The other G gets the same latent pool (its truncation may keep other rows of it).
    const poolShown = (await shown(page)).pool;
    await redrawn(page, () => page.uncheck('#average'));
    assert.deepEqual((await shown(page)).pool, poolShown, 'the other G is shown on the same z');
    const fromTrained = await inPage(z);
    assert.ok(maxDiff(fromTrained, nodeG(trained, z, 2)) <= TOLERANCE, 'the trained G');
    assert.ok(maxDiff(fromTrained, nodeG(average, z, 2)) > 1e-3, 'the toggle changed nothing');

    // Truncation of one pool in both. A ReLU G is piecewise linear, so the rows of one
    // linear piece share a Jacobian norm: where that piece straddles the cut-off, float32
    // differences between the backends decide which of its rows stay. Any row kept on
    // one side only must therefore sit at the cut-off.
    const pool = drawLatents(new Rng(6), 'normal', 1000, 2);
    const keptInPage = await page.evaluate(
      ({ pool, ratio }) => (window as unknown as Hooks).gankitPlay.truncate(pool, 800, ratio),
      { pool: Array.from(pool), ratio: TRUNCATION },
    );
    const norms = await jacobianNorms(trained, pool, 2);
    const keptInNode = new Set(keptRows(norms, 800, TRUNCATION));
    assert.equal(keptInPage.length, 800);
    const cutoff = Float64Array.from(norms).sort()[1000 - 200 - 1];
    const oneSided = keptInPage.filter((r) => !keptInNode.has(r));
    assert.ok(oneSided.length < 100, `${oneSided.length} of 800 kept rows differ`);
    for (const r of oneSided)
      assert.ok(Math.abs(norms[r] - cutoff) <= 1e-3 * cutoff, `row ${r}: ‖J‖² ${norms[r]}, cut-off ${cutoff}`);
    assert.ok(await page.isChecked('#truncation'), "the run's own truncation is on by default");

    // The .npy download holds exactly what is shown, which is G of the shown z.
    const before = await shown(page);
    const npy = await download(page, '#download-npy');
    assert.equal(npy.name, 'ring8-step-60-samples.npy');
    const array = decodeNpy(npy.bytes);
    assert.deepEqual(array.shape, [1000, 2]);
    assert.deepEqual(Array.from(array.data), Array.from(Float32Array.from(before.outputs)));
    assert.ok(maxDiff(array.data, nodeG(trained, before.z, 2)) <= TOLERANCE);
    const png = await download(page, '#download-png');
    const meta = await sharp(png.bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 480, 480]);

    // A latent slider re-renders its sample: G of the edited z.
    await page.evaluate(() => (window as unknown as Hooks).gankitPlay.select(3));
    await page.locator('#sliders input[data-axis="0"]').fill('1.5');
    await page.waitForFunction(() => (window as unknown as Hooks).gankitPlay.shown().z[6] === 1.5);
    const edited = await shown(page);
    const zEdited = [1.5, edited.z[7]];
    assert.equal(edited.z[7], before.z[7], 'the other dimension kept');
    assert.ok(maxDiff(edited.outputs.slice(6, 8), nodeG(trained, zEdited, 2)) <= TOLERANCE);

    // Interpolation between samples 0 and 7: 8 steps along the great circle.
    await page.evaluate(() => (window as unknown as Hooks).gankitPlay.select(0));
    await page.evaluate(() => (window as unknown as Hooks).gankitPlay.select(7, true));
    await page.check('#spherical');
    await page.waitForFunction(() => document.getElementById('strip-note')!.textContent!.includes('spherical'));
    const ends = await shown(page);
    const [a, b] = [ends.z.slice(0, 2), ends.z.slice(14, 16)];
    const omega = Math.acos((a[0] * b[0] + a[1] * b[1]) / (Math.hypot(...a) * Math.hypot(...b)));
    const slerp = Array.from({ length: 8 }, (_, s) => {
      const t = s / 7;
      const [wa, wb] = [Math.sin((1 - t) * omega) / Math.sin(omega), Math.sin(t * omega) / Math.sin(omega)];
      return [wa * a[0] + wb * b[0], wa * a[1] + wb * b[1]];
    }).flat();
    assert.ok(maxDiff(ends.strip!, nodeG(trained, slerp, 2)) <= TOLERANCE, 'the spherical strip');
    await page.check('#linear');
    await page.waitForFunction(() => document.getElementById('strip-note')!.textContent!.includes('linear'));
    const lerp = Array.from({ length: 8 }, (_, s) => [0, 1].map((j) => a[j] + (s / 7) * (b[j] - a[j]))).flat();
    assert.ok(maxDiff((await shown(page)).strip!, nodeG(trained, lerp, 2)) <= TOLERANCE, 'the linear strip');

    // ?step=S opens that checkpoint; a step without one says so and opens the latest.
    await openPlay(page, 'ring8', '&step=30');
    assert.equal(await page.$eval('#checkpoint', (s) => (s as HTMLSelectElement).selectedOptions[0].text), 'step 30');
    const earlier = await checkpoint('ring8', 30, 'generatorAverage');
    assert.ok(maxDiff(await inPage(z), nodeG(earlier, z, 2)) <= TOLERANCE, 'the checkpoint of step 30');
    await openPlay(page, 'ring8', '&step=45');
    assert.equal(
      await page.textContent('#note'),
      'No checkpoint at step 45 (checkpoints: 30, 60); showing the latest.',
    );
    assert.ok(maxDiff(await inPage(z), nodeG(average, z, 2)) <= TOLERANCE, 'the latest checkpoint');

    earlier.dispose();
    trained.dispose();
    average.dispose();
    assert.deepEqual(errors, []);
    assert.deepEqual(outside, [], 'requests to outside the dashboard');
  },
);

test(
  "conditional runs: the class picker and InfoGAN's code pickers change G's code input",
  { skip, timeout: 180_000 },
  async () => {
    const { page, errors, outside } = chrome!;
    await openPlay(page, 'cgan');
    const cgan = await checkpoint('cgan', 60, 'generatorAverage');
    const drawn = await shown(page);
    const drawnClasses = new Set(
      Array.from({ length: 1000 }, (_, i) => drawn.codes!.slice(i * 8, i * 8 + 8).indexOf(1)),
    );
    assert.ok(drawnClasses.size === 8, `each sample its own class: ${[...drawnClasses]}`);
    await redrawn(page, () => page.selectOption('#class', '3'));
    const three = await shown(page);
    const expected = oneHot(new Int32Array(1000).fill(3), 8);
    assert.deepEqual(three.codes, Array.from(expected));
    assert.ok(maxDiff(three.outputs, nodeG(cgan, three.z, 2, expected)) <= TOLERANCE);
    cgan.dispose();

    // InfoGAN on ring8: 8 categorical values, 2 continuous codes; c1 fixed at 1.5, c2 as drawn.
    await openPlay(page, 'infogan');
    const info = await checkpoint('infogan', 60, 'generatorAverage');
    await redrawn(page, () => page.selectOption('#class', '2'));
    await redrawn(page, () => page.uncheck('#continuous-1-drawn'));
    await redrawn(page, () => page.locator('#continuous-1').fill('1.5'));
    const coded = await shown(page);
    for (let i = 0; i < 1000; i++) {
      const row = coded.codes!.slice(i * 10, i * 10 + 10);
      assert.deepEqual(row.slice(0, 9), [0, 0, 1, 0, 0, 0, 0, 0, 1.5], `codes of sample ${i}`);
      assert.ok(row[9] >= -1 && row[9] <= 1, `c2 of sample ${i} drawn from U(−1, 1): ${row[9]}`);
    }
    assert.ok(maxDiff(coded.outputs, nodeG(info, coded.z, 2, coded.codes)) <= TOLERANCE);
    info.dispose();
    assert.deepEqual(errors, []);
    assert.deepEqual(outside, [], 'requests to outside the dashboard');
  },
);

test(
  'an image run: a grid of 64 samples, G as in Node, the .npy download in N×H×W×C',
  { skip, timeout: 180_000 },
  async () => {
    const { page, errors, outside } = chrome!;
    await openPlay(page, 'tiny-images');
    assert.equal(await page.evaluate(() => document.body.dataset.samples), '64');
    assert.ok(await page.isHidden('#truncation-box'), 'no Jacobian truncation for images');
    const g = await checkpoint('tiny-images', 2, 'generator');
    const z = Array.from(drawLatents(new Rng(7), 'normal', 3, 100));
    const inPage = await page.evaluate((z) => (window as unknown as Hooks).gankitPlay.sample(z), z);
    assert.ok(maxDiff(inPage, nodeG(g, z, 100)) <= TOLERANCE);
    const npy = decodeNpy((await download(page, '#download-npy')).bytes);
    assert.deepEqual(npy.shape, [64, 28, 28, 1]);
    assert.ok(maxDiff(npy.data, nodeG(g, (await shown(page)).z, 100)) <= TOLERANCE);
    g.dispose();
    assert.deepEqual(errors, []);
    assert.deepEqual(outside, [], 'requests to outside the dashboard');
  },
);

test(
  "a --spectral-norm both image run: the dash folds G's layers into tfjs's own, the page's G is the checkpoint's",
  { skip, timeout: 180_000 },
  async () => {
    const { page, errors, outside } = chrome!;
    await openPlay(page, 'tiny-sn');
    assert.equal(await page.evaluate(() => document.body.dataset.samples), '64');
    const g = await checkpoint('tiny-sn', 2, 'generator');
    assert.ok(spectralLayers(g).length > 0, "the run's G has spectral layers");
    const z = Array.from(drawLatents(new Rng(8), 'normal', 3, 100));
    const inPage = await page.evaluate((z) => (window as unknown as Hooks).gankitPlay.sample(z), z);
    assert.ok(maxDiff(inPage, nodeG(g, z, 100)) <= TOLERANCE);
    g.dispose();
    assert.deepEqual(errors, []);
    assert.deepEqual(outside, [], 'requests to outside the dashboard');
  },
);

test("the page's toy bounds are src/data/toy.ts's", async () => {
  const { TOY_BOUNDS } = await webModule<{ TOY_BOUNDS: Record<string, unknown> }>('toy-bounds.js');
  assert.deepEqual(Object.keys(TOY_BOUNDS).sort(), [...TOY_DATASETS].sort());
  for (const name of TOY_DATASETS) assert.deepEqual(TOY_BOUNDS[name], toyDataset(name).bounds, name);
});
