// Figure 2, the "GAN Lab" view: where D believes data is real, where G's samples sit in
// that landscape, and which way G's gradient is pushing them.

import { dataToPixel } from './axes.js';
import { dColor, FAKE_COLOR, REAL_COLOR, withAlpha } from './colors.js';
import {
  drawArrow,
  drawColorbar,
  drawDots,
  drawHeatmap,
  drawLegend,
  dotRadius,
  encodePng,
  type LegendItem,
} from './draw.js';
import { drawAxes2d, layout2d } from './layout2d.js';
import type { Bounds, Grid } from './types.js';

export interface Discriminator2dOptions {
  /** D's output probability sigmoid(D(x)) in [0, 1] on a grid (not the logit). */
  field: Grid;
  /** Generated samples, N×2 interleaved. */
  fake: Float32Array;
  /**
   * Gradient arrows for a subset of samples: `points` K×2 are positions, `dirs` K×2 the
   * direction G's update moves them (e.g. −∂L_G/∂x), in data units. Lengths are rescaled
   * together so the longest arrow is `arrowFraction` of the plot width: relative
   * magnitudes are kept, absolute ones are not.
   */
  arrows?: { points: Float32Array; dirs: Float32Array };
  real?: Float32Array;
  bounds: Bounds;
  title: string;
  subtitle?: string;
  /** Longest arrow as a fraction of the plot width (default 0.06). */
  arrowFraction?: number;
}

export async function plotDiscriminator2d(o: Discriminator2dOptions): Promise<Buffer> {
  const { canvas, ctx, frame, columnX, columnWidth } = layout2d(o.bounds, o.title, o.subtitle);

  // Probabilities map straight onto the colour ramp; clamp guards against logits passed by mistake.
  const t = new Float32Array(o.field.values.length);
  for (let i = 0; i < t.length; i++) {
    const v = o.field.values[i];
    t[i] = Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0.5;
  }
  drawHeatmap(ctx, frame, o.field, t, dColor);

  const legend: LegendItem[] = [];
  if (o.real && o.real.length >= 2) {
    const n = Math.floor(o.real.length / 2);
    drawDots(ctx, frame, o.real, { color: withAlpha(REAL_COLOR, 0.55), radius: dotRadius(n, frame.width) * 0.6 });
    legend.push({ label: `real (${n})`, kind: 'dot', color: REAL_COLOR });
  }
  const nFake = Math.floor(o.fake.length / 2);
  // A thin white rim separates orange dots from both the dark purple and the green ends.
  drawDots(ctx, frame, o.fake, {
    color: withAlpha(FAKE_COLOR, 0.8),
    radius: dotRadius(nFake, frame.width),
    outline: 'rgba(255,255,255,0.7)',
    outlineWidth: 0.6,
  });
  legend.push({ label: `generated (${nFake})`, kind: 'dot', color: FAKE_COLOR, color2: '#ffffff' });

  if (o.arrows) {
    const drawn = drawGradientArrows(ctx, frame, o.arrows.points, o.arrows.dirs, o.arrowFraction ?? 0.06);
    if (drawn > 0) legend.push({ label: "G's gradient step", kind: 'arrow', color: '#111111' });
  }

  drawAxes2d(ctx, frame);
  const barTop = frame.top + 28;
  const barH = Math.min(260, frame.height * 0.5);
  drawColorbar(ctx, { left: columnX, top: barTop, width: 18, height: barH }, dColor, {
    title: 'D(x)',
    ticks: [0, 0.25, 0.5, 0.75, 1],
    topLabel: 'real',
    bottomLabel: 'fake',
  });
  drawLegend(ctx, legend, columnX, barTop + barH + 24, columnWidth);
  return encodePng(canvas);
}

/** Returns how many arrows were drawn (zero-length and non-finite ones are skipped). */
function drawGradientArrows(
  ctx: Parameters<typeof drawArrow>[0],
  frame: Parameters<typeof dataToPixel>[0],
  points: Float32Array,
  dirs: Float32Array,
  fraction: number,
): number {
  const b = frame.bounds;
  const sx = frame.width / (b.xmax - b.xmin);
  const sy = frame.height / (b.ymax - b.ymin);
  const k = Math.min(points.length, dirs.length) >> 1;
  // Measure in pixels so "longest arrow = fraction of width" holds for any aspect ratio.
  let maxLen = 0;
  for (let i = 0; i < k; i++) {
    const l = Math.hypot(dirs[2 * i] * sx, dirs[2 * i + 1] * sy);
    if (Number.isFinite(l) && l > maxLen) maxLen = l;
  }
  if (!(maxLen > 0)) return 0;
  const scale = (fraction * frame.width) / maxLen;
  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.left, frame.top, frame.width, frame.height);
  ctx.clip();
  let drawn = 0;
  for (const [color, width] of [
    ['rgba(255,255,255,0.85)', 3.2],
    ['#111111', 1.4],
  ] as const) {
    for (let i = 0; i < k; i++) {
      const x = points[2 * i];
      const y = points[2 * i + 1];
      const dx = dirs[2 * i] * sx * scale;
      const dy = -dirs[2 * i + 1] * sy * scale; // data y up, canvas y down
      if (![x, y, dx, dy].every(Number.isFinite) || Math.hypot(dx, dy) < 1) continue;
      const [px, py] = dataToPixel(frame, x, y);
      drawArrow(ctx, px, py, px + dx, py + dy, color, width);
      if (width < 2) drawn++;
    }
  }
  ctx.restore();
  return drawn;
}
