// The project's colours for the page, the same values as src/plots/colors.ts so the live
// canvas and curves match the PNGs gankit writes. Kept as a copy because the browser
// code compiles apart from src/ (web/tsconfig.json); test/dash/colors.test.ts checks that
// both give the same colours.

export type RGB = [number, number, number];

/** Okabe & Ito (2008), in the order series get them (src/plots/colors.ts). */
export const SERIES_COLORS = ['#0072B2', '#D55E00', '#009E73', '#E69F00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'];
export const REAL_COLOR = '#3a3a3a';
export const FAKE_COLOR = '#E66100';
export const ALERT_COLOR = '#D00000';
/** Warning marks on curves (src/plots/curve-marks.ts's MARK_STYLES.warning). */
export const WARNING_COLOR = '#B35900';
/** Resume marks on curves (MARK_STYLES.resume). */
export const RESUME_COLOR = '#444444';

function hexToRgb(hex: string): RGB {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Piecewise-linear interpolation between evenly spaced colour stops, t in [0, 1]. */
function rampFrom(stops: string[]): (t: number) => RGB {
  const rgb = stops.map(hexToRgb);
  const n = rgb.length - 1;
  return (t: number): RGB => {
    const c = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
    const s = c * n;
    const i = Math.min(n - 1, Math.floor(s));
    const f = s - i;
    const a = rgb[i];
    const b = rgb[i + 1];
    return [
      Math.round(a[0] + (b[0] - a[0]) * f),
      Math.round(a[1] + (b[1] - a[1]) * f),
      Math.round(a[2] + (b[2] - a[2]) * f),
    ];
  };
}

/** Data density: ColorBrewer Blues, white to mid blue. */
export const densityColor = rampFrom(['#ffffff', '#eef4fb', '#c6dbef', '#9ecae1', '#6baed6', '#3f8fc5']);

/** σ(D): purple (0, "fake") → near-white (0.5) → green (1, "real"), ColorBrewer PRGn. */
export const dColor = rampFrom([
  '#762a83',
  '#9970ab',
  '#c2a5cf',
  '#e7d4e8',
  '#f7f7f7',
  '#d9f0d3',
  '#a6dba0',
  '#5aae61',
  '#1b7837',
]);

/** Density values to [0, 1] on a log scale spanning `decades` below the maximum (as the PNGs draw it). */
export function logNormalize(values: ArrayLike<number>, decades = 3): Float32Array {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > max && Number.isFinite(v)) max = v;
  }
  const out = new Float32Array(values.length);
  if (!(max > 0)) return out;
  const lmax = Math.log10(max);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v > 0 && Number.isFinite(v) ? Math.max(0, (Math.log10(v) - lmax + decades) / decades) : 0;
  }
  return out;
}

export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = hexToRgb(hex);
  return alpha >= 1 ? `rgb(${r},${g},${b})` : `rgba(${r},${g},${b},${alpha})`;
}
