// Parzen-window log-likelihood with the protocol of Goodfellow et al. 2014 (their
// parzen_ll.py): a Gaussian kernel of width σ on every generated sample, pixels scaled
// to [0, 1]; σ chosen from logspace(−1, 0, 10) by the mean log-likelihood of 1,000
// validation images held out from the training set; then the mean log-likelihood of
// the test images ± its standard error. In nats, per image (784 dimensions on 28×28):
//   log p(x) = log mean_i exp(−‖x − s_i‖² / 2σ²) − d · log(σ √(2π)).
// Known to be a poor estimate in high dimensions (Theis et al. 2016); it is here
// because papers report it. Log-sum-exp in float64, one block of distances at a time.
import { distanceBlocks, type VectorSet } from './distances.js';

/** logspace(−1, 0, 10): 0.1 … 1. */
export const PARZEN_SIGMAS: readonly number[] = Array.from({ length: 10 }, (_, i) => 10 ** (-1 + i / 9));

export interface ParzenResult {
  /** Mean log-likelihood of the test images (nats). */
  mean: number;
  /** Standard error of that mean: std / √n. */
  se: number;
  sigma: number;
}

/** Log-likelihood of each query under the Parzen window on `centres`, for each σ: result[s][i]. */
export async function parzenLogLikelihoods(
  queries: VectorSet,
  centres: VectorSet,
  sigmas: readonly number[],
): Promise<Float64Array[]> {
  const out = sigmas.map(() => new Float64Array(queries.count));
  const n = centres.count;
  const d = centres.dim;
  await distanceBlocks(queries, centres, (block, start, rows) => {
    for (let r = 0; r < rows; r++) {
      const row = block.subarray(r * n, (r + 1) * n);
      let min = Infinity;
      for (let j = 0; j < n; j++) if (row[j] < min) min = row[j];
      sigmas.forEach((sigma, s) => {
        const scale = 1 / (2 * sigma * sigma);
        let sum = 0;
        for (let j = 0; j < n; j++) sum += Math.exp(-(row[j] - min) * scale);
        out[s][start + r] = -min * scale + Math.log(sum / n) - d * Math.log(sigma * Math.sqrt(2 * Math.PI));
      });
    }
  });
  return out;
}

/** The protocol: σ by the validation images' mean log-likelihood, then the test images' mean ± standard error. */
export async function parzenProtocol(
  samples: VectorSet,
  validation: VectorSet,
  test: VectorSet,
  sigmas = PARZEN_SIGMAS,
): Promise<ParzenResult> {
  const validationMeans = (await parzenLogLikelihoods(validation, samples, sigmas)).map(mean);
  const best = validationMeans.indexOf(Math.max(...validationMeans));
  const sigma = sigmas[best];
  const [ll] = await parzenLogLikelihoods(test, samples, [sigma]);
  const m = mean(ll);
  const variance = ll.reduce((a, v) => a + (v - m) ** 2, 0) / ll.length;
  return { mean: m, se: Math.sqrt(variance / ll.length), sigma };
}

function mean(values: Float64Array): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
