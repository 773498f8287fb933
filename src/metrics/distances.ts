// Squared Euclidean distances between two sets of vectors, a block of rows at a time:
// ‖a − b‖² = ‖a‖² + ‖b‖² − 2 a·b, the a·b part as one matrix product on the backend.
// A block holds at most ~4 million distances, so 10,000 × 60,000 pairs never sit in
// memory at once.
import * as tf from '@tensorflow/tfjs-core';
import { readAndDispose } from '../backend/read.js';

export interface VectorSet {
  /** count × dim, row-major. */
  values: Float32Array;
  count: number;
  dim: number;
}

const BLOCK_VALUES = 4_000_000;

/**
 * Calls `visit` with successive blocks of rows of a: the squared distances of rows
 * start … start + rows − 1 to every row of b (rows × b.count, row-major, ≥ 0).
 * `reduce` may shrink a block on the backend first (e.g. a minimum per row); then
 * visit receives what it returns.
 */
export async function distanceBlocks(
  a: VectorSet,
  b: VectorSet,
  visit: (block: Float32Array, start: number, rows: number) => void,
  reduce?: (d2: tf.Tensor2D, start: number, rows: number) => tf.Tensor,
): Promise<void> {
  if (a.dim !== b.dim) throw new Error(`Expected vectors of one dimension but received ${a.dim} and ${b.dim}`);
  if (a.count === 0 || b.count === 0) return;
  const rowsPerBlock = Math.max(1, Math.min(a.count, Math.floor(BLOCK_VALUES / b.count)));
  const [bt, bNorms] = tf.tidy(() => {
    const bt = tf.tensor2d(b.values.subarray(0, b.count * b.dim), [b.count, b.dim]);
    return [bt, tf.reshape(tf.sum(tf.square(bt), 1), [1, b.count])];
  });
  try {
    for (let start = 0; start < a.count; start += rowsPerBlock) {
      const rows = Math.min(rowsPerBlock, a.count - start);
      const result = tf.tidy(() => {
        const at = tf.tensor2d(a.values.subarray(start * a.dim, (start + rows) * a.dim), [rows, a.dim]);
        const aNorms = tf.sum(tf.square(at), 1, true);
        const cross = tf.matMul(at, bt, false, true);
        const d2 = tf.relu(tf.sub(tf.add(aNorms, bNorms), tf.mul(cross, 2))) as tf.Tensor2D; // rounding can dip below 0
        return reduce ? reduce(d2, start, rows) : d2;
      });
      visit(await readAndDispose(result), start, rows);
    }
  } finally {
    tf.dispose([bt, bNorms]);
  }
}

/** Distance (not squared) from each row of a to its nearest row of b. */
export async function nearestDistances(a: VectorSet, b: VectorSet): Promise<Float32Array> {
  const out = new Float32Array(a.count);
  await distanceBlocks(
    a,
    b,
    (mins, start) => {
      for (let i = 0; i < mins.length; i++) out[start + i] = Math.sqrt(mins[i]);
    },
    (d2) => tf.min(d2, 1),
  );
  return out;
}

/**
 * The k nearest rows of b to each row of a: indices and distances (not squared),
 * nearest first; rows × k, row-major. `skipSelf` drops a's own row when a and b are the same set.
 */
export async function kNearest(
  a: VectorSet,
  b: VectorSet,
  k: number,
  skipSelf = false,
): Promise<{ index: Int32Array; distance: Float32Array }> {
  if (!Number.isInteger(k) || k < 1 || k > b.count - (skipSelf ? 1 : 0)) {
    throw new Error(`Expected k from 1 to ${b.count - (skipSelf ? 1 : 0)} nearest neighbours but received ${k}`);
  }
  const index = new Int32Array(a.count * k);
  const d2 = new Float32Array(a.count * k);
  await distanceBlocks(a, b, (block, start, rows) => {
    for (let r = 0; r < rows; r++) {
      const row = block.subarray(r * b.count, (r + 1) * b.count);
      const bestD = d2.subarray((start + r) * k, (start + r + 1) * k).fill(Infinity);
      const bestI = index.subarray((start + r) * k, (start + r + 1) * k).fill(-1);
      // Insertion into a sorted list of k: cheap while k is small (3 for precision/recall).
      for (let j = 0; j < row.length; j++) {
        const v = row[j];
        if (v >= bestD[k - 1] || (skipSelf && j === start + r)) continue;
        let p = k - 1;
        while (p > 0 && bestD[p - 1] > v) {
          bestD[p] = bestD[p - 1];
          bestI[p] = bestI[p - 1];
          p--;
        }
        bestD[p] = v;
        bestI[p] = j;
      }
    }
  });
  return { index, distance: d2.map(Math.sqrt) };
}
