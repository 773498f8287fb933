// Figure 3, 1D runs: the learned discriminator against the optimal one (top) over the two
// densities that define it (bottom), on a shared x axis, as in Goodfellow et al. Fig. 1.
// D* = p_data/(p_data + p_g) is drawn only where p_data + p_g is at least 1% of its
// maximum: in the tails it is a ratio of two near-zero estimates and says nothing. The
// D = 0.5 line is drawn last, dashed, so the learned D at equilibrium cannot hide it.

import { linearScale, niceTicks } from './axes.js';
import { FAKE_COLOR, MUTED_TEXT, SERIES_COLORS, withAlpha } from './colors.js';
import {
  clipTo,
  createFigure,
  drawAxes,
  drawHeader,
  drawLegend,
  drawLine,
  encodePng,
  fitText,
  FONT,
  type Ctx,
} from './draw.js';
import type { Scale } from './axes.js';

export interface Plot1dOptions {
  /** Sample positions, increasing. All other arrays are values at these positions. */
  xs: Float32Array;
  /** Learned D(x) as a probability in [0, 1]. */
  dLearned: Float32Array;
  /** Optimal D*(x) = p_data / (p_data + p_g), in [0, 1]. */
  dOptimal: Float32Array;
  /** Densities (same units, e.g. both normalised to integrate to 1). */
  pData: Float32Array;
  pG: Float32Array;
  title: string;
  subtitle?: string;
}

const LEFT = 72;
const PLOT_W = 600;
const GAP = 24;
const COLUMN = 180;
const TOP_H = 240;
const BOTTOM_H = 200;
const D_COLOR = SERIES_COLORS[2]; // green: "real" side of the D colour map
const DSTAR_COLOR = '#111111';
const PDATA_COLOR = SERIES_COLORS[0];
/** The D = 0.5 reference: darker than the grid, dashed so that a learned D under it still shows between dashes. */
export const HALF_LINE = { color: '#555555', width: 1.5, dash: [4, 4] };
/** D* is drawn where p_data + p_g is at least this fraction of its largest value. */
export const DENSITY_FLOOR = 0.01;

/** D* where p_data + p_g ≥ floor × its maximum, NaN (not drawn) elsewhere. */
export function meaningfulOptimal(
  dOptimal: ArrayLike<number>,
  pData: ArrayLike<number>,
  pG: ArrayLike<number>,
  floor = DENSITY_FLOOR,
): Float32Array {
  const n = dOptimal.length;
  const total = (i: number) => (pData[i] ?? NaN) + (pG[i] ?? NaN);
  let max = 0;
  for (let i = 0; i < n; i++) if (total(i) > max) max = total(i);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = max > 0 && total(i) >= floor * max ? dOptimal[i] : NaN;
  return out;
}

/** The top panel's rectangle and scales: where D(x), D*(x) and the 0.5 line are drawn. */
export function plot1dGeometry(o: Pick<Plot1dOptions, 'xs' | 'subtitle'>) {
  const width = LEFT + PLOT_W + GAP + COLUMN;
  const headerH = (o.subtitle ? 62 : 44) + 12;
  const height = headerH + TOP_H + 14 + BOTTOM_H + 60;
  const [x0, x1] = finiteRange(o.xs, [0, 1]);
  const top = { left: LEFT, top: headerH, width: PLOT_W, height: TOP_H };
  const bottom = { left: LEFT, top: headerH + TOP_H + 14, width: PLOT_W, height: BOTTOM_H };
  const x = linearScale(x0, x1, LEFT, LEFT + PLOT_W);
  // [0, 1] with a little headroom so lines at 0 and 1 stay visible.
  const yD = linearScale(-0.04, 1.04, top.top + top.height, top.top);
  return { width, height, top, bottom, x, yD, xRange: [x0, x1] as [number, number] };
}

export async function plot1d(o: Plot1dOptions): Promise<Buffer> {
  const { width, height, top, bottom: bot, x, yD, xRange } = plot1dGeometry(o);
  const { canvas, ctx } = createFigure(width, height);
  drawHeader(ctx, width, o.title, o.subtitle);
  const xTicks = niceTicks(xRange[0], xRange[1], 9);

  // Top: D(x) and D*(x) on [0, 1]; the 0.5 line last, on top of both.
  drawAxes(ctx, top, { x, y: yD, xTicks, yTicks: niceTicks(0, 1, 5), yLabel: 'D(x)', grid: true, xTickLabels: false });
  clipTo(ctx, top);
  const dStar = meaningfulOptimal(o.dOptimal, o.pData, o.pG);
  drawLine(ctx, o.xs, dStar, x, yD, { color: DSTAR_COLOR, width: 2, dash: [7, 5] });
  drawLine(ctx, o.xs, o.dLearned, x, yD, { color: D_COLOR, width: 2.6 });
  ctx.strokeStyle = HALF_LINE.color;
  ctx.lineWidth = HALF_LINE.width;
  ctx.setLineDash(HALF_LINE.dash);
  ctx.beginPath();
  // On a pixel row's centre: a 1.5 px line fills that row with its colour.
  ctx.moveTo(top.left, Math.round(yD(0.5)) + 0.5);
  ctx.lineTo(top.left + top.width, Math.round(yD(0.5)) + 0.5);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.restore();
  const legendBottom = drawLegend(
    ctx,
    [
      { label: 'learned D(x)', kind: 'line', color: D_COLOR, width: 2.6 },
      { label: 'optimal D*(x)', kind: 'line', color: DSTAR_COLOR, width: 2, dash: [7, 5] },
      { label: 'D = 0.5', kind: 'line', ...HALF_LINE },
    ],
    LEFT + PLOT_W + GAP,
    top.top,
    COLUMN - 12,
  );
  ctx.fillStyle = MUTED_TEXT;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  const note = ['D* is drawn where', `p_data + p_g ≥ ${100 * DENSITY_FLOOR}% of its max`];
  note.forEach((line, k) => fitText(ctx, line, LEFT + PLOT_W + GAP, legendBottom + 6 + 16 * k, FONT.tick, COLUMN - 12));

  // Bottom: the densities, filled lightly so overlap reads as overlap.
  const [, pmax] = finiteRange(concat(o.pData, o.pG), [0, 1]);
  const ymax = pmax > 0 ? pmax * 1.08 : 1;
  const yP = linearScale(0, ymax, bot.top + bot.height, bot.top);
  drawAxes(ctx, bot, { x, y: yP, xTicks, yTicks: niceTicks(0, ymax, 5), yLabel: 'density', xLabel: 'x', grid: true });
  clipTo(ctx, bot);
  fillUnder(ctx, o.xs, o.pData, x, yP, withAlpha(PDATA_COLOR, 0.15));
  fillUnder(ctx, o.xs, o.pG, x, yP, withAlpha(FAKE_COLOR, 0.15));
  drawLine(ctx, o.xs, o.pData, x, yP, { color: PDATA_COLOR, width: 2.4 });
  drawLine(ctx, o.xs, o.pG, x, yP, { color: FAKE_COLOR, width: 2.4 });
  ctx.restore();
  drawLegend(
    ctx,
    [
      { label: 'p_data(x)', kind: 'line', color: PDATA_COLOR },
      { label: 'p_g(x)', kind: 'line', color: FAKE_COLOR },
    ],
    LEFT + PLOT_W + GAP,
    bot.top,
    COLUMN - 12,
  );
  return encodePng(canvas);
}

function fillUnder(ctx: Ctx, xs: ArrayLike<number>, ys: ArrayLike<number>, x: Scale, y: Scale, color: string): void {
  const n = Math.min(xs.length, ys.length);
  ctx.fillStyle = color;
  ctx.beginPath();
  let started = false;
  let lastX = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) continue;
    const px = x(xs[i]);
    if (!started) {
      ctx.moveTo(px, y(0));
      started = true;
    }
    ctx.lineTo(px, y(ys[i]));
    lastX = px;
  }
  if (!started) return;
  ctx.lineTo(lastX, y(0));
  ctx.closePath();
  ctx.fill();
}

function finiteRange(a: ArrayLike<number>, fallback: [number, number]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) return fallback;
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
