// The 1D samples picture: its histogram is a density, and its bars stand where the
// samples are (read off the pixels), with nothing drawn where there are none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { histogramDensity, plotSamples1d, SAMPLES1D_PLOT } from '../../src/plots/samples1d.js';
import { Rng } from '../../src/rng.js';

const normal = (mean: number, std: number) => (xs: Float32Array) =>
  xs.map((x) => Math.exp(-0.5 * ((x - mean) / std) ** 2) / (std * Math.sqrt(2 * Math.PI)));

test('histogramDensity: bars integrate to the share of samples in range; the rest are counted outside', () => {
  // 4 samples: two in [0, 1), one in [1, 2), one beyond 2; 2 bins over [0, 2].
  const { heights, width, outside } = histogramDensity([0.2, 0.7, 1.5, 9], 0, 2, 2);
  assert.equal(width, 1);
  assert.deepEqual([...heights], [2 / 4, 1 / 4]);
  assert.equal(outside, 1);
  // The right end belongs to the last bar; NaN is outside.
  assert.deepEqual([...histogramDensity([2, NaN], 0, 2, 2).heights], [0, 0.5]);
  assert.equal(histogramDensity([2, NaN], 0, 2, 2).outside, 1);
});

test('samples.png (1D): orange bars only over the samples, from x = 1 to 1.5, under the data density', async () => {
  const bounds = { xmin: -2, xmax: 5 };
  // Samples uniform on [1, 1.5]: the bars must cover exactly that stretch of the axis.
  const fake = new Rng(4).fillUniform(new Float32Array(5000), 1, 1.5);
  const png = PNG.sync.read(await plotSamples1d({ fake, bounds, density: normal(2, 0.5), title: 'test' }));
  const column = (x: number) =>
    SAMPLES1D_PLOT.left + ((x - bounds.xmin) / (bounds.xmax - bounds.xmin)) * SAMPLES1D_PLOT.width;
  // The bars: the generated colour (#E66100), filled at 55% over white (about 241, 168, 115) and outlined.
  const orange = (x: number, y: number) => {
    const i = 4 * (y * png.width + x);
    const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
    return r > 200 && b < 150 && r - g > 40;
  };
  const orangeColumns: number[] = [];
  for (let x = SAMPLES1D_PLOT.left + 2; x < SAMPLES1D_PLOT.left + SAMPLES1D_PLOT.width - 2; x++) {
    let count = 0;
    for (let y = 0; y < png.height; y++) if (orange(x, y)) count++;
    if (count > 20) orangeColumns.push(x);
  }
  assert.ok(orangeColumns.length > 0, 'no bars drawn');
  // One bar is 0.1 wide (7 / 70 bins): the bars reach at most one bar beyond [1, 1.5].
  const bar = (0.1 / 7) * SAMPLES1D_PLOT.width;
  assert.ok(Math.min(...orangeColumns) >= column(1) - bar - 1, `first bar at ${Math.min(...orangeColumns)}`);
  assert.ok(Math.max(...orangeColumns) <= column(1.5) + bar + 1, `last bar at ${Math.max(...orangeColumns)}`);
  // And they fill it: every column inside [1.1, 1.4] has a tall bar.
  for (let x = Math.ceil(column(1.1)); x <= Math.floor(column(1.4)); x++)
    assert.ok(orangeColumns.includes(x), `no bar at column ${x}`);
});

test('samples.png (1D): samples beyond the axis are said in the legend, not dropped silently', async () => {
  const bounds = { xmin: -2, xmax: 5 };
  const inside = await plotSamples1d({
    fake: new Float32Array(100).fill(2),
    bounds,
    density: normal(2, 0.5),
    title: 't',
  });
  const fake = new Float32Array(100).fill(2);
  fake.fill(40, 0, 10);
  const beyond = await plotSamples1d({ fake, bounds, density: normal(2, 0.5), title: 't' });
  const a = PNG.sync.read(inside);
  const b = PNG.sync.read(beyond);
  // The legend column (right of the plot) gains a row of text: more dark pixels there.
  const darkInLegend = (png: PNG) => {
    let n = 0;
    for (let y = 0; y < png.height; y++)
      for (let x = SAMPLES1D_PLOT.left + SAMPLES1D_PLOT.width + 20; x < png.width; x++) {
        const i = 4 * (y * png.width + x);
        if (png.data[i] < 100 && png.data[i + 1] < 100 && png.data[i + 2] < 100) n++;
      }
    return n;
  };
  assert.ok(darkInLegend(b) > darkInLegend(a) + 50, `${darkInLegend(b)} vs ${darkInLegend(a)}`);
});
