// Axis arithmetic: "nice" tick values, their labels, and the data → pixel mapping.
// Pure functions, no canvas, so they can be unit-tested directly.

import type { Bounds } from './types.js';

/** Heckbert's nice number: the closest of 1, 2, 5, 10 × 10^k to `range`. */
function niceNum(range: number, round: boolean): number {
  const exponent = Math.floor(Math.log10(range));
  const fraction = range / 10 ** exponent;
  let nice: number;
  if (round) nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  else nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * 10 ** exponent;
}

/** Decimal places needed to print multiples of `step` exactly (0.25 → 2, 5 → 0). */
function decimalsFor(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  for (let d = 0; d <= 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 12;
}

export interface Ticks {
  values: number[];
  /** Spacing of linear ticks (NaN for log ticks); decides how many decimals labels show. */
  step: number;
}

/**
 * Linear ticks at round values (multiples of 1, 2 or 5 × 10^k) lying inside [min, max],
 * about `target` of them: [0,1] → 0, 0.2, …, 1; [-4.2, 4.2] → -4, -2, 0, 2, 4.
 */
export function niceTicks(min: number, max: number, target = 6): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { values: [], step: NaN };
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    // A flat range still deserves a labelled axis: tick the value itself.
    return { values: [min], step: min === 0 ? 1 : niceNum(Math.abs(min), true) };
  }
  const step = niceNum((max - min) / Math.max(1, target - 1), true);
  const decimals = decimalsFor(step);
  const eps = step * 1e-9;
  const values: number[] = [];
  for (let k = Math.ceil((min - eps) / step); k * step <= max + eps; k++) {
    // toFixed removes float noise such as 0.30000000000000004.
    const v = Number((k * step).toFixed(decimals));
    values.push(v === 0 ? 0 : v); // no "-0"
  }
  return { values, step };
}

/**
 * Log-scale ticks at powers of ten inside [min, max] (both > 0): [1e-3, 10] → 0.001, 0.01,
 * 0.1, 1, 10. Wide ranges keep every 2nd/3rd decade; ranges narrower than ~2 decades add
 * the 2 and 5 multiples so the axis has more than one label.
 */
export function logTicks(min: number, max: number, target = 6): Ticks {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) {
    return { values: [], step: NaN };
  }
  if (max < min) [min, max] = [max, min];
  const lo = Math.ceil(Math.log10(min) - 1e-9);
  const hi = Math.floor(Math.log10(max) + 1e-9);
  const decades = hi - lo + 1;
  const values: number[] = [];
  if (decades >= 3) {
    const every = Math.max(1, Math.ceil(decades / target));
    for (let e = lo; e <= hi; e++) if ((e - lo) % every === 0) values.push(pow10(e));
  } else {
    for (let e = Math.floor(Math.log10(min)) - 1; e <= Math.ceil(Math.log10(max)); e++) {
      for (const m of [1, 2, 5]) {
        const v = m * pow10(e);
        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) values.push(Number(v.toPrecision(12)));
      }
    }
    // Less than a factor 2 of range: log ticks say nothing, fall back to linear ones.
    if (values.length < 2) return niceTicks(min, max, target);
  }
  return { values, step: NaN };
}

function pow10(e: number): number {
  // 10 ** -3 is 0.0010000000000000002; parsing the literal gives the exact double.
  return Number(`1e${e}`);
}

/**
 * Label for one tick: as many decimals as the step needs, thousands as "k"/"M" on large
 * axes (step counts), and 1e-5 style for tiny or huge log ticks.
 */
export function formatTick(v: number, step: number = NaN): string {
  if (v === 0) {
    // "0.0" beside "0.5", "1.0" keeps a column of labels uniform; tiny steps print "0".
    // An axis whose other labels are written 2.0e-4 (steps below 1e-4) shows its zero as "0".
    const d = Number.isFinite(step) ? decimalsFor(step) : 0;
    return d > 0 && d <= 4 && !(step < 1e-4) ? (0).toFixed(d) : '0';
  }
  const a = Math.abs(v);
  if (!Number.isFinite(step)) {
    // Log ticks (or a single value): short general formatting.
    if (a >= 1e5 || a < 1e-4) {
      const [m, e] = v.toExponential().split('e');
      const mant = Number(Number(m).toPrecision(3));
      return `${mant}e${Number(e)}`;
    }
    return String(Number(v.toPrecision(4)));
  }
  if (a >= 1e6 && step >= 1e5) return `${(v / 1e6).toFixed(decimalsFor(step / 1e6))}M`;
  if (a >= 1e4 && step >= 1e3) return `${(v / 1e3).toFixed(decimalsFor(step / 1e3))}k`;
  if (step < 1e-4 && a < 1e-3) return v.toExponential(1);
  return v.toFixed(decimalsFor(step));
}

/** Maps a data interval onto a pixel interval (pixel range may be reversed, as for y). */
export interface Scale {
  (v: number): number;
  domain: [number, number];
  range: [number, number];
  log: boolean;
}

export function linearScale(d0: number, d1: number, p0: number, p1: number): Scale {
  const span = d1 - d0 || 1;
  const f = ((v: number) => p0 + ((v - d0) / span) * (p1 - p0)) as Scale;
  f.domain = [d0, d1];
  f.range = [p0, p1];
  f.log = false;
  return f;
}

export function logScale(d0: number, d1: number, p0: number, p1: number): Scale {
  const l0 = Math.log10(d0);
  const span = Math.log10(d1) - l0 || 1;
  const f = ((v: number) => p0 + ((Math.log10(v) - l0) / span) * (p1 - p0)) as Scale;
  f.domain = [d0, d1];
  f.range = [p0, p1];
  f.log = true;
  return f;
}

/** A plot area in pixels plus the data rectangle it shows (y grows upwards in data). */
export interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
  bounds: Bounds;
}

/** Data point → canvas pixel: xmin at the left edge, ymin at the bottom edge. */
export function dataToPixel(f: Frame, x: number, y: number): [number, number] {
  const b = f.bounds;
  const px = f.left + ((x - b.xmin) / (b.xmax - b.xmin)) * f.width;
  const py = f.top + f.height - ((y - b.ymin) / (b.ymax - b.ymin)) * f.height;
  return [px, py];
}

/** Canvas pixel → data point (inverse of dataToPixel). */
export function pixelToData(f: Frame, px: number, py: number): [number, number] {
  const b = f.bounds;
  const x = b.xmin + ((px - f.left) / f.width) * (b.xmax - b.xmin);
  const y = b.ymin + ((f.top + f.height - py) / f.height) * (b.ymax - b.ymin);
  return [x, y];
}

/**
 * Largest plot area with the data's aspect ratio (1 data unit = same pixels on both axes)
 * that fits in maxW × maxH, so circles of Gaussians stay round.
 */
export function equalAspectSize(b: Bounds, maxW: number, maxH: number): [number, number] {
  const dx = b.xmax - b.xmin;
  const dy = b.ymax - b.ymin;
  if (!(dx > 0) || !(dy > 0)) return [maxW, maxH];
  const s = Math.min(maxW / dx, maxH / dy);
  // Extreme aspect ratios would give an unreadable sliver; keep at least a third.
  return [Math.round(Math.max(maxW / 3, dx * s)), Math.round(Math.max(maxH / 3, dy * s))];
}
