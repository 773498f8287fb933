// Canvas building blocks shared by the figures: fonts, header, axes, legend, heatmap,
// colour bar. Every figure is white, uses the same font sizes, and lays its legend out in
// a column right of the plot so it never hides data.
// Longer than 300 lines because it is the one set of primitives every figure draws with:
// split, each figure would import its look from several places.

import { existsSync } from 'node:fs';
import { createCanvas, GlobalFonts, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { dataToPixel, formatTick, type Frame, type Scale, type Ticks } from './axes.js';
import { AXIS_COLOR, GRID_COLOR, MUTED_TEXT, TEXT_COLOR, rgbString, type RGB } from './colors.js';
import type { Grid } from './types.js';

export type Ctx = SKRSContext2D;

const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu';
let fontFamily: string | undefined;

/** Registers DejaVu Sans once (consistent metrics across machines); else system sans-serif. */
export function fontStack(): string {
  if (fontFamily !== undefined) return fontFamily;
  fontFamily = 'sans-serif';
  try {
    const regular = `${DEJAVU_DIR}/DejaVuSans.ttf`;
    if (existsSync(regular) && GlobalFonts.registerFromPath(regular, 'DejaVu Sans')) {
      const bold = `${DEJAVU_DIR}/DejaVuSans-Bold.ttf`;
      if (existsSync(bold)) GlobalFonts.registerFromPath(bold, 'DejaVu Sans');
      fontFamily = '"DejaVu Sans", sans-serif';
    }
  } catch {
    // Font registration is cosmetic; the default sans-serif is fine.
  }
  return fontFamily;
}

export function font(size: number, bold = false): string {
  return `${bold ? 'bold ' : ''}${size}px ${fontStack()}`;
}

export const FONT = { title: 18, subtitle: 13, label: 13, tick: 12, legend: 13 } as const;

export function createFigure(width: number, height: number): { canvas: Canvas; ctx: Ctx } {
  const canvas = createCanvas(Math.round(width), Math.round(height));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  return { canvas, ctx };
}

export function encodePng(canvas: Canvas): Promise<Buffer> {
  return canvas.encode('png');
}

/** Draws `text` at the given size, shrinking it until it fits in maxWidth. */
export function fitText(
  ctx: Ctx,
  text: string,
  x: number,
  y: number,
  size: number,
  maxWidth: number,
  bold = false,
): void {
  let s = size;
  ctx.font = font(s, bold);
  while (s > 8 && ctx.measureText(text).width > maxWidth) {
    s -= 1;
    ctx.font = font(s, bold);
  }
  ctx.fillText(text, x, y);
}

/** Header: bold title and a muted subtitle line below; returns the y where content may start. */
export function drawHeader(ctx: Ctx, width: number, title: string, subtitle?: string): number {
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = TEXT_COLOR;
  fitText(ctx, title, 16, 28, FONT.title, width - 32, true);
  if (subtitle) {
    ctx.fillStyle = MUTED_TEXT;
    fitText(ctx, subtitle, 16, 49, FONT.subtitle, width - 32);
    return 62;
  }
  return 44;
}

export interface AxisOptions {
  xTicks: Ticks;
  yTicks: Ticks;
  x: Scale;
  y: Scale;
  xLabel?: string;
  yLabel?: string;
  /** Light grid lines at ticks (helps reading values off curves). */
  grid?: boolean;
  /** Print numbers under the x ticks (off for upper panels sharing the x axis). */
  xTickLabels?: boolean;
}

/** Frame, ticks, tick numbers, optional grid and axis labels for a rectangle. */
export function drawAxes(
  ctx: Ctx,
  r: { left: number; top: number; width: number; height: number },
  o: AxisOptions,
): void {
  const { left, top, width, height } = r;
  const bottom = top + height;
  const right = left + width;
  ctx.save();
  if (o.grid) {
    ctx.strokeStyle = GRID_COLOR;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const v of o.yTicks.values) {
      const py = Math.round(o.y(v)) + 0.5;
      if (py > top + 1 && py < bottom - 1) {
        ctx.moveTo(left, py);
        ctx.lineTo(right, py);
      }
    }
    for (const v of o.xTicks.values) {
      const px = Math.round(o.x(v)) + 0.5;
      if (px > left + 1 && px < right - 1) {
        ctx.moveTo(px, top);
        ctx.lineTo(px, bottom);
      }
    }
    ctx.stroke();
  }
  ctx.strokeStyle = AXIS_COLOR;
  ctx.lineWidth = 1;
  ctx.strokeRect(Math.round(left) + 0.5, Math.round(top) + 0.5, Math.round(width), Math.round(height));

  ctx.fillStyle = TEXT_COLOR;
  ctx.font = font(FONT.tick);
  ctx.beginPath();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of o.xTicks.values) {
    const px = Math.round(o.x(v)) + 0.5;
    if (px < left - 0.5 || px > right + 1.5) continue;
    ctx.moveTo(px, bottom);
    ctx.lineTo(px, bottom + 5);
    if (o.xTickLabels !== false) ctx.fillText(formatTick(v, o.xTicks.step), px, bottom + 7);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of o.yTicks.values) {
    const py = Math.round(o.y(v)) + 0.5;
    if (py < top - 0.5 || py > bottom + 1.5) continue;
    ctx.moveTo(left, py);
    ctx.lineTo(left - 5, py);
    ctx.fillText(formatTick(v, o.yTicks.step), left - 8, py);
  }
  ctx.stroke();

  ctx.font = font(FONT.label);
  if (o.xLabel) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(o.xLabel, left + width / 2, bottom + 26);
  }
  if (o.yLabel) {
    ctx.save();
    ctx.translate(16, top + height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(o.yLabel, 0, 0);
    ctx.restore();
  }
  ctx.restore();
}

export type LegendKind = 'line' | 'dashed' | 'dot' | 'ring' | 'swatch' | 'arrow' | 'tick';
export interface LegendItem {
  label: string;
  kind: LegendKind;
  color: string;
  /** Second colour: dot outline, swatch gradient end. */
  color2?: string;
  /** Lines: the stroke width and dash pattern drawn in the plot, so the swatch looks like it (default 2.5, solid). */
  width?: number;
  dash?: number[];
  /** Lines: several strokes stacked in one swatch, one per colour (e.g. each series' faint raw line). */
  colors?: string[];
}

/** Vertical legend starting at (x, y); returns the y below its last entry. */
export function drawLegend(ctx: Ctx, items: LegendItem[], x: number, y: number, maxWidth: number): number {
  ctx.save();
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const row = 22;
  for (const it of items) {
    const cy = y + row / 2;
    ctx.strokeStyle = it.color;
    ctx.fillStyle = it.color;
    ctx.setLineDash([]);
    switch (it.kind) {
      case 'line':
      case 'dashed': {
        ctx.lineWidth = it.width ?? 2.5;
        ctx.setLineDash(it.dash ?? (it.kind === 'dashed' ? [6, 4] : []));
        const colors = it.colors ?? [it.color];
        colors.forEach((color, k) => {
          // On a pixel centre, so a 1 px stroke is one row in its own colour, as in the plot.
          const py = Math.round(cy + (k - (colors.length - 1) / 2) * 4) + 0.5;
          ctx.strokeStyle = color;
          ctx.beginPath();
          ctx.moveTo(x, py);
          ctx.lineTo(x + 26, py);
          ctx.stroke();
        });
        ctx.setLineDash([]);
        break;
      }
      case 'dot':
        ctx.beginPath();
        ctx.arc(x + 13, cy, 4, 0, 2 * Math.PI);
        ctx.fill();
        if (it.color2) {
          ctx.strokeStyle = it.color2;
          ctx.lineWidth = 1;
          ctx.stroke();
        }
        break;
      case 'ring':
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.arc(x + 13, cy, 5, 0, 2 * Math.PI);
        ctx.stroke();
        break;
      case 'swatch': {
        const g = ctx.createLinearGradient(x, 0, x + 26, 0);
        g.addColorStop(0, it.color2 ?? '#ffffff');
        g.addColorStop(1, it.color);
        ctx.fillStyle = g;
        ctx.fillRect(x, cy - 7, 26, 14);
        ctx.strokeStyle = '#999999';
        ctx.lineWidth = 1;
        ctx.strokeRect(x + 0.5, cy - 6.5, 25, 13);
        break;
      }
      case 'arrow':
        drawArrow(ctx, x + 2, cy, x + 26, cy, it.color, 1.6);
        break;
      case 'tick':
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(x + 13, cy - 7);
        ctx.lineTo(x + 13, cy + 7);
        ctx.stroke();
        break;
    }
    ctx.fillStyle = TEXT_COLOR;
    fitText(ctx, it.label, x + 34, cy, FONT.legend, maxWidth - 34);
    y += row;
  }
  ctx.restore();
  return y;
}

/** Line with a filled triangular head at (x1, y1); head scales a little with the length. */
export function drawArrow(ctx: Ctx, x0: number, y0: number, x1: number, y1: number, color: string, width = 1.5): void {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = Math.hypot(dx, dy);
  if (!(len > 0.5)) return;
  const head = Math.min(len * 0.45, 4 + width * 2.5);
  const ux = dx / len;
  const uy = dy / len;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1 - ux * head * 0.8, y1 - uy * head * 0.8);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - ux * head - uy * head * 0.5, y1 - uy * head + ux * head * 0.5);
  ctx.lineTo(x1 - ux * head + uy * head * 0.5, y1 - uy * head - ux * head * 0.5);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}

/**
 * Paints a grid into the frame, one canvas pixel at a time: the value at each pixel centre
 * is bilinearly interpolated between cell centres (smooth at any grid resolution), then
 * `t` → colour. `t` holds the grid values already normalised to [0, 1]. Pixels outside the
 * grid's bounds stay white.
 */
export function drawHeatmap(ctx: Ctx, frame: Frame, grid: Grid, t: Float32Array, color: (t: number) => RGB): void {
  const W = Math.round(frame.width);
  const H = Math.round(frame.height);
  const { nx, ny, bounds: g } = grid;
  if (W <= 0 || H <= 0 || nx <= 0 || ny <= 0 || t.length < nx * ny) return;
  const img = ctx.getImageData(Math.round(frame.left), Math.round(frame.top), W, H);
  const data = img.data;
  const b = frame.bounds;
  const cw = (g.xmax - g.xmin) / nx;
  const ch = (g.ymax - g.ymin) / ny;
  // Column lookup is the same for every row: precompute it.
  const i0 = new Int32Array(W);
  const fx = new Float32Array(W);
  const inX = new Uint8Array(W);
  for (let px = 0; px < W; px++) {
    const x = b.xmin + ((px + 0.5) / W) * (b.xmax - b.xmin);
    inX[px] = x >= g.xmin && x <= g.xmax ? 1 : 0;
    const s = Math.min(nx - 1, Math.max(0, (x - g.xmin) / cw - 0.5));
    i0[px] = Math.min(nx - 2, Math.floor(s));
    fx[px] = nx > 1 ? s - i0[px] : 0;
    if (nx === 1) i0[px] = 0;
  }
  for (let py = 0; py < H; py++) {
    const y = b.ymax - ((py + 0.5) / H) * (b.ymax - b.ymin);
    if (y < g.ymin || y > g.ymax) continue;
    const s = Math.min(ny - 1, Math.max(0, (y - g.ymin) / ch - 0.5));
    const j0 = ny > 1 ? Math.min(ny - 2, Math.floor(s)) : 0;
    const fy = ny > 1 ? s - j0 : 0;
    const j1 = ny > 1 ? j0 + 1 : 0;
    for (let px = 0; px < W; px++) {
      if (!inX[px]) continue;
      const ia = i0[px];
      const ib = nx > 1 ? ia + 1 : 0;
      const f = fx[px];
      const top = t[j0 * nx + ia] * (1 - f) + t[j0 * nx + ib] * f;
      const bot = t[j1 * nx + ia] * (1 - f) + t[j1 * nx + ib] * f;
      const c = color(top * (1 - fy) + bot * fy);
      const k = (py * W + px) * 4;
      data[k] = c[0];
      data[k + 1] = c[1];
      data[k + 2] = c[2];
      data[k + 3] = 255;
    }
  }
  ctx.putImageData(img, Math.round(frame.left), Math.round(frame.top));
}

/** Vertical colour bar with ticks; `labels` put words (e.g. "real"/"fake") at the ends. */
export function drawColorbar(
  ctx: Ctx,
  r: { left: number; top: number; width: number; height: number },
  color: (t: number) => RGB,
  o: { title: string; ticks: number[]; topLabel?: string; bottomLabel?: string },
): void {
  const { left, top, width, height } = r;
  for (let k = 0; k < height; k++) {
    ctx.fillStyle = rgbString(color(1 - (k + 0.5) / height));
    ctx.fillRect(left, top + k, width, 1);
  }
  ctx.strokeStyle = AXIS_COLOR;
  ctx.lineWidth = 1;
  ctx.strokeRect(left + 0.5, top + 0.5, width - 1, height - 1);
  ctx.fillStyle = TEXT_COLOR;
  ctx.font = font(FONT.tick);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.beginPath();
  for (const v of o.ticks) {
    const py = Math.round(top + (1 - v) * (height - 1)) + 0.5;
    ctx.moveTo(left + width, py);
    ctx.lineTo(left + width + 4, py);
    ctx.fillText(String(v), left + width + 7, py);
  }
  ctx.stroke();
  ctx.font = font(FONT.label, true);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(o.title, left, top - 10);
  ctx.font = font(FONT.tick);
  ctx.fillStyle = MUTED_TEXT;
  if (o.topLabel) ctx.fillText(o.topLabel, left + width + 44, top + 5);
  if (o.bottomLabel) {
    ctx.textBaseline = 'middle';
    ctx.fillText(o.bottomLabel, left + width + 44, top + height - 5);
  }
}

/** Dots at interleaved (x, y) points, clipped to the frame; non-finite points are skipped. */
export function drawDots(
  ctx: Ctx,
  frame: Frame,
  xy: Float32Array,
  o: { color: string; radius: number; outline?: string; outlineWidth?: number },
): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.left, frame.top, frame.width, frame.height);
  ctx.clip();
  ctx.fillStyle = o.color;
  if (o.outline) {
    ctx.strokeStyle = o.outline;
    ctx.lineWidth = o.outlineWidth ?? 0.8;
  }
  // Each dot is its own fill, so overlapping semi-transparent dots darken where samples
  // pile up (a single path would flatten them into one uniform blob).
  for (let i = 0; i + 1 < xy.length; i += 2) {
    const x = xy[i];
    const y = xy[i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const [px, py] = dataToPixel(frame, x, y);
    ctx.beginPath();
    ctx.arc(px, py, o.radius, 0, 2 * Math.PI);
    ctx.fill();
    if (o.outline) ctx.stroke();
  }
  ctx.restore();
}

/** Dot radius for n points: big enough to see 100 points, small enough for 10,000. */
export function dotRadius(n: number, plotWidth: number): number {
  const r = (plotWidth / 600) * (n <= 200 ? 3.2 : n <= 1000 ? 2.6 : n <= 4000 ? 2.0 : 1.5);
  return Math.max(1, r);
}

/**
 * Polyline through (xs[i], ys[i]) in data units. Points the scale cannot place (NaN, ±Inf,
 * ≤ 0 on a log axis) break the line instead of being bridged, and a point with no drawable
 * neighbour gets a dot so single values are not invisible.
 */
export function drawLine(
  ctx: Ctx,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  x: Scale,
  y: Scale,
  o: { color: string; width: number; dash?: number[] },
): void {
  const n = Math.min(xs.length, ys.length);
  const ok = (i: number) =>
    i >= 0 &&
    i < n &&
    Number.isFinite(xs[i]) &&
    Number.isFinite(ys[i]) &&
    (!y.log || ys[i] > 0) &&
    (!x.log || xs[i] > 0);
  ctx.save();
  ctx.strokeStyle = o.color;
  ctx.fillStyle = o.color;
  ctx.lineWidth = o.width;
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  ctx.setLineDash(o.dash ?? []);
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < n; i++) {
    if (!ok(i)) {
      pen = false;
      continue;
    }
    const px = x(xs[i]);
    const py = y(ys[i]);
    if (pen) ctx.lineTo(px, py);
    else ctx.moveTo(px, py);
    pen = true;
  }
  ctx.stroke();
  ctx.setLineDash([]);
  for (let i = 0; i < n; i++) {
    if (ok(i) && !ok(i - 1) && !ok(i + 1)) {
      ctx.beginPath();
      ctx.arc(x(xs[i]), y(ys[i]), Math.max(3.5, o.width * 1.6), 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  ctx.restore();
}

/** Clips subsequent drawing to a rectangle (pair with ctx.restore()). */
export function clipTo(ctx: Ctx, r: { left: number; top: number; width: number; height: number }): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(r.left, r.top, r.width, r.height);
  ctx.clip();
}
