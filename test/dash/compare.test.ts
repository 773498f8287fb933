// The comparison page (/app/compare.html) in real Chromium against a real `gankit
// dash`: two ring8 runs trained through the CLI with known differences in their
// options and snapshot steps, and a run whose stats.jsonl the test writes with known
// values. Also the pages' pure functions (smoothing, the differing options, the
// curves' alignment, interpolation, the .npy encoder) against formulas and src/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { decodeNpy } from '../../src/io/npy.js';
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

type Series = (number | null)[];
const { smooth } = await webModule<{ smooth(v: Series, w: number): Series }>('smoothing.js');
const data = await webModule<{
  differingOptions(o: Record<string, unknown>[]): { key: string; values: unknown[] }[];
  parseStats(text: string): { step: number }[];
  chartsOf(runs: unknown[][]): { key: string; steps: number[]; values: Series[] }[];
}>('compare-data.js');

/** The debiased EMA by its definition: m_t = w·m_{t−1} + (1 − w)·v_t from m_0 = 0, shown as m_t / (1 − w^t). */
function debiasedEma(values: number[], w: number): number[] {
  let m = 0;
  return values.map((v, i) => {
    m = w * m + (1 - w) * v;
    return m / (1 - w ** (i + 1));
  });
}

test('smooth is the debiased EMA; gaps stay gaps and do not move the average', () => {
  const values = [3, 1, 4, 1, 5, 9, 2, 6];
  for (const w of [0, 0.5, 0.9, 0.99])
    assert.ok(maxDiff(smooth(values, w) as number[], debiasedEma(values, w)) < 1e-12);
  // The first smoothed value is the first value: no pull towards zero.
  assert.equal(smooth([10], 0.9)[0], 10);
  const gapped = smooth([3, null, 1, NaN, 4], 0.5);
  assert.deepEqual([gapped[1], gapped[3]], [null, null]);
  assert.ok(maxDiff([gapped[0]!, gapped[2]!, gapped[4]!], debiasedEma([3, 1, 4], 0.5)) < 1e-12);
  assert.throws(() => smooth([1], 1), /Expected a smoothing weight in \[0, 1\) but received 1/);
});

test('differingOptions lists the options whose values differ, a missing one included, out aside', () => {
  const rows = data.differingOptions([
    { seed: 1, gHidden: [8, 8], loss: 'hinge', out: '/a', only: 1 },
    { seed: 2, gHidden: [8, 8], loss: 'hinge', out: '/b' },
  ]);
  assert.deepEqual(rows, [
    { key: 'only', values: [1, undefined] },
    { key: 'seed', values: [1, 2] },
  ]);
});

test("chartsOf aligns the runs' steps, null where a run has none; parseStats drops a torn last line", () => {
  const a = data.parseStats('{"step":1,"lossD":1,"lossG":2}\n{"step":3,"lossD":3,"lossG":4}\n{"step":4,"lo');
  const b = data.parseStats('{"step":2,"lossD":5,"lossG":6}\n{"step":3,"metrics":{"modes":7,"totalModes":8}}\n');
  assert.deepEqual(
    a.map((l) => l.step),
    [1, 3],
  );
  const charts = data.chartsOf([a, b]);
  assert.deepEqual(
    charts.map((c) => c.key),
    ['lossD', 'lossG', 'metric:modes'],
  );
  assert.deepEqual(charts[0].steps, [1, 2, 3]);
  assert.deepEqual(charts[0].values, [
    [1, null, 3],
    [null, 5, null],
  ]);
  assert.deepEqual(charts[2].values, [[null], [7]]);
});

test('interpolate: straight and great-circle paths from a to b; encodeNpy parses with src/io/npy.ts', async () => {
  const { interpolate } = await webModule<{
    interpolate(a: Float32Array, b: Float32Array, steps: number, spherical: boolean): Float32Array;
  }>('latent.js');
  const [a, b] = [Float32Array.from([1, 0]), Float32Array.from([0, 2])];
  const line = interpolate(a, b, 3, false);
  assert.deepEqual(Array.from(line), [1, 0, 0.5, 1, 0, 2]);
  const arc = interpolate(a, b, 3, true); // ω = 90°: the middle is (a + b)·sin 45° / sin 90°
  assert.ok(maxDiff(arc, [1, 0, Math.SQRT1_2, 2 * Math.SQRT1_2, 0, 2]) < 1e-6);
  const { encodeNpy } = await webModule<{ encodeNpy(d: Float32Array, s: number[]): Uint8Array }>('npy.js');
  for (const shape of [[5], [2, 3], [1, 2, 2, 1]]) {
    const values = Float32Array.from({ length: shape.reduce((x, y) => x * y) }, (_, i) => i / 3 - 1);
    const parsed = decodeNpy(Buffer.from(encodeNpy(values, shape)));
    assert.deepEqual(parsed.shape, shape);
    assert.deepEqual(Array.from(parsed.data), Array.from(values));
  }
});

const skip = needsChromium();
let runs: string;
let dash: Dash | undefined;
let chrome: Chromium | undefined;
// Known values of the written run's D loss: a step curve with a jump, to see smoothing at work.
const WRITTEN_LOSS = Array.from({ length: 40 }, (_, i) => (i < 20 ? 1 : 0.2) + 0.05 * Math.sin(i));

before(async () => {
  if (skip) return;
  runs = tempRuns('gankit-compare-');
  // Known differences: B has another seed and D rate and Adam β2, and its pictures every 20 steps (A: 30).
  await trainToy(path.join(runs, 'a'));
  await trainToy(path.join(runs, 'b'), ['--seed', '2', '--lr-d', '0.001', '--beta2', '0.99', '--plot-every', '20']);
  const written = path.join(runs, 'written');
  mkdirSync(written);
  writeFileSync(
    path.join(written, 'stats.jsonl'),
    WRITTEN_LOSS.map((v, i) => JSON.stringify({ step: i + 1, lossD: v, lossG: 1, dReal: 0.5, dFake: 0.5, lr: 1e-3 }))
      .join('\n')
      .concat('\n'),
  );
  writeFileSync(path.join(written, 'options.json'), readFileSync(path.join(runs, 'a', 'options.json')));
  dash = await startDash(runs);
  chrome = await openChromium(dash);
});

after(async () => {
  await chrome?.browser.close();
  await dash?.stop();
});

type Hooks = { gankitCompare: { charts(): { key: string; data: Series[] }[] } };

test(
  'two runs: only their differing options, snapshots at one step side by side, the chart PNG, the GIF link',
  { skip, timeout: 180_000 },
  async () => {
    const { page, errors, outside, context } = chrome!;
    const options = ['a', 'b'].map((r) => JSON.parse(readFileSync(path.join(runs, r, 'options.json'), 'utf8')));
    // The fixture is what the test says it is: these differ, and out, and nothing else.
    const differ = Object.keys(options[0]).filter(
      (k) => JSON.stringify(options[0][k]) !== JSON.stringify(options[1][k]),
    );
    assert.deepEqual(differ.sort(), ['beta2', 'lrD', 'out', 'plotEvery', 'seed']);

    await page.goto(`${originOf(dash!)}/app/compare.html?run=a&run=b`);
    await page.waitForSelector('body[data-state]', { timeout: 60_000 });
    assert.equal(
      await page.evaluate(() => document.body.dataset.state),
      'ready',
      (await page.textContent('#status')) ?? '',
    );
    const table = await page.$$eval('#options tr[data-option]', (rows) =>
      rows.map((r) => [...r.children].map((c) => c.textContent)),
    );
    assert.deepEqual(table, [
      ['beta2', '0.9', '0.99'],
      ['lrD', '0.002', '0.001'],
      ['plotEvery', '30', '20'],
      ['seed', '1', '2'],
    ]);
    assert.deepEqual(await page.$$eval('#legend a', (a) => a.map((e) => e.textContent)), ['a', 'b']);

    // The slider runs over every step either run has a samples picture at: 20, 30, 40, 60.
    const slider = page.locator('#step');
    assert.equal(await slider.getAttribute('max'), '3');
    const at = async (index: number) => {
      await slider.fill(String(index));
      await page.waitForFunction(() =>
        [...document.querySelectorAll('#snapshots img')].every((i) => (i as HTMLImageElement).complete),
      );
      return page.$$eval('#snapshots figure', (figures) =>
        figures.map((f) => {
          const img = f.querySelector('img');
          return img
            ? { src: img.getAttribute('src'), width: img.naturalWidth }
            : f.querySelector('.none')!.textContent;
        }),
      );
    };
    const only = await at(2);
    assert.deepEqual(only[0], 'no samples picture at step 40');
    assert.equal(typeof only[1] !== 'string' && only[1].src, '/files/b/snapshots/step-0000040-samples.png');
    const both = await at(3);
    assert.deepEqual(
      both.map((s) => (typeof s === 'string' ? s : s.src)),
      ['/files/a/snapshots/step-0000060-samples.png', '/files/b/snapshots/step-0000060-samples.png'],
    );
    assert.ok(
      both.every((s) => typeof s !== 'string' && s.width > 0),
      'both pictures loaded',
    );

    // A metric evaluated once a run is drawn as it is: smoothing would only make it lag its points.
    const kl = (await page.evaluate(() => (window as unknown as Hooks).gankitCompare.charts())).find(
      (c) => c.key === 'metric:reverseKL',
    )!.data;
    assert.deepEqual([kl[2], kl[4]], [kl[1], kl[3]]);
    assert.ok(kl[1].some((v) => v !== null) && kl[3].some((v) => v !== null), 'both runs have reverseKL');

    // The chart PNG: the legend row, then each chart's title row and canvas (device pixel ratio 1).
    const charts = await page.locator('.chart').count();
    assert.equal(charts, 8, 'D and G loss, D(x), D(G(z)), learning rate, and the three final mode metrics');
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#download-png')]);
    assert.equal(png.suggestedFilename(), 'compare-a-b.png');
    const image = sharp(readFileSync((await png.path())!));
    const meta = await image.metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 760, 28 + charts * (22 + 200)]);
    // Both runs' colours (Okabe–Ito blue and vermillion) are in it.
    const { data: pixels } = await image.raw().toBuffer({ resolveWithObject: true });
    const has = (rgb: number[]) => {
      for (let i = 0; i < pixels.length; i += meta.channels!)
        if (Math.abs(pixels[i] - rgb[0]) + Math.abs(pixels[i + 1] - rgb[1]) + Math.abs(pixels[i + 2] - rgb[2]) < 6)
          return true;
      return false;
    };
    assert.ok(has([0x00, 0x72, 0xb2]) && has([0xd5, 0x5e, 0x00]), "the runs' colours are in the PNG");

    // The GIF comes from the server, for these runs and the chosen picture.
    const gif = await page.getAttribute('#gif', 'href');
    assert.equal(gif, '/api/gif?run=a&run=b&kind=samples');
    const answer = await context.request.get(originOf(dash!) + gif);
    assert.equal(answer.status(), 200);
    assert.match((await answer.body()).subarray(0, 6).toString('latin1'), /^GIF8[79]a$/);

    assert.deepEqual(errors, []);
    assert.deepEqual(outside, [], 'requests to outside the dashboard');
  },
);

test(
  "a written run's curve is drawn raw and smoothed by the debiased EMA at the slider's weight",
  { skip, timeout: 60_000 },
  async () => {
    const { page, errors, outside } = chrome!;
    await page.goto(`${originOf(dash!)}/app/compare.html?run=written&run=a`);
    await page.waitForSelector('body[data-state]', { timeout: 60_000 });
    const lossD = async () =>
      (await page.evaluate(() => (window as unknown as Hooks).gankitCompare.charts())).find((c) => c.key === 'lossD')!
        .data;
    const steps = 60; // run a's steps; the written run has 40 of them
    for (const w of [0.6, 0.9]) {
      await page.locator('#smoothing').fill(String(w));
      const [x, raw, smoothed] = await lossD();
      assert.deepEqual(
        x,
        Array.from({ length: steps }, (_, i) => i + 1),
      );
      assert.deepEqual(raw.slice(0, 40), WRITTEN_LOSS);
      assert.deepEqual(raw.slice(40), new Array(20).fill(null));
      assert.ok(maxDiff(smoothed.slice(0, 40) as number[], debiasedEma(WRITTEN_LOSS, w)) < 1e-12, `weight ${w}`);
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(outside, [], 'requests to outside the dashboard');
  },
);
