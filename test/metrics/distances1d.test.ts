// 1D distances against their formulas: W1 as the mean absolute difference of sorted
// samples of equal size and as the area between CDFs by hand, N(0,1) against N(μ,1)
// giving |μ|, KS statistics worked out by hand, and a small real-vs-real reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distances1d, ksStatistic, wasserstein1 } from '../../src/metrics/distances1d.js';
import { Rng } from '../../src/rng.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('W1 of equal-size samples is the mean absolute difference of the sorted samples', () => {
  // Sorted: [0, 1, 3] against [2, 2, 5]: (2 + 1 + 2) / 3.
  close(wasserstein1([3, 0, 1], [5, 2, 2]), 5 / 3);
  close(wasserstein1([1, 2, 3], [1, 2, 3]), 0);
  // A shift by c moves every sorted pair by c.
  close(wasserstein1([0.5, -1, 2, 7], [2.75, 1.25, 4.25, 9.25]), 2.25);
  // Random samples of 1,000: the formula, computed here in float64.
  const rng = new Rng(11);
  const a = rng.fillNormal(new Float32Array(1000));
  const b = rng.fillUniform(new Float32Array(1000), -2, 3);
  const [sa, sb] = [Float64Array.from(a).sort(), Float64Array.from(b).sort()];
  let mean = 0;
  for (let i = 0; i < 1000; i++) mean += Math.abs(sa[i] - sb[i]) / 1000;
  close(wasserstein1(a, b), mean, 1e-9);
});

test('W1 of samples of different sizes is the area between their CDFs, by hand', () => {
  // F_a steps to 1 at 0; F_b is 1/2 on [0, 2), then 1: area 1/2 · 2.
  close(wasserstein1([0], [0, 2]), 1);
  // F_a = 1/2 on [0, 1), 1 after; F_b = 0 on [0, 1), 1/3 on [1, 4), 1 after: 1/2·1 + 2/3·3.
  close(wasserstein1([0, 1], [1, 4, 4]), 0.5 + 2);
});

test('W1 between N(0,1) and N(μ,1) samples is |μ| within sampling error', () => {
  const rng = new Rng(3);
  for (const mu of [-1.5, 0.4, 2]) {
    const a = rng.fillNormal(new Float32Array(20_000));
    const b = rng.fillNormal(new Float32Array(20_000), mu, 1);
    // Two samples of 20,000 from one distribution differ by about 0.01 in W1.
    close(wasserstein1(a, b), Math.abs(mu), 0.04);
  }
});

test('KS statistics worked out by hand', () => {
  // After 2: F_a = 1/2, F_b = 0; after 3: 3/4 vs 1/4; after 4: 1 vs 1/2. The largest gap is 1/2.
  close(ksStatistic([1, 2, 3, 4], [3, 4, 5, 6]), 0.5);
  // Ties pass together: after 1: 2/3 vs 1/3; after 2: 1 vs 1.
  close(ksStatistic([1, 1, 2], [1, 2, 2]), 1 / 3);
  close(ksStatistic([0, 1], [5, 6, 7]), 1);
  close(ksStatistic([2, 1, 3], [3, 2, 1]), 0);
  // Sizes 2 and 4: after 1: 1/2 vs 1/4; after 2: 1 vs 1/4; after 2.5: 1 vs 1/2.
  close(ksStatistic([1, 2], [1, 2.5, 3, 3.5]), 0.75);
});

test('the real-vs-real reference is small: two seeded samples of N(2, 0.5²) of 2,500', () => {
  const rng = new Rng(21);
  const sample = () => rng.fillNormal(new Float32Array(2500), 2, 0.5);
  const shifted = sample().map((x) => x + 0.5);
  const d = distances1d(shifted, sample(), sample());
  // Real vs real: W1 about 0.5 · 0.03, KS about 0.025 at this size; G's sample, shifted by 0.5, is far.
  assert.ok(d.wasserstein1_real < 0.04, `W1 real ${d.wasserstein1_real}`);
  assert.ok(d.ks_real < 0.05, `KS real ${d.ks_real}`);
  close(d.wasserstein1, 0.5, 0.04);
  // KS of N(0,1) against N(1,1) (0.5 / 0.5 = one std apart) is 2Φ(1/2) − 1 = 0.383.
  close(d.ks, 0.383, 0.04);
});

test('a NaN sample is refused as a diverged generator, an empty one as no sample', () => {
  assert.throws(() => wasserstein1([1, NaN], [1, 2]), /Expected finite values in the first sample but value 1 is NaN/);
  assert.throws(() => ksStatistic([1], []), /Expected at least one value in the second sample/);
});
