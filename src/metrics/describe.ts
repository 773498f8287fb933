// One line of flat named scores for people: each value beside its real-vs-real
// reference (the key with `_real`), spreads and per-class fractions left out.

/** "fid10k 23.5 (real 0.16) · kid 0.0011 (real -0.0000)": each value beside its real-vs-real reference. */
export function describeScores(m: Record<string, number>): string {
  const round = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(3));
  return Object.entries(m)
    .filter(([k]) => !/_(real|std|se|sigma)$/.test(k) && !/_real_/.test(k) && !/^classes_p\d+$/.test(k))
    .map(([k, v]) => `${k} ${round(v)}${m[`${k}_real`] !== undefined ? ` (real ${round(m[`${k}_real`])})` : ''}`)
    .join(' · ');
}
