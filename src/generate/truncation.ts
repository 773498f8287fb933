// Jacobian-based truncation (JBT; Tanielian et al. 2020, "Learning disconnected
// manifolds: a no GAN's land", ICML). A continuous G of a connected prior cannot make
// disconnected modes without also making "bridges" between them: the latent points
// that land between two modes, where G stretches a thin strip of z across the gap. G's
// Jacobian is largest exactly there, so dropping the latent points whose Jacobian norm
// is in the top fraction r removes the bridges first. On grid25 (defaults, seeds 1–3,
// 20,000 samples) r = 0.01 lifts high quality from 97.4–97.6% to 98.3–98.5% and r =
// 0.02 to 99.2–99.5%: nearly every dropped sample was a low-quality one.
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';
import { drawLatents, runGenerator, type Prior } from './latent.js';

/** A conditional G's second input: `dim` code values per latent row. */
export interface GeneratorCodes {
  values: Float32Array;
  dim: number;
}

/** Step of the central differences, in units of the prior (whose scale is 1). */
const STEP = 1e-3;

/**
 * ‖J_G(z)‖²_F for every row of z, by central differences along each latent axis
 * (2·latentDim extra passes of G). A conditional G's codes stay fixed: the Jacobian is
 * with respect to z alone.
 */
export async function jacobianNorms(
  model: tfl.LayersModel,
  z: Float32Array,
  latentDim: number,
  codes?: GeneratorCodes,
): Promise<Float64Array> {
  const n = z.length / latentDim;
  const norms = new Float64Array(n);
  for (let axis = 0; axis < latentDim; axis++) {
    const shifted = (delta: number) => {
      const moved = Float32Array.from(z);
      for (let i = 0; i < n; i++) moved[i * latentDim + axis] += delta;
      return runGenerator(model, moved, latentDim, 500, codes);
    };
    const ahead = await shifted(STEP);
    const behind = await shifted(-STEP);
    const perExample = ahead.length / n;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = i * perExample; j < (i + 1) * perExample; j++) {
        const slope = (ahead[j] - behind[j]) / (2 * STEP);
        sum += slope * slope;
      }
      norms[i] += sum;
    }
  }
  return norms;
}

/**
 * How many latent rows to draw so that, after dropping the fraction `ratio` with the
 * largest Jacobians, n remain. At least 1,000, so that the cut-off (a quantile of the
 * pool) is a steady estimate even for a handful of samples.
 */
export function truncationPool(n: number, ratio: number): number {
  checkRatio(ratio);
  if (ratio === 0) return n;
  return Math.max(Math.ceil(n / (1 - ratio)), 1000);
}

/**
 * The rows of a pool to keep: those whose Jacobian norm is at most the pool's
 * (1 − ratio) quantile, in draw order, the first n of them. `norms` holds one value per
 * pool row; the pool must hold at least truncationPool(n, ratio) rows.
 */
export function keptRows(norms: Float64Array, n: number, ratio: number): Int32Array {
  checkRatio(ratio);
  const pool = norms.length;
  if (pool < truncationPool(n, ratio) && ratio > 0) {
    throw new Error(
      `Expected a pool of at least ${truncationPool(n, ratio)} latent rows for ${n} samples at ` +
        `truncation ${ratio} but received ${pool}`,
    );
  }
  const sorted = Float64Array.from(norms).sort();
  // NaN sorts last: a row whose G output is not finite is dropped first.
  const cutoff = sorted[pool - Math.floor(ratio * pool) - 1];
  const kept = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < pool && count < n; i++) if (norms[i] <= cutoff) kept[count++] = i;
  if (count < n)
    throw new Error(
      `Expected ${n} latent rows under the Jacobian cut-off but found ${count}; G's outputs may not be finite`,
    );
  return kept;
}

/** Latent rows (and a conditional G's codes, and their classes) for G. */
export interface LatentDraw {
  z: Float32Array;
  codes?: GeneratorCodes;
  classes?: Int32Array;
}

/**
 * The n rows of a pool (drawn with truncationPool(n, ratio) rows) that JBT keeps. With
 * ratio 0 the pool is returned as it is.
 */
export async function truncateDraw(
  model: tfl.LayersModel,
  pool: LatentDraw,
  latentDim: number,
  n: number,
  ratio: number,
): Promise<LatentDraw> {
  if (ratio === 0) return pool;
  return selectRows(pool, latentDim, keptRows(await jacobianNorms(model, pool.z, latentDim, pool.codes), n, ratio));
}

function selectRows(pool: LatentDraw, latentDim: number, rows: Int32Array): LatentDraw {
  return {
    z: pickRows(pool.z, latentDim, rows),
    ...(pool.codes
      ? { codes: { values: pickRows(pool.codes.values, pool.codes.dim, rows), dim: pool.codes.dim } }
      : {}),
    ...(pool.classes ? { classes: Int32Array.from(rows, (r) => pool.classes![r]) } : {}),
  };
}

/** How a conditional run's codes are drawn: n rows of codeDim values, and their classes. */
export interface CodeSource {
  dim: number;
  draw(rng: Rng, n: number): { input: Float32Array; classes: Int32Array };
}

/**
 * `size` latent rows (with codes, for a conditional G) from the prior: z first, then
 * the codes, from `rng` (the draws of drawLatents and CodeSource.draw, in that order).
 */
export function drawPool(rng: Rng, prior: Prior, latentDim: number, size: number, codes?: CodeSource): LatentDraw {
  const z = drawLatents(rng, prior, size, latentDim);
  const drawn = codes?.draw(rng, size);
  return { z, ...(drawn ? { codes: { values: drawn.input, dim: codes!.dim }, classes: drawn.classes } : {}) };
}

/** The first n rows of a draw: an untruncated sample from the same pool. */
export function firstRows(draw: LatentDraw, latentDim: number, n: number): LatentDraw {
  return selectRows(
    draw,
    latentDim,
    Int32Array.from({ length: n }, (_, i) => i),
  );
}

/** n latent rows from the prior, JBT-truncated at `ratio` (with ratio 0: drawPool's n rows). */
export async function drawTruncated(
  model: tfl.LayersModel,
  rng: Rng,
  prior: Prior,
  latentDim: number,
  n: number,
  ratio: number,
  codes?: CodeSource,
): Promise<LatentDraw> {
  return truncateDraw(model, drawPool(rng, prior, latentDim, truncationPool(n, ratio), codes), latentDim, n, ratio);
}

/** Rows `rows` of a row-major array `width` values wide. */
function pickRows(values: Float32Array, width: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(values.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

function checkRatio(ratio: number): void {
  if (!(ratio >= 0 && ratio < 1))
    throw new Error(`Expected a Jacobian truncation ratio in [0, 1) but received ${ratio}`);
}
