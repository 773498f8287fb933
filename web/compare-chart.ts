// The comparison's charts with uPlot (the global /vendor/uplot/uPlot.iife.min.js
// defines; typed from the uplot package): one chart per curve, one colour per run,
// each run's raw line faint behind its smoothed one, and the charts composed into one
// PNG with the legend drawn in, for "Download chart as PNG".
import type UPlot from 'uplot';
import { SERIES_COLORS } from './colors.js';
import type { Chart } from './compare-data.js';
import { smooth } from './smoothing.js';

declare const uPlot: typeof UPlot;

/** Run k's colour: the Okabe–Ito order of gankit's PNGs (web/colors.ts, checked against src/plots/colors.ts). */
export const runColor = (k: number) => SERIES_COLORS[k % SERIES_COLORS.length];

export const CHART_WIDTH = 760;
export const CHART_HEIGHT = 200;

const SHOW_POINTS_UNDER = 40;

/** A y-axis label: learning rates (1e-4) and losses (1.5) both readable, where uPlot's default rounds 2e-4 to 0. */
const tick = (v: number) =>
  v === 0 ? '0' : Math.abs(v) < 0.01 || Math.abs(v) >= 1e5 ? v.toExponential(1) : String(+v.toPrecision(4));

/** With alpha, for the faint raw line. */
const faint = (hex: string) => `${hex}40`;

/** The aligned data uPlot draws: steps, then per run its raw values and their smoothing. */
function aligned(chart: Chart, weight: number): UPlot.AlignedData {
  // Metrics evaluated a few times a run are not noise to average away: smoothed, they would lag their own points.
  const w = chart.steps.length <= SHOW_POINTS_UNDER ? 0 : weight;
  return [chart.steps, ...chart.values.flatMap((v) => [v, smooth(v, w)])] as UPlot.AlignedData;
}

export function drawChart(box: HTMLElement, chart: Chart, runNames: string[], weight: number): UPlot {
  const series: UPlot.Series[] = [{ label: 'step' }];
  // Metrics evaluated a few times a run would be invisible as lines alone: their points are drawn.
  const points = { show: chart.steps.length <= SHOW_POINTS_UNDER, size: 6 };
  runNames.forEach((name, k) => {
    series.push({
      label: `${name} (raw)`,
      stroke: faint(runColor(k)),
      width: 1,
      spanGaps: true,
      points: { show: false },
    });
    series.push({ label: name, stroke: runColor(k), width: 2, spanGaps: true, points: { ...points } });
  });
  return new uPlot(
    {
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
      title: chart.title,
      scales: { x: { time: false } },
      axes: [{}, { size: 64, values: (_u, splits) => splits.map(tick) }],
      legend: { show: false }, // one legend for every chart, above them (and in the PNG)
      cursor: { sync: { key: 'compare' } }, // one step under the pointer on every chart
      series,
    },
    aligned(chart, weight),
    box,
  );
}

export function resmooth(plot: UPlot, chart: Chart, weight: number): void {
  plot.setData(aligned(chart, weight));
}

/** Pixels of the legend row and of each chart's title in the composed PNG (at device pixel ratio 1). */
export const PNG_LEGEND = 28;
export const PNG_TITLE = 22;

/** The charts' canvases one under another, the legend (run colours and names) on top, as a PNG. */
export function chartsPng(plots: { title: string; plot: UPlot }[], runNames: string[]): Promise<Blob> {
  const ratio = devicePixelRatio;
  const canvases = plots.map(({ plot }) => plot.ctx.canvas);
  const width = Math.max(...canvases.map((c) => c.width));
  const height =
    Math.round(ratio * PNG_LEGEND) + canvases.reduce((h, c) => h + Math.round(ratio * PNG_TITLE) + c.height, 0);
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.font = `${Math.round(13 * ratio)}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  let x = 8 * ratio;
  runNames.forEach((name, k) => {
    ctx.fillStyle = runColor(k);
    ctx.fillRect(x, (PNG_LEGEND * ratio) / 2 - 2 * ratio, 18 * ratio, 4 * ratio);
    ctx.fillStyle = '#111';
    ctx.fillText(name, x + 24 * ratio, (PNG_LEGEND * ratio) / 2);
    x += 24 * ratio + ctx.measureText(name).width + 18 * ratio;
  });
  let y = Math.round(ratio * PNG_LEGEND);
  plots.forEach(({ title }, i) => {
    ctx.fillStyle = '#111';
    ctx.fillText(title, 8 * ratio, y + (PNG_TITLE * ratio) / 2);
    y += Math.round(ratio * PNG_TITLE);
    ctx.drawImage(canvases[i], 0, y);
    y += canvases[i].height;
  });
  return new Promise((resolve, reject) =>
    out.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the PNG'))),
      'image/png',
    ),
  );
}
