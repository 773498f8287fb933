// Mode metrics for Gaussian-mixture data, with the PacGAN / VEEGAN protocol
// (docs/design.md): every sample is assigned to its nearest mode; it is high quality
// when within 3 std of that mode; a mode is covered when at least one high-quality
// sample is nearest to it; reverse KL = KL(q ‖ uniform), q = histogram of nearest modes
// over all samples. Real data scores 1 − e^(−4.5) ≈ 98.9% high quality.

export interface ModeMetrics {
  /** Number of modes covered. */
  modes: number;
  /** Total number of modes in the data. */
  totalModes: number;
  /** Fraction of samples within 3 std of their nearest mode. */
  highQuality: number;
  /** KL(q ‖ uniform) in nats. */
  reverseKL: number;
}

/** The protocol's sample count. */
export const MODE_METRIC_SAMPLES = 2500;

export function modeMetrics(samples: Float32Array, modes: Float32Array, std: number): ModeMetrics {
  const n = samples.length / 2;
  const m = modes.length / 2;
  if (!Number.isInteger(n) || n === 0)
    throw new Error(`Expected N×2 samples with N > 0 but received ${samples.length} values`);
  const nearestCount = new Float64Array(m);
  const covered = new Uint8Array(m);
  const limit2 = (3 * std) ** 2;
  let good = 0;
  for (let i = 0; i < n; i++) {
    const x = samples[2 * i];
    const y = samples[2 * i + 1];
    let best = 0;
    let bestD2 = Infinity;
    for (let j = 0; j < m; j++) {
      const dx = x - modes[2 * j];
      const dy = y - modes[2 * j + 1];
      const d2 = dx * dx + dy * dy;
      if (d2 < bestD2) {
        bestD2 = d2;
        best = j;
      }
    }
    // A NaN sample is never nearest to anything: it counts as low quality and in no bin.
    if (bestD2 === Infinity) continue;
    nearestCount[best]++;
    if (bestD2 <= limit2) {
      good++;
      covered[best] = 1;
    }
  }
  let reverseKL = 0;
  const assigned = nearestCount.reduce((a, b) => a + b, 0);
  for (let j = 0; j < m; j++) {
    const q = nearestCount[j] / (assigned || 1);
    if (q > 0) reverseKL += q * Math.log(q * m);
  }
  return {
    modes: covered.reduce((a, b) => a + b, 0),
    totalModes: m,
    highQuality: good / n,
    reverseKL: assigned === 0 ? Infinity : reverseKL,
  };
}

/** One line; with `untruncated` (a Jacobian-truncated run's G alone) beside it in brackets. */
export function describeMetrics(m: ModeMetrics & { untruncated?: ModeMetrics }): string {
  const line =
    `modes ${m.modes}/${m.totalModes} · high quality ${(100 * m.highQuality).toFixed(1)}% · reverse ` +
    `KL ${m.reverseKL.toFixed(3)}`;
  const u = m.untruncated;
  return u
    ? `${line} (untruncated: ${u.modes}/${u.totalModes} · ${(100 * u.highQuality).toFixed(1)}% ` +
        `· ${u.reverseKL.toFixed(3)})`
    : line;
}
