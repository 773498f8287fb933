// The 1D form of samples.png: a histogram of G's samples, scaled as a density, over
// the data's density, so where G puts too much or too little mass reads off at once.
// Samples outside the picture's range are counted in the legend, never dropped silently.
import { linearScale, niceTicks } from './axes.js';
import { FAKE_COLOR, SERIES_COLORS, withAlpha } from './colors.js';
import {
  clipTo,
  createFigure,
  drawAxes,
  drawHeader,
  drawLegend,
  drawLine,
  encodePng,
  type LegendItem,
} from './draw.js';

export interface Samples1dOptions {
  /** G's samples. */
  fake: Float32Array;
  /** The x range drawn (other fields of a 2D bounds object are ignored). */
  bounds: { xmin: number; xmax: number };
  /** p_data at each of the given positions. */
  density(xs: Float32Array): Float32Array;
  title: string;
  subtitle?: string;
  /** Histogram bars across [xmin, xmax] (default 70). */
  bins?: number;
}

const LEFT = 72;
const PLOT_W = 600;
const GAP = 24;
const COLUMN = 200;
const PLOT_H = 300;
/** The plot's pixel columns (the x axis spans left … left + width): tests read positions off the picture. */
export const SAMPLES1D_PLOT = Object.freeze({ left: LEFT, width: PLOT_W });
const PDATA_COLOR = SERIES_COLORS[0];

/** Bar heights as a density: count / (n · bin width), n counting every sample, in range or not. */
export function histogramDensity(fake: ArrayLike<number>, xmin: number, xmax: number, bins: number) {
  const heights = new Float64Array(bins);
  const width = (xmax - xmin) / bins;
  let outside = 0;
  for (let i = 0; i < fake.length; i++) {
    const v = fake[i];
    const k = Math.floor((v - xmin) / width);
    if (Number.isFinite(v) && k >= 0 && k < bins) heights[k]++;
    else if (v === xmax) heights[bins - 1]++;
    else outside++;
  }
  for (let k = 0; k < bins; k++) heights[k] /= Math.max(1, fake.length) * width;
  return { heights, width, outside };
}

export async function plotSamples1d(o: Samples1dOptions): Promise<Buffer> {
  const bins = o.bins ?? 70;
  const width = LEFT + PLOT_W + GAP + COLUMN;
  const headerH = (o.subtitle ? 62 : 44) + 12;
  const height = headerH + PLOT_H + 60;
  const { canvas, ctx } = createFigure(width, height);
  drawHeader(ctx, width, o.title, o.subtitle);

  const { xmin, xmax } = o.bounds;
  const xs = new Float32Array(PLOT_W).map((_, i) => xmin + ((i + 0.5) * (xmax - xmin)) / PLOT_W);
  const pData = o.density(xs);
  const hist = histogramDensity(o.fake, xmin, xmax, bins);
  const peak = Math.max(...hist.heights, ...pData.filter(Number.isFinite));
  const ymax = peak > 0 ? peak * 1.08 : 1;
  const frame = { left: LEFT, top: headerH, width: PLOT_W, height: PLOT_H };
  const x = linearScale(xmin, xmax, LEFT, LEFT + PLOT_W);
  const y = linearScale(0, ymax, frame.top + frame.height, frame.top);
  const xTicks = niceTicks(xmin, xmax, 9);
  drawAxes(ctx, frame, { x, y, xTicks, yTicks: niceTicks(0, ymax, 5), xLabel: 'x', yLabel: 'density', grid: true });

  clipTo(ctx, frame);
  // Bars first, the data's density over them: its line stays visible where they overlap.
  ctx.fillStyle = withAlpha(FAKE_COLOR, 0.55);
  ctx.strokeStyle = FAKE_COLOR;
  ctx.lineWidth = 1;
  for (let k = 0; k < bins; k++) {
    if (hist.heights[k] <= 0) continue;
    const left = x(xmin + k * hist.width);
    const right = x(xmin + (k + 1) * hist.width);
    const top = y(hist.heights[k]);
    ctx.fillRect(left, top, right - left, y(0) - top);
    ctx.strokeRect(left, top, right - left, y(0) - top);
  }
  drawLine(ctx, xs, pData, x, y, { color: PDATA_COLOR, width: 2.6 });
  ctx.restore();

  const n = o.fake.length;
  const bar = withAlpha(FAKE_COLOR, 0.55);
  const items: LegendItem[] = [
    { label: 'p_data(x)', kind: 'line', color: PDATA_COLOR },
    { label: `G's samples (${n})`, kind: 'swatch', color: bar, color2: bar },
  ];
  // Samples beyond the range: counted here so a picture never hides where G's mass went.
  if (hist.outside > 0) {
    const share = ((100 * hist.outside) / Math.max(1, n)).toFixed(1);
    items.push({ label: `${hist.outside} (${share}%) beyond the axis`, kind: 'swatch', color: '#ffffff' });
  }
  drawLegend(ctx, items, LEFT + PLOT_W + GAP, frame.top, COLUMN - 12);
  return encodePng(canvas);
}
