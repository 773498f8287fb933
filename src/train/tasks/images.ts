// Image data: the image metrics (fid10k, …) of G's samples every --eval-every steps and,
// unless --eval-metrics is none, at the end; a grid of G's images (class grids and
// traversals for conditional runs), and for ACGAN and InfoGAN how well D's extra head
// classifies the labelled test images. What the metrics need is loaded before step 1,
// so a missing file stops the run before it trains, not after.
import { loadImages, type ImageBatches, type ImageDataset } from '../../data/images/index.js';
import { evaluateGenerator, evaluationGap, prepareEvaluation } from '../../metrics/evaluate.js';
import { headMetrics, type HeadMetrics } from '../heads.js';
import { drawImagePictures } from '../pictures.js';
import { describeScores as describeImageMetrics } from '../../metrics/describe.js';
import type { DataTask, TaskContext } from './task.js';

export function imageTask(context: TaskContext, images: ImageDataset, batches: ImageBatches): DataTask {
  const { plan, gan, sampler, history, say } = context;
  const { options, conditioning } = plan;
  const { evalEvery, evalMetrics: metrics, data } = options;
  // Final evaluation always (unless --eval-metrics none); periodic ones with --eval-every.
  let evaluates = metrics.length > 0;
  let last: Record<string, number> | undefined;
  // A conditional G is scored on classes (codes) drawn uniformly, as the data's classes are.
  const codes = conditioning && { dim: conditioning.codeDim, draw: conditioning.draw.bind(conditioning) };

  return {
    epochs: { stepsPerEpoch: batches.stepsPerEpoch, examples: images.count },
    resumeAt(step) {
      // Image batches follow from (seed, epoch) alone: skip the ones already drawn.
      batches.drawn = step * options.dSteps;
    },
    async prepare() {
      if (!evaluates) return;
      const names = metrics.join(',');
      try {
        // Only the default final evaluation gives way to data it cannot measure; --eval-every insists.
        const gap = evalEvery > 0 ? undefined : await evaluationGap({ data, metrics, say });
        if (gap) {
          say(`no final ${names}: ${gap}. (--eval-metrics none skips the final evaluation without this note)`);
          evaluates = false;
          return;
        }
        await prepareEvaluation({ data, metrics, say });
      } catch (err) {
        (err as Error).message += `. To train without the ${names} evaluation, pass --eval-metrics none`;
        throw err;
      }
    },
    endsWithEvaluation: () => evaluates,
    // G's samples from the run's seed every time, so the curve moves only because G does.
    // The final numbers are the caller's to print, beside the verdict.
    async evaluate(step, final) {
      if (!evaluates) return;
      const { latentDim, prior, seed } = options;
      if (final) say(`final evaluation: ${metrics.join(', ')} of G's samples…`);
      last = await evaluateGenerator(sampler, { data, latentDim, prior, seed, metrics, ...(codes ? { codes } : {}) });
      history.add({ step, imageMetrics: last });
      if (!final) say(`step ${step}: ${describeImageMetrics(last)}`);
    },
    pictures: (step, snapshot) =>
      drawImagePictures({
        runDir: plan.runDir,
        step,
        snapshot,
        name: options.data,
        classNames: images.classNames,
        gan,
        sampler,
        history,
        seed: options.seed,
      }),
    async finish() {
      const heads = conditioning?.auxHead ? await measureHeads(context) : undefined;
      return { summary: { ...(heads ?? {}), ...(last ?? {}) }, ...(last ? { scores: last } : {}) };
    },
  };
}

/** ACGAN's class head, InfoGAN's Q, as classifiers of the data's labelled test images (when it has them). */
async function measureHeads({ plan, gan, say }: TaskContext): Promise<HeadMetrics | undefined> {
  const { options } = plan;
  let test;
  try {
    const size = options.imageSize > 0 ? { size: options.imageSize } : {};
    test = await loadImages(options.data, { split: 'test', download: false, ...size });
  } catch {
    say(
      `no labelled test images for ${options.data}: ` +
        `D's ${plan.conditioning?.auxHead === 'code' ? 'Q head' : 'class head'} is not measured`,
    );
    return undefined;
  }
  const result = await headMetrics(gan, test, `${options.data} (test, ${test.count})`);
  if (result?.qAccuracy !== undefined) {
    say(
      `Q's categorical code as a classifier of ${result.headImages}: ${(100 * result.qAccuracy).toFixed(1)}% ` +
        '(best one-to-one mapping)',
    );
  }
  if (result?.headAccuracy !== undefined)
    say(`D's class head on ${result.headImages}: ${(100 * result.headAccuracy).toFixed(1)}%`);
  return result;
}

/** The image metrics in one line (kept under this name for callers of the image task). */
export { describeImageMetrics };
