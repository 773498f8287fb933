// Smoothing of a curve for the eye: an exponential moving average over every point,
// debiased. A plain EMA started at 0 (or, as TensorBoard does, weighted towards its first
// value) drags the start of the curve towards that value; dividing by 1 − β^t, as Adam
// corrects its moment estimates, makes every smoothed point a weighted mean of the
// points so far whose weights sum to 1.

/**
 * The debiased EMA of `values` with weight β on the past (0: no smoothing). Missing
 * values (null, NaN: a diverged loss) stay missing and do not count as points.
 */
export function debiasedEma(values: ArrayLike<number | null>, beta: number, length = values.length): (number | null)[] {
  const out: (number | null)[] = new Array(length);
  let ema = 0;
  let decay = 1; // β^t after t points
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) {
      out[i] = null;
      continue;
    }
    ema = beta * ema + (1 - beta) * v;
    decay *= beta;
    out[i] = beta === 0 ? v : ema / (1 - decay);
  }
  return out;
}

/**
 * The same smoothing under the name the comparison page uses (a pure function of a
 * series and a weight in [0, 1)); a weight outside that range is refused.
 */
export function smooth(values: (number | null)[], weight: number): (number | null)[] {
  if (!(weight >= 0 && weight < 1)) throw new Error(`Expected a smoothing weight in [0, 1) but received ${weight}`);
  return debiasedEma(values, weight);
}
