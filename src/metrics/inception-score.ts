// The Inception Score (Salimans et al. 2016) computed with gankit's own classifier:
// exp(E_x KL(p(y|x) ‖ p(y))), high when each sample is classified confidently
// (sharp p(y|x)) and the classes are varied (broad p(y)). Its ceiling is the number
// of classes. Computed over `splits` disjoint splits, reported as mean ± std, as in
// the original code. Only comparable between runs scored by the same classifier.
import { meanStd, type MeanStd } from './kid.js';

export function inceptionScore(probabilities: Float32Array, count: number, classes: number, splits = 10): MeanStd {
  if (!Number.isInteger(count) || count < splits)
    throw new Error(
      `Expected at least ${splits} samples for ${splits} splits of the Inception Score but received ${count}`,
    );
  const scores: number[] = [];
  for (let s = 0; s < splits; s++) {
    const start = Math.floor((s * count) / splits);
    const end = Math.floor(((s + 1) * count) / splits);
    const marginal = new Float64Array(classes);
    for (let i = start; i < end; i++) for (let k = 0; k < classes; k++) marginal[k] += probabilities[i * classes + k];
    for (let k = 0; k < classes; k++) marginal[k] /= end - start;
    let kl = 0;
    for (let i = start; i < end; i++) {
      for (let k = 0; k < classes; k++) {
        const p = probabilities[i * classes + k];
        if (p > 0) kl += p * Math.log(p / marginal[k]);
      }
    }
    scores.push(Math.exp(kl / (end - start)));
  }
  return meanStd(scores);
}
