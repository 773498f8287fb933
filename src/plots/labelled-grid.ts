// A tiled grid of images (grid.ts) as a picture a person can read on its own: a title
// saying what made it, a name left of each row and a value above each column where the
// rows and columns mean something (classes, code values, a sweep), and the images
// enlarged by a whole number so that small ones (MNIST's 28 px) are not a thumbnail.
// Guarantee: the images' pixels are the tiling's, each repeated scale × scale times at
// the offset labelledGridGeometry gives (nearest neighbour, no smoothing), so a tile can
// still be compared value for value with G's output.
import path from 'node:path';
import { encodePng, upscale, type Picture } from './grid.js';
import { createFigure, fitText, font, FONT, type Ctx } from './draw.js';
import { MUTED_TEXT, TEXT_COLOR } from './colors.js';

/** Where the tiles lie in the tiling (tileImages' layout: `padding` around and between them). */
export interface Tiling {
  rows: number;
  columns: number;
  /** One image's size in pixels. */
  tileWidth: number;
  tileHeight: number;
  padding: number;
}

export interface GridLabels {
  title: string;
  /** A muted second line under the title. */
  subtitle?: string;
  /** One per row, drawn left of it (class names, code values). */
  rowLabels?: string[];
  /** Above the row labels: what they are ("class", "categorical code"). */
  rowHeading?: string;
  /** One per column, drawn above it (a sweep's values). */
  columnLabels?: string[];
  /** Left of the column labels: what they are ("c2 ="). */
  columnHeading?: string;
}

/** What made a grid of samples, for its title. */
export interface GridSource {
  /** The run directory; its last name is shown. */
  run: string;
  data: string;
  /** The checkpoint's (or the training step's) step. */
  step: number;
  /** Which generator drew them: G's moving average or the trained G itself. */
  generator: 'average' | 'trained';
  /** The Jacobian truncation ratio the samples were drawn with (0 or absent: none). */
  jacobianTruncation?: number;
}

/** "ring8-run · fashion-mnist · step 900 · G's moving average · Jacobian truncation 1%". */
export function describeSource(s: GridSource): string {
  const which = s.generator === 'average' ? "G's moving average" : 'trained G';
  const ratio = s.jacobianTruncation ?? 0;
  const truncation = ratio > 0 ? ` · Jacobian truncation ${+(100 * ratio).toFixed(2)}%` : '';
  return `${path.basename(path.resolve(s.run))} · ${s.data} · step ${s.step} · ${which}${truncation}`;
}

/** Grids narrower than this are enlarged (by a whole number) until they are at least this wide. */
export const READABLE_WIDTH = 512;

/** The smallest whole factor that makes `width` pixels at least READABLE_WIDTH wide (1 when already wide). */
export function readableScale(width: number): number {
  return Math.max(1, Math.ceil(READABLE_WIDTH / Math.max(1, width)));
}

export interface LabelledGridGeometry {
  width: number;
  height: number;
  /** The enlarged tiling's top-left corner and its factor. */
  left: number;
  top: number;
  scale: number;
  /** Where the title's text ends (the band above the column labels holds only the header). */
  headerHeight: number;
}

const MARGIN = 12;
const ROW_LABEL_GAP = 10;
const COLUMN_LABEL_H = 22;
const HEADING_H = 20;

/** The picture's size and where the enlarged tiling goes in it. */
export function labelledGridGeometry(
  picture: { width: number; height: number },
  labels: GridLabels,
  scale = readableScale(picture.width),
): LabelledGridGeometry {
  const ctx = createFigure(1, 1).ctx; // measures the labels
  const headerHeight = labels.subtitle ? 62 : 44;
  ctx.font = font(FONT.label);
  const labelWidth = Math.max(0, ...(labels.rowLabels ?? []).map((l) => ctx.measureText(l).width));
  ctx.font = font(FONT.label, true);
  const headingWidth = Math.max(
    0,
    ...[labels.rowHeading, labels.columnHeading].map((h) => (h ? ctx.measureText(h).width : 0)),
  );
  const hasColumn = labels.rowLabels !== undefined || labels.columnHeading !== undefined;
  const rowColumn = hasColumn ? Math.ceil(Math.max(labelWidth, headingWidth)) + ROW_LABEL_GAP : 0;
  const left = MARGIN + rowColumn;
  const headings = labels.rowHeading || labels.columnLabels ? COLUMN_LABEL_H : 0;
  const top = headerHeight + headings + (labels.rowHeading && labels.columnLabels ? HEADING_H : 0);
  return {
    width: left + picture.width * scale + MARGIN,
    height: top + picture.height * scale + MARGIN,
    left,
    top,
    scale,
    headerHeight,
  };
}

/**
 * The tiling enlarged by `scale` (default readableScale) under a title, with its rows and
 * columns labelled, as PNG bytes: one grey channel when the tiling is grey, else RGB.
 */
export async function labelledGrid(
  picture: Picture,
  tiling: Tiling,
  labels: GridLabels,
  scale?: number,
): Promise<Buffer> {
  checkLabels(tiling, labels);
  const g = labelledGridGeometry(picture, labels, scale);
  const { canvas, ctx } = createFigure(g.width, g.height);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = TEXT_COLOR;
  fitText(ctx, labels.title, MARGIN, 28, FONT.title, g.width - 2 * MARGIN, true);
  if (labels.subtitle) {
    ctx.fillStyle = MUTED_TEXT;
    fitText(ctx, labels.subtitle, MARGIN, 49, FONT.subtitle, g.width - 2 * MARGIN);
  }
  const s = g.scale;
  const rowMiddle = (r: number) =>
    g.top + (tiling.padding + r * (tiling.tileHeight + tiling.padding) + tiling.tileHeight / 2) * s;
  const columnCentre = (c: number) =>
    g.left + (tiling.padding + c * (tiling.tileWidth + tiling.padding) + tiling.tileWidth / 2) * s;
  // Column labels sit just above the tiling; the row heading above the row labels' column.
  const labelRow = g.top - 6;
  if (labels.columnLabels) {
    ctx.fillStyle = TEXT_COLOR;
    ctx.font = font(FONT.label);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'alphabetic';
    const room = (tiling.tileWidth + tiling.padding) * s - 2;
    labels.columnLabels.forEach((label, c) => fitText(ctx, label, columnCentre(c), labelRow, FONT.label, room));
    if (labels.columnHeading) {
      ctx.textAlign = 'right';
      ctx.font = font(FONT.label, true);
      ctx.fillText(labels.columnHeading, g.left - ROW_LABEL_GAP, labelRow);
    }
  }
  if (labels.rowLabels) {
    if (labels.rowHeading) {
      ctx.fillStyle = MUTED_TEXT;
      ctx.font = font(FONT.label, true);
      ctx.textAlign = 'left';
      ctx.textBaseline = 'alphabetic';
      ctx.fillText(labels.rowHeading, MARGIN, labelRow - (labels.columnLabels ? HEADING_H : 0));
    }
    ctx.fillStyle = TEXT_COLOR;
    ctx.font = font(FONT.label);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    labels.rowLabels.forEach((label, r) => ctx.fillText(label, g.left - ROW_LABEL_GAP, rowMiddle(r)));
  }
  paint(ctx, s === 1 ? picture : upscale(picture, s), g.left, g.top);
  return encodePng(fromCanvas(ctx, g.width, g.height, picture.channels));
}

/** Copies a picture's bytes onto the canvas unchanged (putImageData does no blending or resampling). */
function paint(ctx: Ctx, picture: Picture, left: number, top: number): void {
  const { pixels, width, height, channels } = picture;
  const image = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) image.data[4 * i + k] = pixels[i * channels + (channels === 1 ? 0 : k)];
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, left, top);
}

/**
 * The canvas as a Picture of `channels` channels. Every colour drawn on a grey grid is a
 * grey (text in TEXT_COLOR/MUTED_TEXT on white), so keeping the red channel loses nothing.
 */
function fromCanvas(ctx: Ctx, width: number, height: number, channels: 1 | 3): Picture {
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const pixels = new Uint8Array(width * height * channels);
  for (let i = 0; i < width * height; i++)
    for (let k = 0; k < channels; k++) pixels[i * channels + k] = rgba[4 * i + k];
  return { pixels, width, height, channels };
}

/** tileImages' layout for n images of h × w in `columns` columns. */
export function tilingFor(n: number, h: number, w: number, columns: number, padding = 2): Tiling {
  return { rows: Math.max(1, Math.ceil(n / columns)), columns, tileWidth: w, tileHeight: h, padding };
}

function checkLabels(tiling: Tiling, labels: GridLabels): void {
  const check = (name: string, list: string[] | undefined, count: number, what: string) => {
    if (list && list.length !== count)
      throw new Error(`Expected ${count} ${name} (one per ${what}) but received ${list.length}`);
  };
  check('row labels', labels.rowLabels, tiling.rows, 'row');
  check('column labels', labels.columnLabels, tiling.columns, 'column');
}
