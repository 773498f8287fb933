// "Did you mean …?" for names typed by hand (data sets, losses, models, metrics): the
// candidate closest by edit distance, once case, '-', '_' and spaces are set aside, when
// it is close enough to be a slip (`fashion_mnist` → fashion-mnist, `wgangp` → wgan-gp).

const normal = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The candidate `input` most likely meant, or undefined when none is close (at most a third of it differs). */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const typed = normal(input);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(typed, normal(c));
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(typed.length / 3)) ? best : undefined;
}

/** ' Did you mean "x"?' when a candidate is close, else ''; for the end of an error message. */
export function didYouMean(input: unknown, candidates: readonly string[]): string {
  const match = typeof input === 'string' ? closest(input, candidates) : undefined;
  return match === undefined ? '' : ` Did you mean "${match}"?`;
}
