// Kernel Inception Distance (Bińkowski et al. 2018): the unbiased estimate of the
// squared maximum mean discrepancy between two feature sets under the cubic
// polynomial kernel k(x, y) = (x·y/d + 1)³, averaged over random subsets. Unbiased:
// two samples of one distribution score 0 on average (single subsets can dip below 0),
// whatever the sample size, unlike FID. Kernel sums run in float64: MMD² is a small
// difference of large sums.
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../rng.js';
import type { VectorSet } from './distances.js';
import { readTensors } from '../backend/read.js';

export interface KidOptions {
  /** Default 100. */
  subsets?: number;
  /** Default min(1000, both set sizes). */
  subsetSize?: number;
  seed?: number;
}

export interface MeanStd {
  mean: number;
  /** Standard deviation over subsets (or splits). */
  std: number;
}

export async function kernelInceptionDistance(x: VectorSet, y: VectorSet, o: KidOptions = {}): Promise<MeanStd> {
  if (x.dim !== y.dim) throw new Error(`Expected feature sets of one dimension but received ${x.dim} and ${y.dim}`);
  const m = o.subsetSize ?? Math.min(1000, x.count, y.count);
  if (!Number.isInteger(m) || m < 2 || m > x.count || m > y.count) {
    throw new Error(
      `Expected a KID subset size from 2 to ${Math.min(x.count, y.count)} (the smaller set) but received ${m}`,
    );
  }
  const subsets = o.subsets ?? 100;
  const rng = new Rng(o.seed ?? 1);
  const values: number[] = [];
  for (let s = 0; s < subsets; s++) {
    const xs = subset(x, pick(rng, x.count, m));
    const ys = subset(y, pick(rng, y.count, m));
    // Row sums on the backend (1,000 terms each, float32), their totals in float64.
    // The three kernels' row sums come back in one read.
    const [kxx, kyy, kxy] = tf.tidy(() => {
      const a = tf.tensor2d(xs, [m, x.dim]);
      const b = tf.tensor2d(ys, [m, x.dim]);
      const kernel = (p: tf.Tensor2D, q: tf.Tensor2D) => {
        const t = tf.add(tf.div(tf.matMul(p, q, false, true), x.dim), 1);
        return tf.sum(tf.mul(tf.square(t), t), 1); // t³: Pow has no fast kernel
      };
      return [kernel(a, a), kernel(b, b), kernel(a, b)];
    });
    const [rowsXX, rowsYY, rowsXY] = await readTensors([kxx, kyy, kxy]).finally(() => tf.dispose([kxx, kyy, kxy]));
    const xx = sum(rowsXX) - selfKernels(xs, m, x.dim);
    const yy = sum(rowsYY) - selfKernels(ys, m, x.dim);
    const xy = sum(rowsXY);
    values.push((xx + yy) / (m * (m - 1)) - (2 * xy) / (m * m));
  }
  return meanStd(values);
}

export function meanStd(values: number[]): MeanStd {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/** m distinct indices from 0 … n − 1 (a partial Fisher–Yates shuffle). */
export function pick(rng: Rng, n: number, m: number): Uint32Array {
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  return all.slice(0, m);
}

/** The rows of `set` at `indices`, as one block. */
export function subset(set: VectorSet, indices: Uint32Array): Float32Array {
  const out = new Float32Array(indices.length * set.dim);
  indices.forEach((row, i) => out.set(set.values.subarray(row * set.dim, (row + 1) * set.dim), i * set.dim));
  return out;
}

function sum(values: Float32Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

/** Σ_i k(x_i, x_i) = Σ_i (‖x_i‖²/d + 1)³, the diagonal the unbiased estimate leaves out. */
function selfKernels(values: Float32Array, m: number, dim: number): number {
  let total = 0;
  for (let i = 0; i < m; i++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += values[i * dim + j] ** 2;
    total += (norm / dim + 1) ** 3;
  }
  return total;
}
