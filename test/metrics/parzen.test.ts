// The Parzen-window estimate against a direct float64 computation, and the protocol's σ choice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/backend/index.js';
import { PARZEN_SIGMAS, parzenLogLikelihoods, parzenProtocol } from '../../src/metrics/parzen.js';
import { Rng } from '../../src/rng.js';

const uniform = (rng: Rng, n: number, d: number) => ({
  values: rng.fillUniform(new Float32Array(n * d)),
  count: n,
  dim: d,
});

/** log p(x) = log mean_i N(x; s_i, σ²I), term by term in float64. */
function direct(x: Float32Array, centres: Float32Array, d: number, sigma: number): number {
  const n = centres.length / d;
  const logs: number[] = [];
  for (let i = 0; i < n; i++) {
    let d2 = 0;
    for (let c = 0; c < d; c++) d2 += (x[c] - centres[i * d + c]) ** 2;
    logs.push(-d2 / (2 * sigma * sigma) - (d / 2) * Math.log(2 * Math.PI * sigma * sigma));
  }
  const max = Math.max(...logs);
  return max + Math.log(logs.reduce((a, l) => a + Math.exp(l - max), 0) / n);
}

test('Parzen log-likelihood equals a direct float64 computation', async () => {
  await initBackend();
  const rng = new Rng(3);
  const d = 20;
  const centres = uniform(rng, 30, d);
  const queries = uniform(rng, 7, d);
  const sigmas = [0.1, 0.3, 1];
  const got = await parzenLogLikelihoods(queries, centres, sigmas);
  sigmas.forEach((sigma, s) => {
    for (let i = 0; i < queries.count; i++) {
      const want = direct(queries.values.subarray(i * d, (i + 1) * d), centres.values, d, sigma);
      assert.ok(
        Math.abs(got[s][i] - want) < 1e-3 * Math.max(1, Math.abs(want)),
        `σ ${sigma}, query ${i}: ${got[s][i]} vs ${want}`,
      );
    }
  });
});

test('Parzen protocol: σ from logspace(−1, 0, 10) by validation likelihood; mean ± standard error of the test set, by hand', async () => {
  await initBackend();
  assert.equal(PARZEN_SIGMAS.length, 10);
  PARZEN_SIGMAS.forEach((sigma, i) => assert.ok(Math.abs(sigma - 10 ** (-1 + i / 9)) < 1e-12, `σ ${i}: ${sigma}`));
  const rng = new Rng(8);
  const d = 10;
  // Points spread with std 0.3 around 0.5: a window inside the range fits best, not an end of it.
  const draw = (n: number) => {
    const values = rng.fillNormal(new Float32Array(n * d), 0.5, 0.3);
    return { values, count: n, dim: d };
  };
  const [samples, validation, test_] = [draw(300), draw(40), draw(60)];
  const result = await parzenProtocol(samples, validation, test_);
  // The protocol by hand: every σ's mean validation log-likelihood, the best σ, then the test set's mean and
  // standard error (population std / √n) under it.
  const lls = (set: typeof samples, sigma: number) =>
    Array.from({ length: set.count }, (_, i) =>
      direct(set.values.subarray(i * d, (i + 1) * d), samples.values, d, sigma),
    );
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const validationMeans = PARZEN_SIGMAS.map((sigma) => mean(lls(validation, sigma)));
  const best = validationMeans.indexOf(Math.max(...validationMeans));
  const runnerUp = Math.max(...validationMeans.filter((_, i) => i !== best));
  assert.ok(validationMeans[best] - runnerUp > 1e-3, 'two σ nearly tie: rounding could pick either');
  assert.ok(best > 0 && best < 9, `σ at an end of the range: ${PARZEN_SIGMAS[best]}`);
  assert.equal(result.sigma, PARZEN_SIGMAS[best]);
  const ll = lls(test_, PARZEN_SIGMAS[best]);
  const m = mean(ll);
  const se = Math.sqrt(mean(ll.map((v) => (v - m) ** 2)) / ll.length);
  assert.ok(Math.abs(result.mean - m) < 1e-5 * Math.abs(m), `mean ${result.mean} vs ${m} by hand`);
  assert.ok(Math.abs(result.se - se) < 1e-5 * se, `standard error ${result.se} vs ${se} by hand`);
});
