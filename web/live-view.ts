// The live picture of a 1D or 2D game from live.json (docs/dashboard.md §1), like GAN
// Lab's: for 2D the data density, D's heatmap (σ(D) on the PRGn ramp of
// discriminator.png), G's samples and the arrows of G's next step; for 1D D beside the
// optimal D*, p_data and p_g. Each layer has a checkbox. Drawn on a Canvas 2D: a frame is
// a 48×48 grid and a few hundred points, well within one animation frame.
import type { LiveFrame } from './common.js';
import { dColor, densityColor, FAKE_COLOR, logNormalize, SERIES_COLORS, withAlpha } from './colors.js';

const LAYERS = {
  2: [
    ['density', 'data density'],
    ['field', "D's heatmap σ(D)"],
    ['fake', "G's samples"],
    ['arrows', "G's gradient"],
  ],
  1: [
    ['pData', 'p_data'],
    ['pG', 'p_g'],
    ['d', 'D'],
    ['dStar', 'D*'],
    ['fake', "G's samples"],
  ],
} as const;

const SIZE = 420;

export class LiveView {
  readonly canvas = document.createElement('canvas');
  private readonly layers = document.createElement('div');
  private readonly shown = new Map<string, boolean>();
  private frame: LiveFrame | null = null;
  private dim: 1 | 2 | null = null;
  /** Frames drawn so far: the tests count redraws with it. */
  private drawn = 0;

  constructor(readonly element: HTMLElement) {
    this.canvas.className = 'live';
    this.canvas.width = SIZE * devicePixelRatio;
    this.canvas.height = SIZE * devicePixelRatio;
    this.canvas.style.width = `${SIZE}px`;
    this.canvas.style.height = `${SIZE}px`;
    this.layers.className = 'layers';
    element.append(this.canvas, this.layers);
  }

  get step(): number | null {
    return this.frame?.step ?? null;
  }

  clear(): void {
    this.frame = null;
    this.canvas.getContext('2d')!.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Keeps `frame` to draw when the panel goes live again. */
  keep(frame: LiveFrame): void {
    if (frame.dim !== this.dim) this.makeLayerBoxes(frame.dim);
    this.frame = frame;
  }

  /** Keeps `frame` and draws it. */
  show(frame: LiveFrame): void {
    if (frame.dim !== this.dim) this.makeLayerBoxes(frame.dim);
    this.frame = frame;
    this.draw();
  }

  private makeLayerBoxes(dim: 1 | 2): void {
    this.dim = dim;
    const boxes = LAYERS[dim].map(([key, label]) => {
      if (!this.shown.has(key)) this.shown.set(key, true);
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = this.shown.get(key)!;
      box.dataset.layer = key;
      box.addEventListener('change', () => {
        this.shown.set(key, box.checked);
        this.draw();
      });
      const text = document.createElement('label');
      text.append(box, ` ${label}`);
      return text;
    });
    this.layers.replaceChildren(...boxes);
  }

  draw(): void {
    const frame = this.frame;
    if (!frame) return;
    const ctx = this.canvas.getContext('2d')!;
    ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, SIZE, SIZE);
    if (frame.dim === 2) this.draw2d(ctx, frame);
    else this.draw1d(ctx, frame);
    this.drawn++;
    this.canvas.dataset.frames = String(this.drawn);
    this.canvas.dataset.step = String(frame.step);
  }

  private on(key: string): boolean {
    return this.shown.get(key) ?? true;
  }

  private draw2d(ctx: CanvasRenderingContext2D, frame: LiveFrame): void {
    const b = frame.bounds;
    const px = (x: number) => ((x - b.xmin) / (b.xmax - b.xmin)) * SIZE;
    const py = (y: number) => SIZE - ((y - b.ymin) / (b.ymax - b.ymin)) * SIZE;
    const grid = frame.field ?? frame.density;
    if (grid && (this.on('field') || this.on('density'))) {
      const { nx, ny } = grid;
      const image = new ImageData(nx, ny);
      const density = frame.density && this.on('density') ? logNormalize(frame.density.values, 5) : null;
      const field = frame.field && this.on('field') ? frame.field.values : null;
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const k = j * nx + i; // rows from ymin up
          let rgb: number[] = field ? dColor(field[k]) : [255, 255, 255];
          if (density) {
            // Five decades as samples.png: a tight mode (std 0.02) still shows. Over D's map the data shows as
            // blue in proportion to its density; alone, on the Blues ramp.
            const t = density[k];
            const blue = densityColor(1);
            rgb = field ? rgb.map((c, n) => c + (blue[n] - c) * t * 0.75) : densityColor(t);
          }
          const o = ((ny - 1 - j) * nx + i) * 4; // image rows from the top
          image.data[o] = rgb[0];
          image.data[o + 1] = rgb[1];
          image.data[o + 2] = rgb[2];
          image.data[o + 3] = 255;
        }
      }
      const cells = document.createElement('canvas');
      cells.width = nx;
      cells.height = ny;
      cells.getContext('2d')!.putImageData(image, 0, 0);
      ctx.imageSmoothingEnabled = true;
      // One cell per grid value, stretched over the bounds and smoothed between neighbours.
      ctx.drawImage(cells, 0, 0, SIZE, SIZE);
    }
    if (this.on('fake')) {
      ctx.fillStyle = withAlpha(FAKE_COLOR, 0.8);
      ctx.strokeStyle = 'rgba(255,255,255,0.7)';
      ctx.lineWidth = 0.6;
      for (let i = 0; i + 1 < frame.fake.length; i += 2) {
        ctx.beginPath();
        ctx.arc(px(frame.fake[i]), py(frame.fake[i + 1]), 2.2, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
    }
    if (frame.arrows && this.on('arrows')) drawArrows(ctx, frame.arrows, px, py);
  }

  private draw1d(ctx: CanvasRenderingContext2D, frame: LiveFrame): void {
    const xs = frame.xs ?? [];
    if (xs.length < 2) return;
    const b = frame.bounds;
    const left = 36;
    const bottom = SIZE - 28;
    const top = 12;
    const px = (x: number) => left + ((x - b.xmin) / (b.xmax - b.xmin)) * (SIZE - left - 8);
    const py = (v: number, max: number) => bottom - (v / max) * (bottom - top);
    const densityMax = Math.max(1e-12, ...(frame.pData ?? [0]), ...(frame.pG ?? [0]));
    const curve = (values: number[] | undefined, max: number, color: string, fill: boolean, dash: number[] = []) => {
      if (!values) return;
      ctx.beginPath();
      values.forEach((v, i) => (i === 0 ? ctx.moveTo(px(xs[i]), py(v, max)) : ctx.lineTo(px(xs[i]), py(v, max))));
      if (fill) {
        ctx.lineTo(px(xs[xs.length - 1]), bottom);
        ctx.lineTo(px(xs[0]), bottom);
        ctx.fillStyle = withAlpha(color, 0.25);
        ctx.fill();
      } else {
        ctx.strokeStyle = color;
        ctx.lineWidth = 2;
        ctx.setLineDash(dash);
        ctx.stroke();
        ctx.setLineDash([]);
      }
    };
    if (this.on('pData')) curve(frame.pData, densityMax, '#3f8fc5', true);
    if (this.on('pG')) curve(frame.pG, densityMax, FAKE_COLOR, true);
    if (this.on('dStar')) curve(frame.dStar, 1, '#111111', false, [6, 4]);
    if (this.on('d')) curve(frame.d, 1, SERIES_COLORS[2], false);
    if (this.on('fake')) {
      ctx.strokeStyle = withAlpha(FAKE_COLOR, 0.5);
      ctx.lineWidth = 1;
      for (const x of frame.fake) {
        ctx.beginPath();
        ctx.moveTo(px(x), bottom + 2);
        ctx.lineTo(px(x), bottom + 10);
        ctx.stroke();
      }
    }
    // Axes: σ(D) from 0 to 1 on the left; the densities share the height, scaled to their peak.
    ctx.strokeStyle = '#333333';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(left, top);
    ctx.lineTo(left, bottom);
    ctx.lineTo(SIZE - 8, bottom);
    ctx.stroke();
    ctx.fillStyle = '#333333';
    ctx.font = '11px sans-serif';
    ctx.fillText('1', left - 12, top + 8);
    ctx.fillText('0.5', left - 24, (top + bottom) / 2 + 4);
    ctx.fillText(String(b.xmin), left, bottom + 22);
    ctx.fillText(String(b.xmax), SIZE - 30, bottom + 22);
  }
}

/** G's gradient step at each arrow's point; the longest arrow is 6% of the width (as discriminator.png). */
function drawArrows(
  ctx: CanvasRenderingContext2D,
  arrows: { points: number[]; dirs: number[] },
  px: (x: number) => number,
  py: (y: number) => number,
): void {
  const k = Math.min(arrows.points.length, arrows.dirs.length) >> 1;
  const sx = px(1) - px(0);
  const sy = py(0) - py(1);
  let longest = 0;
  for (let i = 0; i < k; i++) {
    const l = Math.hypot(arrows.dirs[2 * i] * sx, arrows.dirs[2 * i + 1] * sy);
    if (Number.isFinite(l) && l > longest) longest = l;
  }
  if (!(longest > 0)) return;
  const scale = (0.06 * SIZE) / longest;
  for (const [color, width] of [
    ['rgba(255,255,255,0.85)', 3.2],
    ['#111111', 1.4],
  ] as const) {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    for (let i = 0; i < k; i++) {
      const x0 = px(arrows.points[2 * i]);
      const y0 = py(arrows.points[2 * i + 1]);
      const dx = arrows.dirs[2 * i] * sx * scale;
      const dy = -arrows.dirs[2 * i + 1] * sy * scale;
      if (![x0, y0, dx, dy].every(Number.isFinite) || Math.hypot(dx, dy) < 1) continue;
      const angle = Math.atan2(dy, dx);
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x0 + dx, y0 + dy);
      ctx.lineTo(x0 + dx - 5 * Math.cos(angle - 0.5), y0 + dy - 5 * Math.sin(angle - 0.5));
      ctx.moveTo(x0 + dx, y0 + dy);
      ctx.lineTo(x0 + dx - 5 * Math.cos(angle + 0.5), y0 + dy - 5 * Math.sin(angle + 0.5));
      ctx.stroke();
    }
  }
}
