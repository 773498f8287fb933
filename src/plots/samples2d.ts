// Figure 1: generated samples over the data density, the basic picture of a 2D GAN run
// (which modes are covered, how tightly).

import { dataToPixel } from './axes.js';
import { densityColor, FAKE_COLOR, logNormalize, REAL_COLOR, withAlpha } from './colors.js';
import { drawDots, drawHeatmap, drawLegend, dotRadius, encodePng, type LegendItem } from './draw.js';
import { drawAxes2d, layout2d } from './layout2d.js';
import type { Bounds, Grid } from './types.js';

export interface Samples2dOptions {
  /** Generated samples, N×2 interleaved (x0, y0, x1, y1, …). */
  fake: Float32Array;
  /** Real samples, N×2 interleaved; drawn as small grey dots under the generated ones. */
  real?: Float32Array;
  /**
   * Data density p_data on a grid (any positive scale), shown log-scaled over
   * `densityDecades` decades below its peak. The grid must resolve the modes: cells no
   * wider than ~2 std (std 0.01 on [-3, 3] needs ≥ 300 cells per axis).
   */
  density?: Grid;
  /** Mode centres, M×2 interleaved; drawn as open circles. */
  modes?: Float32Array;
  bounds: Bounds;
  title: string;
  subtitle?: string;
  /** Decades of density shown below the peak (default 5: a std-0.02 mode shows ~5 std wide). */
  densityDecades?: number;
}

/** Pixel radius of the open circle at each mode centre. */
export const MODE_RING_RADIUS = 9;

export async function plotSamples2d(o: Samples2dOptions): Promise<Buffer> {
  const { canvas, ctx, frame, columnX, columnWidth } = layout2d(o.bounds, o.title, o.subtitle);
  const legend: LegendItem[] = [];

  if (o.density) {
    drawHeatmap(ctx, frame, o.density, logNormalize(o.density.values, o.densityDecades ?? 5), densityColor);
    legend.push({ label: 'data density (log)', kind: 'swatch', color: '#3f8fc5', color2: '#ffffff' });
  }
  const nFake = Math.floor(o.fake.length / 2);
  if (o.real && o.real.length >= 2) {
    const n = Math.floor(o.real.length / 2);
    drawDots(ctx, frame, o.real, { color: withAlpha(REAL_COLOR, 0.45), radius: dotRadius(n, frame.width) * 0.7 });
    legend.push({ label: `real (${n})`, kind: 'dot', color: REAL_COLOR });
  }
  drawDots(ctx, frame, o.fake, { color: withAlpha(FAKE_COLOR, 0.55), radius: dotRadius(nFake, frame.width) });
  legend.push({ label: `generated (${nFake})`, kind: 'dot', color: FAKE_COLOR });

  if (o.modes && o.modes.length >= 2) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(frame.left, frame.top, frame.width, frame.height);
    ctx.clip();
    for (let i = 0; i + 1 < o.modes.length; i += 2) {
      const [px, py] = dataToPixel(frame, o.modes[i], o.modes[i + 1]);
      // White halo then dark ring: visible on white, blue density and orange dots alike.
      for (const [color, width] of [
        ['rgba(255,255,255,0.8)', 3],
        ['#111111', 1.3],
      ] as const) {
        ctx.strokeStyle = color;
        ctx.lineWidth = width;
        ctx.beginPath();
        ctx.arc(px, py, MODE_RING_RADIUS, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
    ctx.restore();
    legend.push({ label: `mode centre (${Math.floor(o.modes.length / 2)})`, kind: 'ring', color: '#111111' });
  }

  drawAxes2d(ctx, frame);
  drawLegend(ctx, legend, columnX, frame.top, columnWidth);
  return encodePng(canvas);
}
