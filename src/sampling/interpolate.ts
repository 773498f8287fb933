// Walks through latent space: a grid whose rows go from one random z to another, and
// an animated loop through a few random z. Smooth changes along a walk suggest G has
// learned a smooth mapping rather than memorised examples (Radford et al. 2016, §6.1).
import { Rng } from '../rng.js';
import { encodeGif, encodePng, tileImages, upscale, type Picture } from '../plots/grid.js';
import { drawLatents, runGenerator, type Prior } from '../generate/latent.js';
import { openRun, type RunOptions } from '../run/open.js';

export type LatentPath = 'slerp' | 'lerp';

/** Straight line: (1 − t)·a + t·b. */
export function lerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  checkPair(a, b);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i] + t * b[i];
  return out;
}

/**
 * Spherical interpolation: the direction moves along the great circle from a's to b's
 * at constant angular speed, and the norm goes linearly from ‖a‖ to ‖b‖. Falls back to
 * lerp when the angle is ~0 or ~π, where the great circle is not defined.
 */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  checkPair(a, b);
  let aa = 0;
  let bb = 0;
  let ab = 0;
  for (let i = 0; i < a.length; i++) {
    aa += a[i] * a[i];
    bb += b[i] * b[i];
    ab += a[i] * b[i];
  }
  const na = Math.sqrt(aa);
  const nb = Math.sqrt(bb);
  if (na === 0 || nb === 0) return lerp(a, b, t);
  const omega = Math.acos(Math.min(1, Math.max(-1, ab / (na * nb))));
  const sinOmega = Math.sin(omega);
  if (sinOmega < 1e-6) return lerp(a, b, t);
  const norm = (1 - t) * na + t * nb;
  const wa = (Math.sin((1 - t) * omega) / sinOmega) * (norm / na);
  const wb = (Math.sin(t * omega) / sinOmega) * (norm / nb);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i] + wb * b[i];
  return out;
}

/**
 * slerp for the normal prior: in high dimensions a Gaussian's mass lies on a thin
 * shell of radius ≈ √d, and the midpoint of a straight line between two such points
 * has norm ≈ √(d/2), a z that G almost never saw in training. For the uniform prior
 * (a cube) the straight line stays inside the support, so lerp.
 */
export function defaultPath(prior: Prior): LatentPath {
  return prior === 'normal' ? 'slerp' : 'lerp';
}

/**
 * Rows × steps latent vectors (row-major): row r goes from z_a to z_b, the r-th pair
 * drawn from `rng` (z_a then z_b), in `steps` evenly spaced points, ends included.
 */
export function interpolationLatents(
  rng: Rng,
  prior: Prior,
  latentDim: number,
  rows: number,
  steps: number,
  path: LatentPath,
): Float32Array {
  checkCount('rows', rows, 1);
  checkCount('steps', steps, 2);
  const walk = path === 'slerp' ? slerp : lerp;
  const out = new Float32Array(rows * steps * latentDim);
  for (let r = 0; r < rows; r++) {
    const za = drawLatents(rng, prior, 1, latentDim);
    const zb = drawLatents(rng, prior, 1, latentDim);
    for (let s = 0; s < steps; s++) out.set(walk(za, zb, s / (steps - 1)), (r * steps + s) * latentDim);
  }
  return out;
}

/** `frames` latent vectors spread evenly over the closed loop z_0 → z_1 → … → z_(points−1) → z_0. */
export function loopLatents(
  rng: Rng,
  prior: Prior,
  latentDim: number,
  frames: number,
  path: LatentPath,
  points = 4,
): Float32Array {
  checkCount('frames', frames, 2);
  checkCount('points', points, 2);
  const walk = path === 'slerp' ? slerp : lerp;
  const anchors = Array.from({ length: points }, () => drawLatents(rng, prior, 1, latentDim));
  const out = new Float32Array(frames * latentDim);
  for (let f = 0; f < frames; f++) {
    const position = (f * points) / frames;
    const k = Math.floor(position);
    out.set(walk(anchors[k], anchors[(k + 1) % points], position - k), f * latentDim);
  }
  return out;
}

export interface InterpolateRequest {
  run: string;
  /** Rows of the grid: one random pair of latent points each (default 8). */
  rows?: number;
  /** Columns of the grid: points along each path, ends included (default 10). */
  steps?: number;
  /** Default: slerp for the normal prior, lerp for the uniform one (see defaultPath). */
  path?: LatentPath;
  /** Seed for the latent points (default: the run's seed). */
  seed?: number;
  /** Frames of the animated loop; 0 or undefined: no animation. */
  frames?: number;
  generator?: 'average' | 'trained';
}

export interface Interpolation {
  /** The grid: rows × steps tiles, row r from z_a to z_b. */
  grid: Picture;
  /** The grid's images, NHWC in [−1, 1], and the latent vectors they came from. */
  images: Float32Array;
  shape: [number, number, number, number];
  latents: Float32Array;
  path: LatentPath;
  /** The animation's frames, each enlarged ×4 (when frames were asked for). */
  frames?: Picture[];
  options: RunOptions;
}

/**
 * The grid and (optionally) the loop's frames. Both draw from a fresh Rng(seed), so
 * the loop passes through the end points of the grid's first two rows.
 */
export async function interpolateRun(r: InterpolateRequest): Promise<Interpolation> {
  const rows = r.rows ?? 8;
  const steps = r.steps ?? 10;
  checkCount('rows', rows, 1);
  checkCount('steps', steps, 2);
  if (r.frames !== undefined && r.frames !== 0) checkCount('frames', r.frames, 2);
  const { options, model, output } = await openRun(r.run, r.generator);
  try {
    if (output.kind !== 'image') {
      throw new Error(
        `Expected an image run for interpolate but ${r.run}'s generator outputs ${output.dim}D points; use gankit ` +
          'sample for 2D runs',
      );
    }
    const { latentDim, prior } = options;
    const seed = r.seed ?? options.seed;
    const path = r.path ?? defaultPath(prior);
    const latents = interpolationLatents(new Rng(seed), prior, latentDim, rows, steps, path);
    const images = await runGenerator(model, latents, latentDim);
    const shape: Interpolation['shape'] = [rows * steps, ...output.shape];
    const grid = tileImages(images, shape, { columns: steps });
    let frames: Picture[] | undefined;
    if (r.frames) {
      const z = loopLatents(new Rng(seed), prior, latentDim, r.frames, path);
      const pictures = await runGenerator(model, z, latentDim);
      const size = output.shape[0] * output.shape[1] * output.shape[2];
      frames = Array.from({ length: r.frames }, (_, f) =>
        upscale(tileImages(pictures.subarray(f * size, (f + 1) * size), [1, ...output.shape], { padding: 0 }), 4),
      );
    }
    return { grid, images, shape, latents, path, frames, options };
  } finally {
    model.dispose();
  }
}

/** The grid as PNG bytes and the loop as GIF bytes (~80 ms a frame). */
export async function encodeInterpolation(result: Interpolation, frameMs = 80): Promise<{ png: Buffer; gif?: Buffer }> {
  return {
    png: await encodePng(result.grid),
    gif: result.frames ? await encodeGif(result.frames, frameMs) : undefined,
  };
}

function checkPair(a: Float32Array, b: Float32Array): void {
  if (a.length !== b.length)
    throw new Error(`Expected latent vectors of equal length but received ${a.length} and ${b.length}`);
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new Error(`Expected an integer ≥ ${min} for ${name} but received ${value}`);
}
