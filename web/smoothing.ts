// The curves' smoothing, shared by every dashboard page so that one run's curve looks
// the same on the main page and in a comparison. An exponential moving average started
// at zero is biased towards zero for its first points (TensorBoard's complaint #610);
// dividing by 1 − w^k, the weight the average has given to real values after k of
// them, removes that bias exactly, as Adam's bias correction does.

/**
 * Debiased exponential moving average of a series, weight `weight` in [0, 1) on the
 * past (0: the raw values). Missing or non-finite values give null and leave the
 * average as it was, so a gap in a curve stays a gap and does not pull it to zero.
 */
export function smooth(values: (number | null)[], weight: number): (number | null)[] {
  if (!(weight >= 0 && weight < 1)) throw new Error(`Expected a smoothing weight in [0, 1) but received ${weight}`);
  let average = 0;
  let kept = 0; // the weight the average has given to real values: 1 − weight^k after k of them
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    average = weight * average + (1 - weight) * v;
    kept = weight * kept + (1 - weight);
    return average / kept;
  });
}
