// Conditional accuracy and InfoGAN's code accuracy with synthetic generators and
// classifiers, and the Hungarian assignment against brute force.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bestAssignment,
  codeAccuracy,
  conditionalAccuracy,
  infoganCodeAccuracy,
  type Classifier,
} from '../../src/metrics/conditional.js';
import { Rng } from '../../src/rng.js';

const SIZE = 16; // a 4×4 "image"
/** Class k drawn as a known pattern: pixel k lit, the rest dark, with a little noise. */
const drawClass = (rng: Rng) => (k: number, n: number) => {
  const out = rng.fillUniform(new Float32Array(n * SIZE), -1, -0.8);
  for (let i = 0; i < n; i++) out[i * SIZE + k] = 1;
  return out;
};
/** The oracle: the brightest pixel is the class. */
const oracle: Classifier = (images, n) =>
  Int32Array.from({ length: n }, (_, i) => {
    const image = images.subarray(i * SIZE, (i + 1) * SIZE);
    return image.indexOf(Math.max(...image));
  });

test('a generator that draws class k as k has conditional accuracy 1; one class wrong costs 1/K', async () => {
  const result = await conditionalAccuracy(oracle, drawClass(new Rng(1)), 10, 20);
  assert.equal(result.accuracy, 1);
  assert.deepEqual(result.perClass, new Array(10).fill(1));
  // Class 3 comes out as 4 half the time.
  const draw = drawClass(new Rng(2));
  const sloppy = (k: number, n: number) =>
    k === 3 ? Float32Array.from([...draw(3, n / 2), ...draw(4, n / 2)]) : draw(k, n);
  const half = await conditionalAccuracy(oracle, sloppy, 10, 20);
  assert.equal(half.perClass[3], 0.5);
  assert.ok(Math.abs(half.accuracy - 0.95) < 1e-12);
  await assert.rejects(
    conditionalAccuracy(() => new Int32Array(3), draw, 10, 20),
    /Expected the classifier to return 20 classes but it returned 3/,
  );
});

test("InfoGAN's code: a permuted code is recovered by the best one-to-one mapping", async () => {
  const permutation = [7, 2, 9, 0, 4, 1, 8, 3, 6, 5]; // code c draws class permutation[c]
  const draw = drawClass(new Rng(3));
  const result = await infoganCodeAccuracy(oracle, (c, n) => draw(permutation[c], n), 10, 15);
  assert.equal(result.accuracy, 1);
  assert.deepEqual(result.mapping, permutation);
  // Two code values for one class: only one of them can map to it.
  const merged = await infoganCodeAccuracy(oracle, (c, n) => draw(c === 9 ? 0 : c, n), 10, 15);
  assert.ok(Math.abs(merged.accuracy - 0.9) < 1e-12, `${merged.accuracy}`);
});

test('codeAccuracy: paired predictions, more codes than classes leave codes unmatched', () => {
  const codes = Int32Array.from([0, 0, 1, 1, 2, 2]);
  const labels = Int32Array.from([1, 1, 0, 1, 0, 0]);
  const r = codeAccuracy(codes, labels, 3, 2);
  // Best: code 0 → class 1 (2), code 2 → class 0 (2); code 1 has no class left.
  assert.equal(r.accuracy, 4 / 6);
  assert.deepEqual(r.mapping, [1, -1, 0]);
  assert.deepEqual(r.counts, [
    [0, 2],
    [1, 1],
    [2, 0],
  ]);
  assert.throws(
    () => codeAccuracy(Int32Array.from([5]), Int32Array.from([0]), 3, 2),
    /Expected code values in 0\.\.2 but example 0 has 5/,
  );
});

/** The largest total over every one-to-one mapping of rows to columns (or to nothing). */
function bruteForce(counts: number[][]): number {
  const columns = counts[0].length;
  const best = (row: number, used: Set<number>): number => {
    if (row === counts.length) return 0;
    let top = best(row + 1, used); // this row unmatched
    for (let c = 0; c < columns; c++) {
      if (used.has(c)) continue;
      used.add(c);
      top = Math.max(top, counts[row][c] + best(row + 1, used));
      used.delete(c);
    }
    return top;
  };
  return best(0, new Set());
}

test('the Hungarian assignment equals brute force over all permutations', () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 60; trial++) {
    const rows = 1 + rng.int(6);
    const columns = 1 + rng.int(6);
    const counts = Array.from({ length: rows }, () =>
      Array.from({ length: columns }, () => rng.int(trial % 2 ? 4 : 50)),
    );
    const mapping = bestAssignment(counts);
    const used = mapping.filter((c) => c >= 0);
    assert.equal(new Set(used).size, used.length, 'one-to-one');
    assert.equal(used.length, Math.min(rows, columns));
    const total = mapping.reduce((s, c, r) => s + (c >= 0 ? counts[r][c] : 0), 0);
    assert.equal(total, bruteForce(counts), JSON.stringify(counts));
  }
  assert.throws(() => bestAssignment([[1, 2], [3]]), /Expected a non-empty rectangular matrix/);
});
