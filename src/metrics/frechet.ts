// Fréchet distance between two Gaussians fitted to feature sets (FID, Heusel et al.
// 2017): ‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2 tr (Σ1 Σ2)^½. Means and covariances are
// accumulated in float64. tr (Σ1 Σ2)^½ equals tr (√Σ1 Σ2 √Σ1)^½, and √Σ1 Σ2 √Σ1 is
// symmetric positive semi-definite, so both square roots come from symmetric
// eigendecompositions (real eigenvalues, orthogonal eigenvectors): no complex parts
// to discard as scipy.linalg.sqrtm needs. Tiny negative eigenvalues (rounding) count as 0.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** A Gaussian fitted to n feature vectors. */
export interface GaussianStats {
  count: number;
  dim: number;
  mean: Float64Array;
  /** dim × dim, row-major, unbiased (divided by n − 1). */
  cov: Float64Array;
}

/** Mean and covariance of `count` rows of `dim` features (row-major). */
export function gaussianStats(features: Float32Array, count: number, dim: number): GaussianStats {
  if (!Number.isInteger(count) || count < 2)
    throw new Error(`Expected at least 2 feature vectors for a covariance but received ${count}`);
  if (features.length < count * dim)
    throw new Error(`Expected ${count}×${dim} features but received ${features.length} values`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) for (let j = 0; j < dim; j++) mean[j] += features[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= count;
  // Upper triangle of Σ (x − μ)(x − μ)ᵀ; a zero coordinate (ReLU features have many) adds nothing to its row.
  const sums = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < dim; j++) centred[j] = features[i * dim + j] - mean[j];
    for (let a = 0; a < dim; a++) {
      const xa = centred[a];
      const row = a * dim;
      for (let b = a; b < dim; b++) sums[row + b] += xa * centred[b];
    }
  }
  const cov = new Float64Array(dim * dim);
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) cov[a * dim + b] = cov[b * dim + a] = sums[a * dim + b] / (count - 1);
  }
  return { count, dim, mean, cov };
}

export function frechetDistance(a: GaussianStats, b: GaussianStats): number {
  if (a.dim !== b.dim) throw new Error(`Expected feature sets of one dimension but received ${a.dim} and ${b.dim}`);
  const d = a.dim;
  let meanTerm = 0;
  for (let j = 0; j < d; j++) meanTerm += (a.mean[j] - b.mean[j]) ** 2;
  let traces = 0;
  for (let j = 0; j < d; j++) traces += a.cov[j * d + j] + b.cov[j * d + j];
  const s1 = toMatrix(a.cov, d);
  const s2 = toMatrix(b.cov, d);
  const root1 = symmetricSqrt(s1);
  const product = root1.mmul(s2).mmul(root1);
  const symmetric = product.add(product.transpose()).div(2); // remove rounding asymmetry before a symmetric solver
  const eigenvalues = new EigenvalueDecomposition(symmetric, { assumeSymmetric: true }).realEigenvalues;
  const traceSqrt = eigenvalues.reduce((sum, l) => sum + Math.sqrt(Math.max(l, 0)), 0);
  // Rounding can leave −1e-12 for identical sets; a distance is never negative.
  return Math.max(0, meanTerm + traces - 2 * traceSqrt);
}

/** V diag(√max(λ, 0)) Vᵀ for a symmetric positive semi-definite matrix. */
function symmetricSqrt(m: Matrix): Matrix {
  const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const v = evd.eigenvectorMatrix;
  const roots = evd.realEigenvalues.map((l) => Math.sqrt(Math.max(l, 0)));
  return v.clone().mulRowVector(roots).mmul(v.transpose());
}

function toMatrix(values: Float64Array, d: number): Matrix {
  const m = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m.set(i, j, values[i * d + j]);
  return m;
}
