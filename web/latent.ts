// Latent vectors in the playground: draws from the run's prior, and the paths between
// two of them. Pure functions of arrays, so a test can check them against a formula.

export type Prior = 'normal' | 'uniform';

/** n × dim values from the prior: N(0, 1) (Box–Muller) or uniform on [−1, 1]. */
export function drawLatents(prior: Prior, n: number, dim: number, random: () => number = Math.random): Float32Array {
  const z = new Float32Array(n * dim);
  if (prior === 'uniform') {
    for (let i = 0; i < z.length; i++) z[i] = 2 * random() - 1;
    return z;
  }
  for (let i = 0; i < z.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random())); // 1 − u: never log(0)
    const angle = 2 * Math.PI * random();
    z[i] = radius * Math.cos(angle);
    if (i + 1 < z.length) z[i + 1] = radius * Math.sin(angle);
  }
  return z;
}

/**
 * `steps` points from a to b, both ends included: along the straight line, or along the
 * great circle (spherical: the norm moves smoothly from |a| to |b| and the path stays
 * where a Gaussian prior has its mass, instead of cutting through the low-norm middle).
 */
export function interpolate(a: Float32Array, b: Float32Array, steps: number, spherical: boolean): Float32Array {
  if (a.length !== b.length)
    throw new Error(`Expected two latent vectors of one size but received ${a.length} and ${b.length}`);
  const dim = a.length;
  const out = new Float32Array(steps * dim);
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const [na, nb] = [norm(a), norm(b)];
  let cos = na > 0 && nb > 0 ? a.reduce((s, x, i) => s + x * b[i], 0) / (na * nb) : 1;
  cos = Math.min(1, Math.max(-1, cos));
  const omega = Math.acos(cos);
  // Nearly parallel vectors: the sines vanish, and the straight line is the same path.
  const straight = !spherical || Math.sin(omega) < 1e-6;
  for (let s = 0; s < steps; s++) {
    const t = steps === 1 ? 0 : s / (steps - 1);
    const [wa, wb] = straight
      ? [1 - t, t]
      : [Math.sin((1 - t) * omega) / Math.sin(omega), Math.sin(t * omega) / Math.sin(omega)];
    for (let j = 0; j < dim; j++) out[s * dim + j] = wa * a[j] + wb * b[j];
  }
  return out;
}

/** Rows `rows` of a row-major array `width` values wide. */
export function pickRows(values: Float32Array, width: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) out.set(values.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
  return out;
}
