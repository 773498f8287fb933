// Toy data (the 2D mixtures, the 1D Gaussian): the mode metrics of the PacGAN protocol on
// the run's sampler (Jacobian-truncated when the run asks for it, with G's own samples'
// numbers beside them), the conditional metrics of conditional runs, mode-collapse
// warnings, and the pictures of the plane (or the line), also as the dashboard's
// live.json. On the line: the Wasserstein-1
// and Kolmogorov–Smirnov distances of G's samples to the data's, beside two real samples'.
import { describeMetrics, modeMetrics } from '../../metrics/modes.js';
import { drawPool, firstRows, truncateDraw, truncationPool, type LatentDraw } from '../../generate/truncation.js';
import { runGenerator } from '../../generate/latent.js';
import type { ToyDataset } from '../../data/toy.js';
import type { RunMetrics } from '../../run/stats.js';
import { Rng } from '../../rng.js';
import { distances1d, type Distances1d } from '../../metrics/distances1d.js';
import { describeScores } from '../../metrics/describe.js';
import { describeConditional, mixtureConditionalMetrics } from '../conditional-metrics.js';
import { drawPictures } from '../pictures.js';
import { liveFrame } from '../live.js';
import type { DataTask, TaskContext } from './task.js';

export function toyTask(context: TaskContext, toy: ToyDataset): DataTask {
  const { plan, gan, sampler, history, watch, say } = context;
  const { options, conditioning } = plan;
  let last: RunMetrics | undefined;

  // Evaluation draws from a seeded stream of its own so that it never changes the
  // training stream: a run is the same whether or not it is evaluated.
  const measure = async (step: number): Promise<RunMetrics | undefined> => {
    const { modes, modeStd } = toy;
    if (!modes || !modeStd) return undefined;
    const evalRng = new Rng((options.seed * 7919 + step) | 0);
    const n = options.evalSamples;
    const ratio = options.jacobianTruncation;
    // A conditional G samples every class (code value) uniformly, like the data.
    const codes = conditioning && { dim: conditioning.codeDim, draw: (r: Rng, m: number) => conditioning.draw(r, m) };
    const pool = drawPool(evalRng, options.prior, options.latentDim, truncationPool(n, ratio), codes);
    const score = async (draw: LatentDraw) =>
      modeMetrics(await runGenerator(sampler, draw.z, options.latentDim, 500, draw.codes), modes, modeStd);
    const metrics: RunMetrics = await score(await truncateDraw(sampler, pool, options.latentDim, n, ratio));
    // G's own samples beside the truncated ones, so the README's table can show both.
    if (ratio > 0) metrics.untruncated = await score(firstRows(pool, options.latentDim, n));
    if (!conditioning) return metrics;
    return { ...metrics, ...(await mixtureConditionalMetrics(gan, sampler, conditioning, modes, evalRng, n)) };
  };

  // 1D: evalSamples of G's (the same stream as the 2D metrics) against as many real points.
  // The real samples do not change with the step, so the numbers move only because G does.
  let line: Distances1d | undefined;
  const measureLine = async (step: number): Promise<Distances1d> => {
    const evalRng = new Rng((options.seed * 7919 + step) | 0);
    const n = options.evalSamples;
    const codes = conditioning && { dim: conditioning.codeDim, draw: (r: Rng, m: number) => conditioning.draw(r, m) };
    const pool = drawPool(evalRng, options.prior, options.latentDim, n, codes);
    const fake = await runGenerator(sampler, pool.z, options.latentDim, 500, pool.codes);
    const realRng = new Rng((options.seed * 7919) ^ 0x2545f491);
    return distances1d(fake, toy.sample(realRng, n), toy.sample(realRng, n));
  };

  return {
    resumeAt: () => {},
    prepare: async () => {},
    endsWithEvaluation: () => true,
    async evaluate(step, final) {
      if (toy.dim === 1) {
        line = await measureLine(step);
        if (!final) say(`step ${step}: ${describeScores({ ...line })}`);
        return;
      }
      last = await measure(step);
      if (!last) return;
      history.add({ step, metrics: last });
      // The final numbers are the caller's to print (with the run's warnings); they pass the same checks.
      if (!final) say(`step ${step}: ${describeMetrics(last)}${describeConditional(last)}`);
      const collapse = watch.checkModes(step, last);
      if (collapse) {
        history.add({ step, warning: collapse });
        if (!final) say(`warning: ${collapse}`);
      }
    },
    pictures: (step, snapshot) =>
      drawPictures({
        runDir: plan.runDir,
        step,
        snapshot,
        data: toy,
        gan,
        sampler,
        history,
        seed: options.seed,
        jacobianTruncation: options.jacobianTruncation,
      }),
    liveFrame: () => liveFrame({ gan, sampler, data: toy, seed: options.seed }),
    finish: async () =>
      line
        ? { summary: { ...line }, scores: { ...line } }
        : { summary: last ? { ...last, jacobianTruncation: options.jacobianTruncation } : {}, metrics: last },
  };
}
