// KID: unbiased (≈ 0 for two samples of one distribution), positive for different
// ones, and equal to the MMD² formula evaluated directly in float64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/backend/index.js';
import { kernelInceptionDistance } from '../../src/metrics/kid.js';
import { Rng } from '../../src/rng.js';

const set = (rng: Rng, n: number, d: number, shift = 0) => {
  const values = rng.fillNormal(new Float32Array(n * d));
  for (let i = 0; i < values.length; i += d) values[i] += shift;
  return { values, count: n, dim: d };
};

test('KID of two samples of one distribution is ≈ 0 (within 2 std); of shifted ones, clearly positive', async () => {
  await initBackend();
  const rng = new Rng(5);
  const a = set(rng, 3000, 32);
  const b = set(rng, 3000, 32);
  const same = await kernelInceptionDistance(a, b, { subsets: 50, subsetSize: 500 });
  assert.ok(Math.abs(same.mean) < 2 * same.std, `KID ${same.mean} ± ${same.std}`);
  const shifted = await kernelInceptionDistance(a, set(rng, 3000, 32, 1), { subsets: 50, subsetSize: 500 });
  assert.ok(
    shifted.mean > 3 * shifted.std && shifted.mean > 10 * Math.abs(same.mean),
    `shifted ${shifted.mean} ± ${shifted.std}`,
  );
});

test('one subset of the whole sets equals the unbiased MMD² computed directly in float64', async () => {
  await initBackend();
  const rng = new Rng(9);
  const [m, d] = [40, 6];
  const x = set(rng, m, d);
  const y = set(rng, m, d, 0.3);
  const k = (p: Float32Array, i: number, q: Float32Array, j: number) => {
    let dot = 0;
    for (let c = 0; c < d; c++) dot += p[i * d + c] * q[j * d + c];
    return (dot / d + 1) ** 3;
  };
  let xx = 0,
    yy = 0,
    xy = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i !== j) xx += k(x.values, i, x.values, j);
      if (i !== j) yy += k(y.values, i, y.values, j);
      xy += k(x.values, i, y.values, j);
    }
  }
  const direct = (xx + yy) / (m * (m - 1)) - (2 * xy) / (m * m);
  // A subset of all m rows is the whole set, whatever order the subset draws them in.
  const kid = await kernelInceptionDistance(x, y, { subsets: 3, subsetSize: m });
  assert.ok(Math.abs(kid.mean - direct) < 1e-5 * Math.max(1, Math.abs(direct)), `${kid.mean} vs ${direct}`);
  assert.ok(kid.std < 1e-6);
});

test('KID refuses a subset larger than a set', async () => {
  await initBackend();
  const rng = new Rng(1);
  await assert.rejects(
    kernelInceptionDistance(set(rng, 10, 4), set(rng, 20, 4), { subsetSize: 15 }),
    /Expected a KID subset size from 2 to 10/,
  );
});
