// Figure 4: training curves, one panel per quantity family (losses, D outputs, metrics),
// all on a shared step axis so events line up vertically across panels; rollbacks,
// resumes and warnings are marked across them (curve-marks.ts). Every legend entry is
// drawn with the colour, width and dash of what the panel draws, the faint raw lines
// under a moving average included.

import { linearScale, logScale, logTicks, niceTicks, type Scale } from './axes.js';
import { drawCurveMarks, type CurveEvent, type CurveMark } from './curve-marks.js';
import { ALERT_COLOR, MUTED_TEXT, SERIES_COLORS, TEXT_COLOR, withAlpha } from './colors.js';
import {
  clipTo,
  createFigure,
  drawAxes,
  drawHeader,
  drawLegend,
  drawLine,
  encodePng,
  fitText,
  font,
  FONT,
  type Ctx,
  type LegendItem,
} from './draw.js';

export interface Series {
  name: string;
  steps: ArrayLike<number>;
  values: ArrayLike<number>;
  dashed?: boolean;
}

export interface Panel {
  title: string;
  series: Series[];
  /** Fixed y range; either end left out is chosen from the data. */
  yMin?: number;
  yMax?: number;
  logY?: boolean;
  /** Moving-average window (points): draws the raw line faintly and the average boldly. */
  smooth?: number;
}

export type { CurveEvent, CurveMark };
export { MARK_STYLES } from './curve-marks.js';

export interface CurvesOptions {
  title: string;
  panels: Panel[];
  events?: CurveEvent[];
  /** The legend's name for the events' marks. */
  eventsName?: string;
  marks?: CurveMark[];
}

/** Raw values under a moving average: each series' own colour, faint and thin. */
export const RAW_ALPHA = 0.28;
const RAW_WIDTH = 1;

const LEFT = 76;
const PLOT_W = 620;
const GAP = 24;
const COLUMN = 180;
const PANEL_TITLE_H = 26;
const PLOT_H = 170;
const PANEL_GAP = 34; // x tick numbers + breathing room

/** Where each panel's plot rectangle lies and the shared step → pixel scale. */
export interface CurvesGeometry {
  width: number;
  height: number;
  panels: { left: number; top: number; width: number; height: number }[];
  x: Scale;
}

export function curvesGeometry(panels: Panel[]): CurvesGeometry {
  const width = LEFT + PLOT_W + GAP + COLUMN;
  const headerH = 50;
  const n = Math.max(1, panels.length);
  const height = headerH + n * (PANEL_TITLE_H + PLOT_H + PANEL_GAP) + 24;
  // Shared step axis across all panels, over every finite step.
  let s0 = Infinity;
  let s1 = -Infinity;
  for (const p of panels)
    for (const s of p.series)
      for (let i = 0; i < s.steps.length; i++) {
        const v = s.steps[i];
        if (Number.isFinite(v)) {
          if (v < s0) s0 = v;
          if (v > s1) s1 = v;
        }
      }
  if (s0 > s1) [s0, s1] = [0, 1];
  else if (s0 === s1) [s0, s1] = [s0 - 1, s1 + 1];
  const rects = Array.from({ length: n }, (_, k) => ({
    left: LEFT,
    top: headerH + k * (PANEL_TITLE_H + PLOT_H + PANEL_GAP) + PANEL_TITLE_H,
    width: PLOT_W,
    height: PLOT_H,
  }));
  return { width, height, panels: rects, x: linearScale(s0, s1, LEFT, LEFT + PLOT_W) };
}

export async function plotCurves(o: CurvesOptions): Promise<Buffer> {
  const panels: Panel[] = o.panels.length > 0 ? o.panels : [{ title: '(no panels)', series: [] }];
  const g = curvesGeometry(panels);
  const { canvas, ctx } = createFigure(g.width, g.height);
  drawHeader(ctx, g.width, o.title);
  const [s0, s1] = g.x.domain;
  const xTicks = niceTicks(s0, s1, 8);
  panels.forEach((p, k) => {
    const events = { list: o.events ?? [], name: o.eventsName ?? 'event', labelled: k === 0, marks: o.marks ?? [] };
    drawPanel(ctx, p, g.panels[k], g.x, xTicks, k === panels.length - 1, events);
  });
  return encodePng(canvas);
}

function drawPanel(
  ctx: Ctx,
  p: Panel,
  r: { left: number; top: number; width: number; height: number },
  x: Scale,
  xTicks: ReturnType<typeof niceTicks>,
  last: boolean,
  events: { list: CurveEvent[]; name: string; labelled: boolean; marks: CurveMark[] },
): void {
  const logY = p.logY === true;
  const window = Math.max(1, Math.floor(p.smooth ?? 1));
  const [lo, hi] = yRange(p, logY);
  const y = logY ? logScale(lo, hi, r.top + r.height, r.top) : linearScale(lo, hi, r.top + r.height, r.top);
  const target = Math.max(3, Math.round(r.height / 38));
  const yTicks = logY ? logTicks(lo, hi, target) : niceTicks(lo, hi, target);
  drawAxes(ctx, r, { x, y, xTicks, yTicks, grid: true, xLabel: last ? 'step' : undefined });

  ctx.fillStyle = TEXT_COLOR;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  // room for the NaN note on the right
  fitText(ctx, p.title + (logY ? '  (log scale)' : ''), r.left, r.top - 9, 14, r.width * 0.6, true);

  const legend: LegendItem[] = [];
  const bad: number[] = [];
  clipTo(ctx, r);
  p.series.forEach((s, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length];
    const dash = s.dashed ? [7, 4] : undefined;
    const n = Math.min(s.steps.length, s.values.length);
    for (let j = 0; j < n; j++) if (!Number.isFinite(s.values[j]) && Number.isFinite(s.steps[j])) bad.push(s.steps[j]);
    if (window > 1) {
      drawLine(ctx, s.steps, s.values, x, y, { color: withAlpha(color, RAW_ALPHA), width: RAW_WIDTH });
      drawLine(ctx, s.steps, movingAverage(s.values, window, logY), x, y, { color, width: 2.4, dash });
    } else {
      drawLine(ctx, s.steps, s.values, x, y, { color, width: 2, dash });
    }
    const empty = n === 0 ? ' (no data)' : '';
    legend.push({
      label: s.name + empty + (window > 1 ? ` (avg of ${window})` : ''),
      kind: 'line',
      color,
      dash,
      width: window > 1 ? 2.4 : 2,
    });
  });
  ctx.restore();
  if (window > 1 && p.series.length > 0) {
    // The faint lines as drawn: one stroke per series, in its colour, alpha and width.
    const colors = p.series.map((_, i) => withAlpha(SERIES_COLORS[i % SERIES_COLORS.length], RAW_ALPHA));
    legend.push({ label: 'raw value, each step', kind: 'line', color: colors[0], colors, width: RAW_WIDTH });
  }

  // Divergence: a red tick hanging from the top edge at every step with NaN/±Inf.
  if (bad.length > 0) {
    ctx.save();
    ctx.strokeStyle = ALERT_COLOR;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (const st of bad) {
      const px = Math.round(x(st)) + 0.5;
      ctx.moveTo(px, r.top + 1);
      ctx.lineTo(px, r.top + 11);
    }
    ctx.stroke();
    ctx.fillStyle = ALERT_COLOR;
    ctx.font = font(FONT.tick, true);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'alphabetic';
    ctx.fillText(`${bad.length} non-finite value${bad.length === 1 ? '' : 's'} (NaN/∞)`, r.left + r.width, r.top - 9);
    ctx.restore();
    legend.push({ label: 'NaN / ±Inf', kind: 'tick', color: ALERT_COLOR });
  }
  legend.push(...drawCurveMarks(ctx, events.list, events.name, events.marks, r, x, events.labelled));
  if (p.series.length === 0 || p.series.every((s) => Math.min(s.steps.length, s.values.length) === 0)) {
    ctx.fillStyle = MUTED_TEXT;
    ctx.font = font(FONT.label);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('no data yet', r.left + r.width / 2, r.top + r.height / 2);
  }
  drawLegend(ctx, legend, r.left + r.width + GAP, r.top, COLUMN - 12);
}

/** Data range of a panel's drawable values, padded 6%, overridden by yMin/yMax. */
function yRange(p: Panel, logY: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of p.series) {
    const n = Math.min(s.steps.length, s.values.length);
    for (let j = 0; j < n; j++) {
      const v = s.values[j];
      if (!Number.isFinite(v) || (logY && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (logY) {
    if (lo > hi) [lo, hi] = [0.1, 10];
    else if (lo === hi) [lo, hi] = [lo / 2, hi * 2];
    else {
      const pad = (Math.log10(hi) - Math.log10(lo)) * 0.06;
      [lo, hi] = [lo / 10 ** pad, hi * 10 ** pad];
    }
    if (p.yMin !== undefined && p.yMin > 0) lo = p.yMin;
    if (p.yMax !== undefined && p.yMax > 0) hi = p.yMax;
  } else {
    if (lo > hi) [lo, hi] = [0, 1];
    else if (lo === hi) {
      // A constant series (an image run's lr, 2e-4) sits in the middle of a range of its own scale.
      const d = lo !== 0 ? Math.abs(lo) * 0.1 : 0.5;
      [lo, hi] = [lo - d, hi + d];
    } else {
      const pad = (hi - lo) * 0.06;
      [lo, hi] = [lo - pad, hi + pad];
    }
    if (p.yMin !== undefined && Number.isFinite(p.yMin)) lo = p.yMin;
    if (p.yMax !== undefined && Number.isFinite(p.yMax)) hi = p.yMax;
  }
  if (!(hi > lo)) hi = logY ? lo * 10 : lo + 1;
  return [lo, hi];
}

/**
 * Centred moving average over `window` points, ignoring non-finite values (and ≤ 0 ones
 * on a log axis, averaged in log space there); positions whose own value is not drawable
 * stay NaN so divergence still shows as a gap.
 */
export function movingAverage(values: ArrayLike<number>, window: number, log = false): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  const w = Math.max(1, Math.floor(window));
  const half = Math.floor(w / 2);
  const usable = (v: number) => Number.isFinite(v) && (!log || v > 0);
  // Prefix sums over usable values make each window O(1).
  const sum = new Float64Array(n + 1);
  const cnt = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const u = usable(v);
    sum[i + 1] = sum[i] + (u ? (log ? Math.log(v) : v) : 0);
    cnt[i + 1] = cnt[i] + (u ? 1 : 0);
  }
  for (let i = 0; i < n; i++) {
    if (!usable(values[i])) continue;
    const a = Math.max(0, i - half);
    const b = Math.min(n, i - half + w);
    const c = cnt[b] - cnt[a];
    const m = (sum[b] - sum[a]) / c;
    out[i] = log ? Math.exp(m) : m;
  }
  return out;
}
