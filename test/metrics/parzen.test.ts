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
  const got = parzenLogLikelihoods(queries, centres, sigmas);
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

test('Parzen protocol: σ from logspace(−1, 0, 10) by validation likelihood; mean ± standard error of the test set', async () => {
  await initBackend();
  assert.equal(PARZEN_SIGMAS.length, 10);
  assert.ok(Math.abs(PARZEN_SIGMAS[0] - 0.1) < 1e-12 && Math.abs(PARZEN_SIGMAS[9] - 1) < 1e-12);
  const rng = new Rng(8);
  const d = 10;
  // Points spread with std 0.3 around 0.5: windows near that width fit best.
  const draw = (n: number) => {
    const values = rng.fillNormal(new Float32Array(n * d), 0.5, 0.3);
    return { values, count: n, dim: d };
  };
  const result = parzenProtocol(draw(2000), draw(300), draw(500));
  assert.ok(PARZEN_SIGMAS.includes(result.sigma));
  assert.ok(result.sigma > 0.1 && result.sigma < 1, `σ ${result.sigma}`);
  const [ll] = parzenLogLikelihoods(draw(500), draw(2000), [result.sigma]);
  assert.ok(Number.isFinite(result.mean) && result.se > 0 && result.se < Math.abs(result.mean), JSON.stringify(result));
  assert.ok(Math.abs(ll.reduce((a, b) => a + b, 0) / 500 - result.mean) < 10 * result.se); // another draw: the same mean within error
});
