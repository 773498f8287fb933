// FID's arithmetic against closed forms: two Gaussians' Fréchet distance is known
// exactly, so the estimator must land on it (up to sampling error) and the formula on
// hand-made statistics must be exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frechetDistance, gaussianStats, type GaussianStats } from '../../src/metrics/frechet.js';
import { Rng } from '../../src/rng.js';

function normalSet(rng: Rng, n: number, mean: number[]): Float32Array {
  const d = mean.length;
  const values = rng.fillNormal(new Float32Array(n * d));
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) values[i * d + j] += mean[j];
  return values;
}

test('FID of N(0, I) and N(μ, I) feature sets ≈ ‖μ‖²', () => {
  const d = 16;
  const n = 40_000;
  const rng = new Rng(7);
  const mu = Array.from({ length: d }, (_, j) => (j % 2 === 0 ? 1 : -1)); // ‖μ‖² = 16
  const a = gaussianStats(normalSet(rng, n, new Array(d).fill(0)), n, d);
  const b = gaussianStats(normalSet(rng, n, mu), n, d);
  const fid = frechetDistance(a, b);
  assert.ok(Math.abs(fid - 16) / 16 < 0.02, `FID ${fid}, expected ≈ 16`);
  // Two samples of one distribution: only the estimator's small bias, ~d²/n.
  const same = frechetDistance(a, gaussianStats(normalSet(rng, n, new Array(d).fill(0)), n, d));
  assert.ok(same < 0.02, `FID of one distribution with itself ${same}`);
  assert.equal(frechetDistance(a, a), 0);
});

test('FID of hand-made statistics: (μ1 − μ2)² + (σ1 − σ2)² per independent coordinate', () => {
  // Diagonal covariances: tr(Σ1 + Σ2 − 2(Σ1Σ2)^½) = Σ (σ1 − σ2)².
  const stats = (mean: number[], std: number[]): GaussianStats => {
    const d = mean.length;
    const cov = new Float64Array(d * d);
    std.forEach((s, j) => (cov[j * d + j] = s * s));
    return { count: 100, dim: d, mean: Float64Array.from(mean), cov };
  };
  const fid = frechetDistance(stats([0, 1, 2], [1, 2, 0.5]), stats([1, 1, 0], [3, 2, 0.25]));
  const expected = 1 + 0 + 4 + 4 + 0 + 0.0625;
  assert.ok(Math.abs(fid - expected) < 1e-9, `${fid} vs ${expected}`);
});

test('FID is symmetric and sees a rotated covariance (not only the diagonal)', () => {
  const rng = new Rng(3);
  const n = 20_000;
  // b: the coordinates of a mixed by a rotation of 45°, then one axis stretched.
  const a = normalSet(rng, n, [0, 0]);
  const b = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [x, y] = [a[2 * i] * 2, a[2 * i + 1]];
    b[2 * i] = (x - y) / Math.SQRT2;
    b[2 * i + 1] = (x + y) / Math.SQRT2;
  }
  const sa = gaussianStats(a, n, 2);
  const sb = gaussianStats(b, n, 2);
  // Σa = I, Σb has eigenvalues 4 and 1: FID = (2 − 1)² + (1 − 1)² = 1.
  assert.ok(Math.abs(frechetDistance(sa, sb) - 1) < 0.05, `${frechetDistance(sa, sb)}`);
  assert.ok(Math.abs(frechetDistance(sa, sb) - frechetDistance(sb, sa)) < 1e-9);
});

test('covariance: float64 and unbiased (divided by n − 1)', () => {
  const s = gaussianStats(new Float32Array([1, 2, 3, 4, 5, 9]), 3, 2); // rows (1,2), (3,4), (5,9)
  assert.deepEqual(Array.from(s.mean), [3, 5]);
  assert.deepEqual(Array.from(s.cov), [4, 7, 7, 13]);
  assert.throws(() => gaussianStats(new Float32Array(2), 1, 2), /Expected at least 2 feature vectors/);
});
