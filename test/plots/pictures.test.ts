// Pictures a person reads at a glance, checked on their decoded pixels: each metric of
// curves.png on an axis of its own, the learning-rate panel, resume and warning marks,
// a legend whose faint swatch is what is drawn; D* only where the densities are, under a
// visible D = 0.5 line; labelled, enlarged image grids whose tiles keep their bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { curvesGeometry, plot1d, plotCurves, SERIES_COLORS } from '../../src/plots/index.js';
import { HALF_LINE, plot1dGeometry } from '../../src/plots/plot1d.js';
import { MARK_STYLES } from '../../src/plots/curves.js';
import { labelledGrid, labelledGridGeometry, tilingFor } from '../../src/plots/labelled-grid.js';
import { tileImages, toByte } from '../../src/plots/grid.js';
import { History } from '../../src/run/stats.js';
import { curveEvents, curvePanels, resumeSteps } from '../../src/train/curve-panels.js';
import { normalPdf } from './fixtures.js';

type RGB = [number, number, number];
const rgbOf = (hex: string): RGB => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as RGB;
/** `color` at `alpha` over white, as the canvas blends it. */
const overWhite = (c: RGB, alpha: number): RGB => c.map((v) => 255 + alpha * (v - 255)) as RGB;
const near = (a: RGB, b: RGB, tolerance: number) => a.every((v, i) => Math.abs(v - b[i]) <= tolerance);

function at(img: PNG, x: number, y: number): RGB {
  const k = (Math.round(y) * img.width + Math.round(x)) * 4;
  return [img.data[k], img.data[k + 1], img.data[k + 2]];
}

/** Rows of `rect` (inside its border) holding a pixel within `tolerance` of `color`. */
function rowsWith(img: PNG, rect: { left: number; top: number; width: number; height: number }, color: RGB) {
  const rows: number[] = [];
  for (let y = rect.top + 2; y < rect.top + rect.height - 1; y++)
    for (let x = rect.left + 2; x < rect.left + rect.width - 1; x++)
      if (near(at(img, x, y), color, 30)) {
        rows.push(y);
        break;
      }
  return rows;
}

/** A toy run's record: 600 steps, lr decaying linearly from 1e-3 and halved at a rollback to 300, evaluations. */
function toyHistory(): History {
  const h = new History('/nonexistent/stats.jsonl');
  for (let step = 1; step <= 600; step++) {
    const lr = 1e-3 * (1 - (0.9 * (step - 1)) / 600) * (step > 300 ? 0.5 : 1);
    h.add({
      step,
      lossD: 1.3 + 0.2 * Math.cos(1.7 * step),
      lossG: 0.7 + 0.1 * Math.sin(step),
      dReal: 0.6,
      dFake: 0.4,
      lr,
      seconds: step / 10,
    });
  }
  for (let k = 0; k <= 6; k++) {
    const step = k * 100;
    const reverseKL = 0.3 * (0.01 / 0.3) ** (k / 6); // 0.3 → 0.01
    h.add({ step, metrics: { modes: 8, totalModes: 8, highQuality: 0.5 + 0.07 * k, reverseKL } });
  }
  return h;
}

test('curves.png: reverse KL has an axis of its own, so 0.3 → 0.01 is not drawn flat', async () => {
  const panels = curvePanels(toyHistory(), 'aux');
  const k = panels.findIndex((p) => /reverse KL/i.test(p.title));
  assert.ok(k >= 0, `a reverse KL panel among ${panels.map((p) => p.title)}`);
  assert.deepEqual(
    panels[k].series.map((s) => s.name),
    ['reverse KL'],
    'no other metric shares its axis',
  );
  const img = PNG.sync.read(await plotCurves({ title: 'curves', panels }));
  const rect = curvesGeometry(panels).panels[k];
  const rows = rowsWith(img, rect, rgbOf(SERIES_COLORS[0]));
  const span = Math.max(...rows) - Math.min(...rows);
  // The values fill (0.3 − 0.01)/0.3 of an axis from 0: most of the panel's height.
  assert.ok(span > 0.7 * rect.height, `reverse KL spans ${span} of ${rect.height} px`);
  // The high-quality fraction keeps [0, 1].
  const fractions = panels.find((p) => /fraction/i.test(p.title));
  assert.deepEqual([fractions?.yMin, fractions?.yMax], [0, 1]);
});

test('curves.png: a learning-rate panel shows the decay and the halving at a rollback', async () => {
  const history = toyHistory();
  const panels = curvePanels(history, 'aux');
  const k = panels.findIndex((p) => /learning rate/i.test(p.title));
  assert.ok(k >= 0, `a learning-rate panel among ${panels.map((p) => p.title)}`);
  const img = PNG.sync.read(await plotCurves({ title: 'curves', panels, ...curveEvents(history) }));
  const g = curvesGeometry(panels);
  const rect = g.panels[k];
  const bottom = rect.top + rect.height; // lr 0 (the panel's yMin)
  const blue = rgbOf(SERIES_COLORS[0]);
  /** Height above the panel's bottom of the lr line at `step`. */
  const heightAt = (step: number) => {
    const x = Math.round(g.x(step));
    for (let y = rect.top + 2; y < bottom - 1; y++) if (near(at(img, x, y), blue, 40)) return bottom - y;
    return NaN;
  };
  const lr = (step: number) => 1e-3 * (1 - (0.9 * (step - 1)) / 600) * (step > 300 ? 0.5 : 1);
  // On a linear axis from 0, heights are proportional to the values the test computed.
  for (const [a, b] of [
    [50, 280],
    [280, 320],
    [320, 580],
  ]) {
    const ratio = heightAt(b) / heightAt(a);
    assert.ok(Math.abs(ratio - lr(b) / lr(a)) < 0.05, `lr(${b})/lr(${a}): drawn ${ratio}, expected ${lr(b) / lr(a)}`);
  }
});

test('curves.png: resumes and warnings are marked across every panel', async () => {
  const history = toyHistory();
  history.add({ step: 200, warning: 'mode collapse: 3 of 8 modes' });
  history.add({ step: 400, resume: { steps: 1000 } });
  const events = curveEvents(history);
  assert.deepEqual(events.marks, [
    { step: 400, kind: 'resume' },
    { step: 200, kind: 'warning' },
  ]);
  const panels = curvePanels(history, 'aux');
  const img = PNG.sync.read(await plotCurves({ title: 'curves', panels, ...events }));
  const g = curvesGeometry(panels);
  const count = (x: number, rect: (typeof g.panels)[number], color: RGB) => {
    let n = 0;
    for (let y = rect.top + 2; y < rect.top + rect.height - 1; y++) if (near(at(img, x, y), color, 25)) n++;
    return n;
  };
  for (const rect of g.panels) {
    const resume = count(Math.round(g.x(400)), rect, rgbOf(MARK_STYLES.resume.color));
    const warning = count(Math.round(g.x(200)), rect, rgbOf(MARK_STYLES.warning.color));
    assert.ok(resume > 0.6 * rect.height, `resume line ${resume} px of ${rect.height}`);
    assert.ok(warning > 0.25 * rect.height, `dotted warning line ${warning} px of ${rect.height}`);
    assert.equal(count(Math.round(g.x(100)), rect, rgbOf(MARK_STYLES.warning.color)), 0, 'nothing at step 100');
  }
});

test('a record whose seconds restart (an older resumed run) marks the resume at the last step before', () => {
  const h = new History('/nonexistent/stats.jsonl');
  for (let step = 1; step <= 10; step++)
    h.add({ step, lossD: 1, lossG: 1, dReal: 0.5, dFake: 0.5, lr: 1e-3, seconds: step <= 6 ? step : step - 6 });
  assert.deepEqual(resumeSteps(h), [6]);
});

test("curves.png: the legend's faint swatch has the faint lines' colours, not a grey", async () => {
  const history = toyHistory();
  const panels = curvePanels(history, 'aux');
  const img = PNG.sync.read(await plotCurves({ title: 'curves', panels }));
  const rect = curvesGeometry(panels).panels[0]; // Losses: D loss (blue), G loss (vermillion), averaged
  const legend = { left: rect.left + rect.width + 20, top: rect.top, width: 40, height: rect.height };
  const faint = [0, 1].map((i) => overWhite(rgbOf(SERIES_COLORS[i]), 0.28));
  const has = (region: typeof rect, color: RGB) => {
    for (let y = region.top; y < region.top + region.height; y++)
      for (let x = region.left; x < region.left + region.width; x++) if (near(at(img, x, y), color, 4)) return true;
    return false;
  };
  for (const color of faint) {
    assert.ok(has(rect, color), `the plot draws ${color}`);
    assert.ok(has(legend, color), `the legend shows ${color}`);
  }
  assert.ok(!has(legend, overWhite([0x55, 0x55, 0x55], 0.35)), 'the old grey swatch is gone');
});

/** p_data = N(2, 0.5), p_g = N(0, 1) on [−6, 8]: both ≈ 0 beyond x < −3.5 and x > 5. */
function oneD(dLearned: (x: number) => number) {
  const n = 400;
  const xs = Float32Array.from({ length: n }, (_, i) => -6 + (14 * i) / (n - 1));
  const pData = xs.map((x) => normalPdf(x, 2, 0.5));
  const pG = xs.map((x) => normalPdf(x, 0, 1));
  // D* as a careless caller computes it: 1 or 0 in the tails, where it means nothing.
  const dOptimal = xs.map((x, i) => (pData[i] + pG[i] > 0 ? pData[i] / (pData[i] + pG[i]) : x > 0 ? 1 : 0));
  return { xs, pData, pG, dOptimal, dLearned: xs.map(dLearned), title: '1D' };
}

test('plot1d: D* is drawn where the densities are, not in the tails', async () => {
  const o = oneD(() => NaN);
  const img = PNG.sync.read(await plot1d(o));
  const g = plot1dGeometry(o);
  const dark = (x: number) => {
    let n = 0;
    for (let y = g.top.top + 3; y < g.top.top + g.top.height - 2; y++) if (at(img, x, y).every((v) => v < 60)) n++;
    return n;
  };
  let tails = 0;
  let middle = 0;
  for (let px = g.top.left + 3; px < g.top.left + g.top.width - 2; px++) {
    const x = g.x.domain[0] + ((px - g.top.left) / g.top.width) * (g.x.domain[1] - g.x.domain[0]);
    // p_data + p_g below 0.2% of its maximum (≈ 0.8) at both ends of the axis.
    if (x < -3.6 || x > 5.2) tails += dark(px);
    if (x > -1 && x < 3) middle += dark(px);
  }
  assert.equal(tails, 0, 'no D* pixels in the tails');
  assert.ok(middle > 80, `D* drawn where the densities are (${middle} px)`);
});

test('plot1d: the D = 0.5 line stays visible along its length over a learned D of 0.5', async () => {
  const o = oneD(() => 0.5);
  const img = PNG.sync.read(await plot1d(o));
  const g = plot1dGeometry(o);
  const row = Math.round(g.yD(0.5));
  const grey = rgbOf(HALF_LINE.color);
  const period = HALF_LINE.dash[0] + HALF_LINE.dash[1];
  // Every stretch of one dash period along the panel shows the line's grey on its row.
  for (let x = g.top.left + 2; x + period < g.top.left + g.top.width - 2; x += period) {
    const seen = Array.from({ length: period }, (_, k) => at(img, x + k, row)).some((c) => near(c, grey, 20));
    assert.ok(seen, `0.5 line visible at x = ${x}`);
  }
});

/** n images of h × w × c, distinct values spanning [−1, 1], black included. */
function ramp(n: number, h: number, w: number, c: number): Float32Array {
  const size = n * h * w * c;
  return Float32Array.from({ length: size }, (_, i) => -1 + (2 * ((i * 7919) % size)) / (size - 1));
}

test('a labelled class grid: title and row labels drawn, tiles enlarged to ≥ 512 px with their bytes kept', async () => {
  const [rows, columns, h, w] = [10, 10, 28, 28];
  const n = rows * columns;
  const images = ramp(n, h, w, 1);
  const picture = tileImages(images, [n, h, w, 1], { columns });
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
  const labels = { title: 'run · fashion-mnist · step 30 · G', rowHeading: 'class', rowLabels: names };
  const png = await labelledGrid(picture, tilingFor(n, h, w, columns), labels);
  assert.equal((await sharp(png).metadata()).channels, 1, 'a grey grid stays one channel');
  const { data, info } = await sharp(png).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const g = labelledGridGeometry(picture, labels);
  assert.deepEqual([info.width, info.height], [g.width, g.height]);
  assert.ok(g.scale >= 2 && Number.isInteger(g.scale) && info.width >= 512, `scale ${g.scale}, width ${info.width}`);
  const byte = (x: number, y: number) => data[y * info.width + x];
  // Every tile pixel, as the test computes it: 2 px padding, round((v + 1)·127.5), repeated scale × scale.
  for (let y = 0; y < (rows * (h + 2) + 2) * g.scale; y++) {
    for (let x = 0; x < (columns * (w + 2) + 2) * g.scale; x++) {
      const [sx, sy] = [Math.floor(x / g.scale), Math.floor(y / g.scale)];
      const [tx, ty] = [(sx - 2) % (w + 2), (sy - 2) % (h + 2)];
      const tile = Math.floor((sy - 2) / (h + 2)) * columns + Math.floor((sx - 2) / (w + 2));
      const inside = sx >= 2 && sy >= 2 && tx < w && ty < h;
      const expected = inside ? toByte(images[(tile * h + ty) * w + tx]) : 255;
      if (byte(g.left + x, g.top + y) !== expected) assert.fail(`pixel (${x}, ${y}) of the tiles`);
    }
  }
  const inked = (x0: number, y0: number, x1: number, y1: number) => {
    let n = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (byte(x, y) < 128) n++;
    return n;
  };
  assert.ok(inked(0, 0, info.width, g.headerHeight) > 100, 'title drawn');
  for (let r = 0; r < rows; r++) {
    const top = g.top + (2 + r * (h + 2)) * g.scale;
    assert.ok(inked(0, top, g.left, top + h * g.scale) > 20, `row ${r} (${names[r]}) labelled`);
  }
});

test('a labelled traversal: each column carries its sweep value', async () => {
  const [rows, columns, h, w] = [10, 9, 8, 8];
  const n = rows * columns;
  const picture = tileImages(ramp(n, h, w, 3), [n, h, w, 3], { columns });
  const labels = {
    title: 'Continuous code c1 from −2 to 2',
    rowHeading: 'categorical code',
    rowLabels: Array.from({ length: rows }, (_, k) => `code ${k}`),
    columnHeading: 'c1 =',
    columnLabels: ['−2', '−1.5', '−1', '−0.5', '0', '0.5', '1', '1.5', '2'],
  };
  const png = await labelledGrid(picture, tilingFor(n, h, w, columns), labels);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 3);
  const g = labelledGridGeometry(picture, labels);
  assert.ok(info.width >= 512);
  for (let c = 0; c < columns; c++) {
    const left = g.left + (2 + c * (w + 2)) * g.scale;
    let ink = 0;
    for (let y = g.top - 22; y < g.top; y++)
      for (let x = left; x < left + w * g.scale; x++) if (data[(y * info.width + x) * 3] < 128) ink++;
    assert.ok(ink > 5, `column ${c} (${labels.columnLabels[c]}) labelled`);
  }
});

test('labels that do not match the rows are refused', async () => {
  const picture = tileImages(ramp(4, 2, 2, 1), [4, 2, 2, 1], { columns: 2 });
  await assert.rejects(
    labelledGrid(picture, tilingFor(4, 2, 2, 2), { title: 't', rowLabels: ['a'] }),
    /Expected 2 row labels \(one per row\) but received 1/,
  );
});
