// What the game looks like on toy data, computed for the pictures (pictures.ts) and for
// the dashboard's live.json (live.ts) alike: G's samples from a fixed noise, σ(D(x)) on
// a grid over the plane, the way G's next update pushes its samples, and on the line D
// beside the optimal D*. None of it draws from the training stream: the noise comes
// from seed-derived streams of its own, so a run is the same whether or not it is watched.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Grid } from '../plots/index.js';
import { gridCentres, type ToyDataset } from '../data/toy.js';
import { Rng } from '../rng.js';
import { generate, type Gan } from './gan.js';
import { readAndDispose } from '../backend/read.js';
import type { Codes } from '../games/conditional.js';

/** The pictures' fixed noise stream: the same z at every step, so pictures of one run compare. */
export const fixedNoise = (seed: number) => new Rng(seed + 1_000_003);

/**
 * `n` samples of `sampler` from the fixed noise, with the codes they were made for (a conditional G's classes
 * uniform, from a stream of their own).
 */
export async function fixedSamples(gan: Gan, sampler: tfl.LayersModel, seed: number, n: number) {
  const noise = fixedNoise(seed);
  const codes = gan.conditioning?.draw(new Rng(seed + 3_000_003), n);
  let offset = 0;
  const fake = await generate(
    sampler,
    (m) => {
      const z = gan.noise(m, noise);
      if (!codes) return z;
      offset += m;
      return gan.generatorInput(z, sliceCodes(gan, codes, offset - m, offset));
    },
    n,
  );
  return { fake, codes };
}

/** Examples start..end of a set of codes. */
export function sliceCodes(gan: Gan, codes: Codes, start: number, end: number): Codes {
  const c = gan.conditioning!.continuous;
  return gan.conditioning!.encode(codes.classes.subarray(start, end), codes.continuous.subarray(start * c, end * c));
}

/**
 * σ(D(x)) at the centre of every cell of an n×n grid over the data's bounds, row by row from (xmin, ymin)
 * (CGAN's D, which judges x for a class: the mean over the classes).
 */
export async function discriminatorField(gan: Gan, data: ToyDataset, n: number): Promise<Grid> {
  const points = gridCentres(data.bounds, n);
  const cond = gan.conditioning;
  const field = tf.tidy(() => {
    const x = tf.tensor2d(points, [n * n, 2]);
    const judged = (codes?: Codes) => tf.sigmoid(gan.judge(x, codes, false).logits);
    if (!cond?.discriminatorReadsCode) return judged();
    const each = Array.from({ length: cond.classes }, (_, k) => judged(cond.encode(new Int32Array(n * n).fill(k))));
    return tf.div(tf.addN(each), cond.classes);
  });
  return { values: await readAndDispose(field), nx: n, ny: n, bounds: data.bounds };
}

/** For some of G's samples, −∇ₓ of G's loss: the way G's next update moves them. */
export async function generatorPush(
  gan: Gan,
  points: Float32Array,
  codes?: Codes,
): Promise<{ points: Float32Array; dirs: Float32Array }> {
  const dirs = tf.tidy(() => {
    const x = tf.tensor2d(points, [points.length / 2, 2]);
    const grad = tf.grad((input: tf.Tensor) => gan.game.generator(gan.judge(input, codes, false).logits))(x);
    return tf.neg(grad);
  });
  return { points, dirs: await readAndDispose(dirs) };
}

export interface LineView {
  /** n points across the data's bounds, at the centres of n equal cells. */
  xs: Float32Array;
  /** σ(D(x)) and the optimal D*(x) = p_data/(p_data + p_g) against G's samples. */
  dLearned: Float32Array;
  dOptimal: Float32Array;
  pData: Float32Array;
  /** G's density: a kernel density estimate of `fake`. */
  pG: Float32Array;
}

/** 1D data: D and D* at n points across the line, from G's samples `fake`. */
export async function lineView(gan: Gan, data: ToyDataset, fake: Float32Array, n: number): Promise<LineView> {
  const { xmin, xmax } = data.bounds;
  const xs = new Float32Array(n).map((_, i) => xmin + ((i + 0.5) * (xmax - xmin)) / n);
  const dLearned = await readAndDispose(
    tf.tidy(() => tf.sigmoid(gan.judge(tf.tensor2d(xs, [n, 1]), undefined, false).logits)),
  );
  const pData = data.density(xs);
  const pG = kernelDensity(fake, xs);
  const dOptimal = pData.map((p, i) => (p + pG[i] > 0 ? p / (p + pG[i]) : 0.5));
  return { xs, dLearned, dOptimal, pData, pG };
}

/** Gaussian kernel density estimate with Silverman's bandwidth. */
export function kernelDensity(samples: Float32Array, xs: Float32Array): Float32Array {
  const n = samples.length;
  let mean = 0;
  for (const s of samples) mean += s / n;
  let variance = 0;
  for (const s of samples) variance += (s - mean) ** 2 / n;
  const h = Math.max(1.06 * Math.sqrt(variance) * n ** -0.2, 1e-3);
  const norm = 1 / (n * h * Math.sqrt(2 * Math.PI));
  return xs.map((x) => {
    let sum = 0;
    for (const s of samples) sum += Math.exp(-0.5 * ((x - s) / h) ** 2);
    return sum * norm;
  });
}
