// How well a conditional image run obeys its labels, measured with the feature
// network's classifier: CGAN and ACGAN by conditional accuracy (class-k samples
// classified as k, averaged over classes); InfoGAN by its categorical code as an
// unsupervised classifier under the best one-to-one mapping to the classes (the
// protocol of Chen et al. 2016's 5% error on MNIST). The reference beside each is the
// classifier's own accuracy on the data's test images: no generator can be judged
// more accurate than the judge.
import { openClassSampler } from './conditional.js';
import { conditionalAccuracy, infoganCodeAccuracy, type Classifier } from '../metrics/conditional.js';
import { openFeatureModel } from '../metrics/features/index.js';
import { ReferenceData } from '../metrics/reference.js';

export interface ConditionalEvaluation {
  run: string;
  /** Data with labelled test images (default: the run's data). */
  data?: string;
  /** Samples per class (InfoGAN: per code value); default 1,000. */
  perClass?: number;
  seed?: number;
  generator?: 'average' | 'trained';
  features?: string;
  say?: (message: string) => void;
}

export async function evaluateConditionalRun(e: ConditionalEvaluation): Promise<Record<string, number>> {
  const run = await openClassSampler(e);
  try {
    const { extractor } = await openFeatureModel(e.features);
    const argmax = (probabilities: Float32Array, n: number, classes: number) => {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let c = 1; c < classes; c++)
          if (probabilities[i * classes + c] > probabilities[i * classes + best]) best = c;
        out[i] = best;
      }
      return out;
    };
    const classify: Classifier = async (images, n) =>
      argmax((await extractor.fromFloats(images, n)).probabilities, n, extractor.classes);
    const reference = await ReferenceData.open(e.data ?? run.options.data, { say: e.say });
    const test = reference.test;
    if (!test.labels)
      throw new Error(
        `Expected labelled test images in ${e.data ?? run.options.data} to score a conditional run but they have ` +
          'no labels',
      );
    const predicted = argmax(
      (await extractor.fromBytes(test.images, test.count)).probabilities,
      test.count,
      extractor.classes,
    );
    let right = 0;
    for (let i = 0; i < test.count; i++) if (predicted[i] === test.labels[i]) right++;
    const classifierAccuracy = right / test.count;
    const perClass = e.perClass ?? 1000;
    if (run.options.conditioning?.trainsOnLabels === false) {
      const r = await infoganCodeAccuracy(classify, run.sample, run.classes, perClass, extractor.classes);
      return { codeAccuracy: r.accuracy, codeAccuracy_real: classifierAccuracy };
    }
    const r = await conditionalAccuracy(classify, run.sample, run.classes, perClass);
    return {
      conditionalAccuracy: r.accuracy,
      conditionalAccuracy_real: classifierAccuracy,
      ...Object.fromEntries(r.perClass.map((a, k) => [`conditionalAccuracy_${k}`, a])),
    };
  } finally {
    run.dispose();
  }
}
