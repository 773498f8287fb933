// The generated class histogram: each sample counted under the class the feature
// network finds most probable, compared with the data's histogram (counted the same
// way, so the classifier's own mistakes appear on both sides) by KL(generated ‖ data)
// in nats. A generator that makes one class only scores log(classes): mode collapse
// made visible, as the reverse KL of the 2D mixtures shows it.

/** Fraction of the samples whose most probable class is k, for each k. */
export function classHistogram(probabilities: Float32Array, count: number, classes: number): Float64Array {
  const histogram = new Float64Array(classes);
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (probabilities[i * classes + k] > probabilities[i * classes + best]) best = k;
    histogram[best]++;
  }
  return histogram.map((c) => c / Math.max(count, 1));
}

/** KL(p ‖ q) in nats; Infinity where p has mass q lacks. */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length)
    throw new Error(`Expected histograms of one length but received ${p.length} and ${q.length}`);
  let kl = 0;
  for (let k = 0; k < p.length; k++) {
    if (p[k] === 0) continue;
    kl += q[k] === 0 ? Infinity : p[k] * Math.log(p[k] / q[k]);
  }
  return kl;
}
