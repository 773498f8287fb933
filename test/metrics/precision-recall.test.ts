// Improved precision and recall, and the nearest-neighbour searches under them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/backend/index.js';
import { kNearest, nearestDistances } from '../../src/metrics/distances.js';
import { precisionRecall } from '../../src/metrics/precision-recall.js';
import { Rng } from '../../src/rng.js';

const gaussian = (rng: Rng, n: number, d: number, shift = 0) => {
  const values = rng.fillNormal(new Float32Array(n * d));
  for (let i = 0; i < values.length; i++) values[i] += shift;
  return { values, count: n, dim: d };
};

test('precision and recall of a set against itself are 1', async () => {
  await initBackend();
  const a = gaussian(new Rng(1), 2000, 64, 5); // far from the origin: ‖x‖² is large, so rounding in ‖a‖² + ‖b‖² − 2a·b shows if mishandled
  assert.deepEqual(await precisionRecall(a, a), { precision: 1, recall: 1 });
});

test('precision and recall: disjoint sets score 0; a collapsed generator keeps precision and loses recall', async () => {
  await initBackend();
  const rng = new Rng(2);
  const real = gaussian(rng, 1000, 8);
  assert.deepEqual(await precisionRecall(real, gaussian(rng, 1000, 8, 20)), { precision: 0, recall: 0 });
  // Every generated sample near one real point: realistic, but with no variety.
  const collapsed = gaussian(rng, 1000, 8);
  for (let i = 0; i < collapsed.values.length; i++)
    collapsed.values[i] = real.values[i % 8] + 0.01 * collapsed.values[i];
  const pr = await precisionRecall(real, collapsed);
  assert.ok(pr.precision > 0.9, `precision ${pr.precision}`);
  assert.ok(pr.recall < 0.05, `recall ${pr.recall}`);
  // A second sample of the same distribution: both high, neither exactly 1.
  const fresh = await precisionRecall(real, gaussian(rng, 1000, 8));
  assert.ok(fresh.precision > 0.6 && fresh.recall > 0.6, JSON.stringify(fresh));
});

/** Improved precision (or recall) by brute force in float64: the fraction of `queries` inside some ball of `centres`. */
function bruteInside(queries: number[][], centres: number[][], k: number): { fraction: number; margin: number } {
  const dist = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, c) => s + (v - b[c]) ** 2, 0));
  // Each centre's ball reaches its k-th nearest other centre.
  const radii = centres.map(
    (c, i) =>
      centres
        .filter((_, j) => j !== i)
        .map((o) => dist(c, o))
        .sort((a, b) => a - b)[k - 1],
  );
  let inside = 0;
  let margin = Infinity; // how close any query comes to a ball's edge: float32 rounding must not decide
  for (const q of queries) {
    let hit = false;
    centres.forEach((c, i) => {
      const d = dist(q, c);
      margin = Math.min(margin, Math.abs(d - radii[i]));
      if (d <= radii[i]) hit = true;
    });
    if (hit) inside++;
  }
  return { fraction: inside / queries.length, margin };
}

test('precision and recall equal a brute-force count of points inside the k-NN balls, for k = 1, 3, 5', async () => {
  await initBackend();
  const rng = new Rng(6);
  // Sets of different sizes and spreads, so precision ≠ recall and each k gives other radii.
  const real = gaussian(rng, 90, 3);
  const generated = gaussian(rng, 70, 3, 0.4);
  for (let i = 0; i < generated.values.length; i++) generated.values[i] *= 1.5;
  const rows = (s: typeof real) =>
    Array.from({ length: s.count }, (_, i) => Array.from(s.values.subarray(i * s.dim, (i + 1) * s.dim)));
  for (const k of [1, 3, 5]) {
    const precision = bruteInside(rows(generated), rows(real), k);
    const recall = bruteInside(rows(real), rows(generated), k);
    assert.ok(
      Math.min(precision.margin, recall.margin) > 1e-5,
      `k ${k}: a point lies on a ball edge (${precision.margin}, ${recall.margin})`,
    );
    assert.deepEqual(await precisionRecall(real, generated, k), {
      precision: precision.fraction,
      recall: recall.fraction,
    });
    assert.notEqual(precision.fraction, recall.fraction);
  }
});

test('kNearest and nearestDistances agree with a brute-force search', async () => {
  await initBackend();
  const rng = new Rng(4);
  const a = gaussian(rng, 50, 5);
  const b = gaussian(rng, 300, 5);
  const { index, distance } = await kNearest(a, b, 3);
  const nearest = await nearestDistances(a, b);
  for (let i = 0; i < a.count; i++) {
    const all = Array.from({ length: b.count }, (_, j) => {
      let s = 0;
      for (let c = 0; c < 5; c++) s += (a.values[i * 5 + c] - b.values[j * 5 + c]) ** 2;
      return [Math.sqrt(s), j];
    }).sort((p, q) => p[0] - q[0]);
    for (let k = 0; k < 3; k++) {
      assert.equal(index[i * 3 + k], all[k][1]);
      assert.ok(Math.abs(distance[i * 3 + k] - all[k][0]) < 1e-4);
    }
    assert.ok(Math.abs(nearest[i] - all[0][0]) < 1e-4);
  }
  // Within one set, skipSelf leaves each row's own index out.
  const self = await kNearest(b, b, 1, true);
  assert.ok(self.index.every((j, i) => j !== i));
});
