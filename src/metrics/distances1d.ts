// Distances between two 1D samples, the quality numbers of 1D runs: the Wasserstein-1
// distance (the area between the two empirical CDFs; for samples of equal size, the
// mean absolute difference of the sorted samples) and the two-sample Kolmogorov–Smirnov
// statistic (the largest gap between the empirical CDFs). Both are exact for the
// samples given; NaN samples are refused, as a sample of G that diverged.

/** Wasserstein-1 distance between the empirical distributions of a and b: ∫ |F_a(x) − F_b(x)| dx. */
export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let area = 0;
  walkCdfs(a, b, (gap, width) => (area += gap * width));
  return area;
}

/** Kolmogorov–Smirnov statistic: sup_x |F_a(x) − F_b(x)|, in [0, 1]. */
export function ksStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let largest = 0;
  walkCdfs(a, b, (gap) => (largest = Math.max(largest, gap)));
  return largest;
}

export interface Distances1d {
  /** W1 between G's samples and the data's, in the data's units. */
  wasserstein1: number;
  /** W1 between two independent samples of the data of the same size: the floor a perfect G reaches. */
  wasserstein1_real: number;
  /** KS statistic between G's samples and the data's. */
  ks: number;
  /** KS between two independent real samples of the same size. */
  ks_real: number;
}

/** G's samples against real ones, each distance beside the same distance between two real samples. */
export function distances1d(
  fake: ArrayLike<number>,
  real: ArrayLike<number>,
  otherReal: ArrayLike<number>,
): Distances1d {
  return {
    wasserstein1: wasserstein1(fake, real),
    wasserstein1_real: wasserstein1(otherReal, real),
    ks: ksStatistic(fake, real),
    ks_real: ksStatistic(otherReal, real),
  };
}

/**
 * Walks the merged sorted values of a and b; between consecutive values x_i < x_{i+1}
 * both CDFs are constant, so `visit` gets |F_a − F_b| there and the interval's width.
 */
function walkCdfs(a: ArrayLike<number>, b: ArrayLike<number>, visit: (gap: number, width: number) => void): void {
  const sa = sorted(a, 'the first sample');
  const sb = sorted(b, 'the second sample');
  let i = 0;
  let j = 0;
  while (i < sa.length || j < sb.length) {
    // The next value of either sample; every copy of it is passed at once (ties).
    const x = j >= sb.length || (i < sa.length && sa[i] <= sb[j]) ? sa[i] : sb[j];
    while (i < sa.length && sa[i] === x) i++;
    while (j < sb.length && sb[j] === x) j++;
    if (i === sa.length && j === sb.length) break;
    const next = j >= sb.length || (i < sa.length && sa[i] <= sb[j]) ? sa[i] : sb[j];
    visit(Math.abs(i / sa.length - j / sb.length), next - x);
  }
}

function sorted(values: ArrayLike<number>, what: string): Float64Array {
  if (values.length === 0) throw new Error(`Expected at least one value in ${what} but received none`);
  const out = Float64Array.from(values);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]))
      throw new Error(`Expected finite values in ${what} but value ${i} is ${out[i]}: the generator diverged`);
  }
  return out.sort();
}
