// The playground's pictures on Canvas 2D: points as a scatter over the data's bounds
// (1D: along x, spread vertically so they do not hide each other), images as a grid
// drawn one canvas pixel per image pixel and enlarged by CSS. Each drawing also answers
// which sample lies under a click.

import { FAKE_COLOR, SERIES_COLORS } from './colors.js';

export interface Bounds {
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
}

const FAKE = FAKE_COLOR; // G's samples look the same as in the PNGs
const [SELECTED, , OTHER] = SERIES_COLORS;
const SCATTER_SIZE = 480;
const PAD = 2; // pixels between the grid's images

/** A 1D sample's height in the scatter: fixed per index, so a re-render does not shuffle points. */
const jitter = (i: number) => (((Math.sin(i * 12.9898) * 43758.5453) % 1) + 1) % 1;

function scatterPosition(values: Float32Array, dim: number, b: Bounds, i: number): [number, number] {
  const x = ((values[i * dim] - b.xmin) / (b.xmax - b.xmin)) * SCATTER_SIZE;
  const y =
    dim > 1
      ? (1 - (values[i * dim + 1] - b.ymin) / (b.ymax - b.ymin)) * SCATTER_SIZE
      : (0.1 + 0.8 * jitter(i)) * SCATTER_SIZE;
  return [x, y];
}

/** A bound as a short label (fitted bounds have many digits). */
const label = (v: number) => String(+v.toPrecision(3));

/** Bounds around the samples (with a margin) for runs whose data bounds are not known. */
export function fittedBounds(values: Float32Array, dim: number): Bounds {
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  for (let i = 0; i < values.length; i++) {
    const axis = i % dim;
    if (!Number.isFinite(values[i])) continue;
    lo[axis] = Math.min(lo[axis], values[i]);
    hi[axis] = Math.max(hi[axis], values[i]);
  }
  const widen = (a: number, b: number): [number, number] => {
    if (!Number.isFinite(a)) return [-1, 1];
    const margin = 0.05 * (b - a || 1);
    return [a - margin, b + margin];
  };
  const [xmin, xmax] = widen(lo[0], hi[0]);
  const [ymin, ymax] = dim > 1 ? widen(lo[1], hi[1]) : [0, 1];
  return { xmin, xmax, ymin, ymax };
}

export interface Marks {
  /** Index of the selected sample (ringed), and of the interpolation's other end. */
  selected?: number;
  other?: number;
  /** An interpolation's points, drawn as a path over the scatter. */
  path?: Float32Array;
}

export function drawScatter(
  canvas: HTMLCanvasElement,
  values: Float32Array,
  dim: number,
  b: Bounds,
  marks: Marks,
): void {
  canvas.width = canvas.height = SCATTER_SIZE;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, SCATTER_SIZE, SCATTER_SIZE);
  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(0.5, 0.5, SCATTER_SIZE - 1, SCATTER_SIZE - 1);
  // The bounds at the edges, so positions can be read (the square is the run's PNGs' square).
  ctx.fillStyle = '#777';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'bottom';
  ctx.fillText(`x ${label(b.xmin)}`, 4, SCATTER_SIZE - 3);
  ctx.textAlign = 'right';
  ctx.fillText(label(b.xmax), SCATTER_SIZE - 4, SCATTER_SIZE - 3);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  if (dim > 1) ctx.fillText(`y ${label(b.ymax)}`, 4, 3);
  ctx.fillStyle = FAKE;
  ctx.globalAlpha = 0.6;
  const n = values.length / dim;
  for (let i = 0; i < n; i++) {
    const [x, y] = scatterPosition(values, dim, b, i);
    ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
  }
  ctx.globalAlpha = 1;
  ctx.lineWidth = 2;
  for (const [index, colour] of [
    [marks.selected, SELECTED],
    [marks.other, OTHER],
  ] as const) {
    if (index === undefined || index >= n) continue;
    const [x, y] = scatterPosition(values, dim, b, index);
    ctx.strokeStyle = colour;
    ctx.beginPath();
    ctx.arc(x, y, 7, 0, 2 * Math.PI);
    ctx.stroke();
  }
  if (marks.path) {
    ctx.strokeStyle = SELECTED;
    ctx.fillStyle = SELECTED;
    ctx.beginPath();
    const steps = marks.path.length / dim;
    for (let s = 0; s < steps; s++) {
      const [x, y] = scatterPosition(marks.path, dim, b, s);
      if (s === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
    for (let s = 0; s < steps; s++) {
      const [x, y] = scatterPosition(marks.path, dim, b, s);
      ctx.fillRect(x - 3, y - 3, 6, 6);
    }
  }
}

/** The sample nearest to a click at canvas pixel (x, y), if one lies within 10 pixels. */
export function scatterHit(values: Float32Array, dim: number, b: Bounds, x: number, y: number): number | undefined {
  let best: number | undefined;
  let bestDistance = 100;
  for (let i = 0; i < values.length / dim; i++) {
    const [px, py] = scatterPosition(values, dim, b, i);
    const d = (px - x) ** 2 + (py - y) ** 2;
    if (d < bestDistance) [best, bestDistance] = [i, d];
  }
  return best;
}

/** Images in [−1, 1] (n × h × w × c) as a grid of `columns`, the marked ones outlined. */
export function drawGrid(
  canvas: HTMLCanvasElement,
  values: Float32Array,
  shape: number[],
  columns: number,
  marks: Marks = {},
): void {
  const [h, w, c] = shape;
  const n = values.length / (h * w * c);
  const width = columns * (w + PAD) + PAD;
  const height = Math.ceil(n / columns) * (h + PAD) + PAD;
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const picture = ctx.createImageData(width, height);
  picture.data.fill(255);
  const byte = (v: number) => Math.min(255, Math.max(0, Math.round((v + 1) * 127.5)));
  for (let i = 0; i < n; i++) {
    const [left, top] = cellOrigin(i, columns, h, w);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const source = ((i * h + y) * w + x) * c;
        const target = ((top + y) * width + left + x) * 4;
        for (let k = 0; k < 3; k++) picture.data[target + k] = byte(values[source + (c === 1 ? 0 : k)]);
      }
  }
  ctx.putImageData(picture, 0, 0);
  ctx.lineWidth = 1;
  for (const [index, colour] of [
    [marks.selected, SELECTED],
    [marks.other, OTHER],
  ] as const) {
    if (index === undefined || index >= n) continue;
    const [left, top] = cellOrigin(index, columns, h, w);
    ctx.strokeStyle = colour;
    ctx.strokeRect(left - 1.5, top - 1.5, w + 3, h + 3);
  }
}

const cellOrigin = (i: number, columns: number, h: number, w: number) => [
  PAD + (i % columns) * (w + PAD),
  PAD + Math.floor(i / columns) * (h + PAD),
];

/** The grid cell under canvas pixel (x, y). */
export function gridHit(shape: number[], columns: number, n: number, x: number, y: number): number | undefined {
  const [h, w] = shape;
  const column = Math.floor((x - PAD / 2) / (w + PAD));
  const row = Math.floor((y - PAD / 2) / (h + PAD));
  const i = row * columns + column;
  return column >= 0 && column < columns && row >= 0 && i < n ? i : undefined;
}

/** Canvas pixel of a mouse event, whatever the CSS enlargement. */
export function canvasPoint(canvas: HTMLCanvasElement, event: MouseEvent): [number, number] {
  const rect = canvas.getBoundingClientRect();
  return [
    ((event.clientX - rect.left) / rect.width) * canvas.width,
    ((event.clientY - rect.top) / rect.height) * canvas.height,
  ];
}
