// Shared page layout of the two 2D figures: header, an equal-aspect plot square on the
// left, and a right-hand column for the legend (and colour bar) so nothing covers data.

import { equalAspectSize, linearScale, niceTicks, type Frame } from './axes.js';
import { createFigure, drawAxes, drawHeader, type Ctx } from './draw.js';
import type { Bounds } from './types.js';
import type { Canvas } from '@napi-rs/canvas';

export const PLOT_MAX = 600;
const LEFT = 64;
const GAP = 24;
const COLUMN = 180;
const BOTTOM = 58;

export interface Page2d {
  canvas: Canvas;
  ctx: Ctx;
  frame: Frame;
  /** x where the right-hand column (legend, colour bar) starts, and its width. */
  columnX: number;
  columnWidth: number;
}

/** Sizes the figure for `bounds` and draws the header; the plot is left blank. */
export function layout2d(bounds: Bounds, title: string, subtitle?: string): Page2d {
  checkBounds(bounds);
  const [w, h] = equalAspectSize(bounds, PLOT_MAX, PLOT_MAX);
  const width = LEFT + w + GAP + COLUMN;
  const headerH = (subtitle ? 62 : 44) + 12;
  const height = headerH + h + BOTTOM;
  const { canvas, ctx } = createFigure(width, height);
  drawHeader(ctx, width, title, subtitle);
  const frame: Frame = { left: LEFT, top: headerH, width: w, height: h, bounds };
  return { canvas, ctx, frame, columnX: LEFT + w + GAP, columnWidth: COLUMN - 12 };
}

/** Frame, ticks and axis labels, drawn last so they sit on top of heatmaps and dots. */
export function drawAxes2d(ctx: Ctx, frame: Frame): void {
  const b = frame.bounds;
  const x = linearScale(b.xmin, b.xmax, frame.left, frame.left + frame.width);
  const y = linearScale(b.ymin, b.ymax, frame.top + frame.height, frame.top);
  // ~1 tick per 100 px keeps labels apart on any aspect ratio.
  const xTicks = niceTicks(b.xmin, b.xmax, Math.max(3, Math.round(frame.width / 100) + 1));
  const yTicks = niceTicks(b.ymin, b.ymax, Math.max(3, Math.round(frame.height / 100) + 1));
  drawAxes(ctx, frame, { x, y, xTicks, yTicks, xLabel: 'x₁', yLabel: 'x₂' });
}

function checkBounds(b: Bounds): void {
  const ok = [b.xmin, b.xmax, b.ymin, b.ymax].every(Number.isFinite) && b.xmax > b.xmin && b.ymax > b.ymin;
  if (!ok)
    throw new RangeError(`plot bounds must be finite with xmax > xmin and ymax > ymin, got ${JSON.stringify(b)}`);
}
