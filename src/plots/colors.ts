// Colours. Line/dot colours come from the Okabe–Ito set and the colour maps from
// ColorBrewer (Blues, PRGn), all chosen to stay distinguishable with colour-blindness.

export type RGB = [number, number, number];

/** Okabe & Ito (2008) palette, in the order series get them. */
export const SERIES_COLORS = [
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#E69F00', // orange
  '#CC79A7', // reddish purple
  '#56B4E9', // sky blue
  '#000000', // black
  '#F0E442', // yellow (last: weak on white)
];

/** Real data: neutral dark grey so generated samples (orange) are the eye-catcher. */
export const REAL_COLOR = '#3a3a3a';
/** Generated samples: strong orange, far from the blue density and the purple/green D map. */
export const FAKE_COLOR = '#E66100';
/** Divergence markers (NaN / Infinity). */
export const ALERT_COLOR = '#D00000';
export const AXIS_COLOR = '#333333';
export const GRID_COLOR = '#e6e6e6';
export const TEXT_COLOR = '#111111';
export const MUTED_TEXT = '#555555';

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

/**
 * Data density: white → mid blue (ColorBrewer Blues, stopping before the darkest shades
 * so grey and orange dots on top stay visible).
 */
export const densityColor = rampFrom(['#ffffff', '#eef4fb', '#c6dbef', '#9ecae1', '#6baed6', '#3f8fc5']);

/**
 * Discriminator probability: purple (0, "fake") → near-white (0.5) → green (1, "real").
 * ColorBrewer PRGn, whose ends differ in lightness as well as hue.
 */
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

/**
 * Maps density values to [0, 1] on a log scale spanning `decades` below the maximum, so a
 * tight Gaussian (std 0.01, peak ~1600× its neighbourhood) and broad mass both show.
 */
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

export function rgbString([r, g, b]: RGB, alpha = 1): string {
  return alpha >= 1 ? `rgb(${r},${g},${b})` : `rgba(${r},${g},${b},${alpha})`;
}

export function withAlpha(hex: string, alpha: number): string {
  return rgbString(hexToRgb(hex), alpha);
}
