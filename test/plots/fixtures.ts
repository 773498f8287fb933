// Synthetic inputs resembling real training runs, shared by the tests and the preview script.

import type { Bounds, Grid } from '../../src/plots/index.js';

/** Small deterministic PRNG (mulberry32) so pictures and tests are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(r: () => number): number {
  const u = Math.max(1e-12, r());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

export const RING_BOUNDS: Bounds = { xmin: -3, xmax: 3, ymin: -3, ymax: 3 };

/** Centres of `m` modes evenly on a circle, M×2 interleaved. */
export function ringModes(m = 8, radius = 2): Float32Array {
  const out = new Float32Array(2 * m);
  for (let k = 0; k < m; k++) {
    out[2 * k] = radius * Math.cos((2 * Math.PI * k) / m);
    out[2 * k + 1] = radius * Math.sin((2 * Math.PI * k) / m);
  }
  return out;
}

/** n samples, each from a mode chosen among `useModes` (indices), with the given std. */
export function sampleModes(
  modes: Float32Array,
  n: number,
  std: number,
  seed: number,
  useModes?: number[],
): Float32Array {
  const r = rng(seed);
  const idx = useModes ?? Array.from({ length: modes.length / 2 }, (_, k) => k);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const k = idx[Math.floor(r() * idx.length)];
    out[2 * i] = modes[2 * k] + std * gaussian(r);
    out[2 * i + 1] = modes[2 * k + 1] + std * gaussian(r);
  }
  return out;
}

/** Evaluates f at cell centres of an nx×ny grid over `bounds` (row j = y from ymin). */
export function gridOf(bounds: Bounds, nx: number, ny: number, f: (x: number, y: number) => number): Grid {
  const values = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    const y = bounds.ymin + ((j + 0.5) / ny) * (bounds.ymax - bounds.ymin);
    for (let i = 0; i < nx; i++) {
      const x = bounds.xmin + ((i + 0.5) / nx) * (bounds.xmax - bounds.xmin);
      values[j * nx + i] = f(x, y);
    }
  }
  return { values, nx, ny, bounds };
}

/** Density of an equal-weight isotropic Gaussian mixture. */
export function mixtureDensity(modes: Float32Array, std: number): (x: number, y: number) => number {
  const m = modes.length / 2;
  const c = 1 / (m * 2 * Math.PI * std * std);
  return (x, y) => {
    let s = 0;
    for (let k = 0; k < m; k++) {
      const dx = x - modes[2 * k];
      const dy = y - modes[2 * k + 1];
      s += Math.exp(-(dx * dx + dy * dy) / (2 * std * std));
    }
    return c * s;
  };
}

export const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

export function normalPdf(x: number, mu: number, sd: number): number {
  const z = (x - mu) / sd;
  return Math.exp(-0.5 * z * z) / (sd * Math.sqrt(2 * Math.PI));
}
