// Image data: the image metrics (fid10k, …) of G's samples every --eval-every steps and
// at the end, a grid of G's images (class grids and traversals for conditional runs),
// and for ACGAN and InfoGAN how well D's extra head classifies the labelled test images.
import { loadImages, type ImageBatches, type ImageDataset } from '../../data/images/index.js';
import { evaluateGenerator, prepareEvaluation } from '../../metrics/evaluate.js';
import { headMetrics, type HeadMetrics } from '../heads.js';
import { drawImagePictures } from '../pictures.js';
import type { DataTask, TaskContext } from './task.js';

export function imageTask(context: TaskContext, images: ImageDataset, batches: ImageBatches): DataTask {
  const { plan, gan, sampler, history, say } = context;
  const { options, conditioning } = plan;
  const evaluates = options.evalEvery > 0;
  let last: Record<string, number> | undefined;

  return {
    epochs: { stepsPerEpoch: batches.stepsPerEpoch, examples: images.count },
    resumeAt(step) {
      // Image batches follow from (seed, epoch) alone: skip the ones already drawn.
      batches.drawn = step * options.dSteps;
    },
    async prepare() {
      if (!evaluates) return;
      if (conditioning) {
        throw new Error(
          `Expected an unconditional model for --eval-every on images but received ${options.model}; ` +
            'score conditional runs by class with their class grids, or set --eval-every 0',
        );
      }
      await prepareEvaluation({ data: options.data, metrics: options.evalMetrics, say });
    },
    // G's samples from the run's seed every time, so the curve moves only because G does.
    async evaluate(step) {
      if (!evaluates) return;
      const { latentDim, prior, seed, evalMetrics: metrics } = options;
      last = await evaluateGenerator(sampler, { data: options.data, latentDim, prior, seed, metrics });
      history.add({ step, imageMetrics: last });
      say(`step ${step}: ${describeImageMetrics(last)}`);
    },
    pictures: (step, snapshot) =>
      drawImagePictures({
        runDir: plan.runDir,
        step,
        snapshot,
        name: options.data,
        gan,
        sampler,
        history,
        seed: options.seed,
      }),
    async finish() {
      const heads = conditioning?.auxHead ? await measureHeads(context) : undefined;
      return { summary: { ...(heads ?? {}), ...(last ?? {}) } };
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
  const result = headMetrics(gan, test, `${options.data} (test, ${test.count})`);
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

/** "fid10k 23.5 (real 0.16) · kid 0.0011 (real -0.0000)": each value beside its real-vs-real reference. */
export function describeImageMetrics(m: Record<string, number>): string {
  const round = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(3));
  return Object.entries(m)
    .filter(([k]) => !/_(real|std|se|sigma)$/.test(k) && !/_real_/.test(k) && !/^classes_p\d+$/.test(k))
    .map(([k, v]) => `${k} ${round(v)}${m[`${k}_real`] !== undefined ? ` (real ${round(m[`${k}_real`])})` : ''}`)
    .join(' · ');
}
