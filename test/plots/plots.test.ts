import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import {
  curvesGeometry,
  dataToPixel,
  equalAspectSize,
  formatTick,
  layout2d,
  logNormalize,
  logTicks,
  MODE_RING_RADIUS,
  movingAverage,
  niceTicks,
  pixelToData,
  plot1d,
  plotCurves,
  plotDiscriminator2d,
  plotSamples2d,
  type Bounds,
  type Panel,
} from '../../src/plots/index.js';
import { gridOf, mixtureDensity, normalPdf, RING_BOUNDS, ringModes, sampleModes, sigmoid } from './fixtures.js';

function decode(buf: Buffer): PNG {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  return PNG.sync.read(buf);
}

function pixel(img: PNG, x: number, y: number): [number, number, number] {
  const k = (Math.round(y) * img.width + Math.round(x)) * 4;
  return [img.data[k], img.data[k + 1], img.data[k + 2]];
}

const isRed = ([r, g, b]: [number, number, number]) => r > 170 && g < 60 && b < 60;

test('nice ticks are the round values a person expects', () => {
  assert.deepEqual(niceTicks(0, 1).values, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(-4.2, 4.2).values, [-4, -2, 0, 2, 4]);
  assert.deepEqual(niceTicks(0, 5000, 8).values, [0, 1000, 2000, 3000, 4000, 5000]);
  assert.deepEqual(niceTicks(0.3, 0.7, 5).values, [0.3, 0.4, 0.5, 0.6, 0.7]);
  assert.deepEqual(logTicks(1e-3, 10).values, [0.001, 0.01, 0.1, 1, 10]);
  assert.deepEqual(logTicks(2, 30).values, [2, 5, 10, 20]);
  assert.ok(logTicks(1e-9, 1e9).values.length <= 7, 'wide log ranges thin out');
  assert.deepEqual(niceTicks(3, 3).values, [3]);
  assert.deepEqual(niceTicks(NaN, 1).values, []);
});

test('tick labels: no float noise, uniform decimals, short big numbers', () => {
  assert.deepEqual(
    niceTicks(0, 1).values.map((v) => formatTick(v, 0.2)),
    ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0'],
  );
  assert.deepEqual(
    niceTicks(-4.2, 4.2).values.map((v) => formatTick(v, 2)),
    ['-4', '-2', '0', '2', '4'],
  );
  assert.equal(formatTick(0.30000000000000004, 0.1), '0.3');
  assert.equal(formatTick(20000, 5000), '20k');
  assert.equal(formatTick(2500000, 500000), '2.5M');
  assert.deepEqual(
    logTicks(1e-3, 10).values.map((v) => formatTick(v)),
    ['0.001', '0.01', '0.1', '1', '10'],
  );
  assert.equal(formatTick(1e-6), '1e-6');
  // A learning-rate axis (0 … 2e-4): its zero matches its other labels' style.
  const lr = niceTicks(0, 2.1e-4, 4);
  assert.deepEqual(
    lr.values.map((v) => formatTick(v, lr.step)),
    ['0', '1.0e-4', '2.0e-4'],
  );
});

test('data → pixel mapping puts ymin at the bottom and round-trips', () => {
  const frame = { left: 64, top: 74, width: 600, height: 600, bounds: RING_BOUNDS };
  assert.deepEqual(dataToPixel(frame, -3, -3), [64, 674]);
  assert.deepEqual(dataToPixel(frame, 3, 3), [664, 74]);
  assert.deepEqual(dataToPixel(frame, 2, 0), [564, 374]);
  const [x, y] = pixelToData(frame, ...dataToPixel(frame, 1.25, -0.5));
  assert.ok(Math.abs(x - 1.25) < 1e-12 && Math.abs(y + 0.5) < 1e-12);
  // Equal aspect: a 2:1 data rectangle gets a 2:1 plot.
  assert.deepEqual(equalAspectSize({ xmin: 0, xmax: 2, ymin: 0, ymax: 1 }, 600, 600), [600, 300]);
});

test('plotSamples2d: sensible size and an open circle around each mode centre', async () => {
  const modes = ringModes(8, 2);
  const png = await plotSamples2d({
    fake: sampleModes(modes, 2500, 0.05, 2, [0, 1, 2, 4, 5, 6]),
    density: gridOf(RING_BOUNDS, 300, 300, mixtureDensity(modes, 0.02)),
    modes,
    bounds: RING_BOUNDS,
    title: 'ring',
    subtitle: 'step 2000 · modes 6/8',
  });
  const img = decode(png);
  assert.ok(img.width >= 640 && img.width <= 900, `width ${img.width}`);
  assert.ok(img.height >= 500 && img.height <= 900, `height ${img.height}`);
  const { frame } = layout2d(RING_BOUNDS, 'ring', 'step 2000 · modes 6/8');
  assert.equal(img.width, frame.left + frame.width + 24 + 180);
  // Uncovered mode 3 (at 135°): dark ring at MODE_RING_RADIUS px from its centre, the
  // blue density inside it.
  const [cx, cy] = dataToPixel(frame, modes[6], modes[7]);
  // Darkest pixel across the stroke (antialiasing spreads it over 1–2 pixels).
  const across = [-1, 0, 1].map((d) => pixel(img, Math.floor(cx + MODE_RING_RADIUS + d), Math.floor(cy)));
  const ring = across.reduce((m, p) => (p[0] + p[1] + p[2] < m[0] + m[1] + m[2] ? p : m));
  assert.ok(
    ring.every((c) => c < 110),
    `ring pixel ${ring}`,
  );
  const outside = pixel(img, cx + MODE_RING_RADIUS + 6, cy);
  assert.ok(
    outside.every((c) => c > 200),
    `nothing just outside the ring: ${outside}`,
  );
  const centre = pixel(img, cx, cy);
  assert.ok(centre[2] > centre[0] + 40, `density at mode centre is blue: ${centre}`);
  // Far from every mode: white background.
  assert.deepEqual(pixel(img, ...dataToPixel(frame, 0, 0)), [255, 255, 255]);
  // Covered mode 0: orange generated dots.
  const [ox, oy] = dataToPixel(frame, modes[0], modes[1]);
  const o = pixel(img, ox + 3, oy);
  assert.ok(o[0] > 180 && o[2] < 120, `generated dots are orange: ${o}`);
});

test('plotDiscriminator2d: D ≈ 1 is green ("real"), D ≈ 0 purple ("fake")', async () => {
  const bounds: Bounds = { xmin: -3, xmax: 3, ymin: -2, ymax: 2 };
  const field = gridOf(bounds, 60, 40, (x) => sigmoid(8 * x));
  const arrows = { points: new Float32Array([-1, 1, 1, 1]), dirs: new Float32Array([1, 0, 0.5, 0]) };
  const png = await plotDiscriminator2d({ field, fake: new Float32Array([0, -1.5]), arrows, bounds, title: 'D' });
  const img = decode(png);
  const { frame } = layout2d(bounds, 'D');
  assert.equal(img.width, frame.left + frame.width + 24 + 180);
  const real = pixel(img, ...dataToPixel(frame, 2.5, -1));
  const fake = pixel(img, ...dataToPixel(frame, -2.5, -1));
  const mid = pixel(img, ...dataToPixel(frame, 0, -1));
  assert.ok(real[1] > real[0] + 30 && real[1] > real[2] + 30, `D≈1 is green: ${real}`);
  assert.ok(fake[0] > fake[1] + 30 && fake[2] > fake[1] + 30, `D≈0 is purple: ${fake}`);
  assert.ok(
    mid.every((c) => c > 225),
    `D=0.5 is near white: ${mid}`,
  );
  // The longest arrow is 6% of the plot width: its tip region is dark.
  const [ax, ay] = dataToPixel(frame, -1, 1);
  const tip = pixel(img, ax + 0.06 * frame.width - 3, ay);
  assert.ok(
    tip.every((c) => c < 100),
    `arrow head drawn: ${tip}`,
  );
  const beyond = pixel(img, ax + 0.06 * frame.width + 6, ay);
  assert.ok(beyond[0] > 100, `arrow stops at 6%: ${beyond}`);
});

test('plot1d renders two panels with the learned D in green', async () => {
  const n = 200;
  const xs = new Float32Array(n);
  const pData = new Float32Array(n);
  const pG = new Float32Array(n);
  const dOpt = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = -4 + (9 * i) / (n - 1);
    pData[i] = normalPdf(xs[i], 2, 0.5);
    pG[i] = normalPdf(xs[i], 0, 1);
    dOpt[i] = pData[i] / (pData[i] + pG[i]);
  }
  /** Pixels of the learned D's green and p_g's orange, and the mean row of the green ones left of the legends. */
  const render = async (dLearned: Float32Array, g: Float32Array) => {
    const img = decode(await plot1d({ xs, dLearned, dOptimal: dOpt, pData, pG: g, title: '1D' }));
    let [green, orange, rows, plotted] = [0, 0, 0, 0];
    for (let k = 0; k < img.data.length; k += 4) {
      const [r, gr, b] = [img.data[k], img.data[k + 1], img.data[k + 2]];
      if (gr > 130 && r < 60 && b > 90 && b < 150) {
        green++;
        if ((k / 4) % img.width < 0.6 * img.width)
          [rows, plotted] = [rows + Math.floor(k / 4 / img.width), plotted + 1];
      }
      if (r > 200 && gr > 80 && gr < 120 && b < 40) orange++;
    }
    return { img, green, orange, row: rows / plotted };
  };
  const drawn = await render(
    dOpt.map((v) => v * 0.8 + 0.1),
    pG,
  );
  assert.ok(drawn.img.width >= 640 && drawn.img.width <= 900);
  // Against the same figure without the two lines (only their legend swatches stay).
  const none = await render(new Float32Array(n).fill(NaN), new Float32Array(n).fill(NaN));
  assert.ok(drawn.green > 300 + none.green, `learned D line present (${drawn.green} px, ${none.green} without it)`);
  assert.ok(drawn.orange > 300 + none.orange, `p_g line present (${drawn.orange} px, ${none.orange} without it)`);
  // A constant D of 0.1, 0.5, 0.9 is a horizontal line: higher for larger D, equally spaced (a linear axis).
  const [low, mid, high] = await Promise.all([0.1, 0.5, 0.9].map((d) => render(new Float32Array(n).fill(d), pG)));
  assert.ok(high.row < mid.row && mid.row < low.row, `rows ${high.row}, ${mid.row}, ${low.row}`);
  assert.ok(Math.abs(low.row - mid.row - (mid.row - high.row)) < 1.5, `rows ${high.row}, ${mid.row}, ${low.row}`);
});

test('plotCurves: NaN values are skipped and marked red at the top of their panel', async () => {
  const steps = Array.from({ length: 101 }, (_, i) => i * 10);
  const values = steps.map((s) => (s === 500 ? NaN : s === 700 ? Infinity : Math.exp(-s / 300)));
  const panels: Panel[] = [
    { title: 'Losses', series: [{ name: 'D loss', steps, values }], smooth: 5 },
    { title: 'Log', logY: true, series: [{ name: 'KL', steps, values }] },
    {
      title: 'One point',
      series: [
        { name: 'FID', steps: [300], values: [42] },
        { name: 'none', steps: [], values: [] },
      ],
    },
    { title: 'Empty', series: [] },
  ];
  const img = decode(await plotCurves({ title: 'curves', panels }));
  const g = curvesGeometry(panels);
  assert.deepEqual([img.width, img.height], [g.width, g.height]);
  // The positions looked up below, by hand: one step axis over every finite step (0 … 1000) spans each panel's width.
  for (const s of [0, 300, 500, 700, 1000])
    assert.ok(Math.abs(g.x(s) - (g.panels[0].left + (s / 1000) * g.panels[0].width)) < 1e-9, `step ${s}`);
  g.panels.forEach((r, k) => {
    assert.deepEqual([r.left, r.width], [g.panels[0].left, g.panels[0].width]);
    if (k > 0) assert.ok(r.top >= g.panels[k - 1].top + g.panels[k - 1].height, `panel ${k} below panel ${k - 1}`);
  });
  assert.ok(g.panels[3].top + g.panels[3].height <= img.height);
  for (const k of [0, 1]) {
    const r = g.panels[k];
    for (const s of [500, 700]) assert.ok(isRed(pixel(img, g.x(s), r.top + 5)), `panel ${k} step ${s} marked`);
    assert.ok(!isRed(pixel(img, g.x(300), r.top + 5)), 'finite steps unmarked');
  }
  // The single point is drawn as a dot in the first series colour (blue).
  const r2 = g.panels[2];
  const dot = pixel(img, g.x(300), r2.top + r2.height / 2);
  assert.ok(dot[2] > 150 && dot[0] < 60, `single point visible: ${dot}`);
  // No red anywhere in a panel without non-finite values.
  const r3 = g.panels[3];
  for (let x = r3.left; x < r3.left + r3.width; x += 3) assert.ok(!isRed(pixel(img, x, r3.top + 5)));
});

test('plotCurves with no panels or only empty series still renders', async () => {
  decode(await plotCurves({ title: 'nothing', panels: [] }));
  decode(
    await plotCurves({
      title: 'empty',
      panels: [{ title: 'x', series: [{ name: 'a', steps: [], values: [] }], logY: true }],
    }),
  );
});

test('moving average ignores non-finite values and keeps their gaps', () => {
  const m = movingAverage([1, 2, NaN, 4, 5], 3);
  assert.deepEqual(
    [...m].map((v) => (Number.isNaN(v) ? 'gap' : v)),
    [1.5, 1.5, 'gap', 4.5, 4.5],
  );
  const l = movingAverage([1, 100], 2, true);
  assert.ok(Math.abs(l[1] - 10) < 1e-9, 'log-space average');
});

test('log normalisation makes a 1e-3 tail visible and zero white', () => {
  const t = logNormalize([0, 1e-3, 1], 3);
  assert.deepEqual([...t], [0, 0, 1]);
  const t5 = logNormalize([0, 1e-3, 1], 5);
  assert.ok(Math.abs(t5[1] - 0.4) < 1e-6);
});

test('invalid bounds are rejected with a clear error', async () => {
  await assert.rejects(
    plotSamples2d({ fake: new Float32Array(0), bounds: { xmin: 1, xmax: 1, ymin: 0, ymax: 1 }, title: 'x' }),
    /bounds/,
  );
});
