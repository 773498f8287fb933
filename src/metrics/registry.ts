// The image metrics by name. A name states its protocol (fid10k: 10,000 samples
// against the whole training set), and every metric returns flat named numbers: its
// values and, under the same name with the suffix _real, the same protocol applied to
// real images the model never saw (the test set) in place of the samples — the floor
// (or ceiling) a perfect generator would reach. --json prints them as one object.
// Longer than 300 lines because it is one table of every metric, each row with its
// reference protocol beside it: split, the metrics would no longer read side by side.
import { Rng } from '../rng.js';
import { classHistogram, klDivergence } from './classes.js';
import type { VectorSet } from './distances.js';
import type { FeatureModel, Features } from './features/index.js';
import { frechetDistance, gaussianStats } from './frechet.js';
import { inceptionScore } from './inception-score.js';
import { kernelInceptionDistance, pick, subset } from './kid.js';
import { memorisation, neighboursPicture, NN_PERCENTILE, nearestTrainingDistances, quantile } from './memorisation.js';
import { parzenProtocol } from './parzen.js';
import { PR_NEIGHBOURS, precisionRecall } from './precision-recall.js';
import type { ReferenceData } from './reference.js';

/** Generated images: NHWC float32 in [−1, 1] (gankit's sample convention). */
export interface SampleSet {
  images: Float32Array;
  count: number;
  shape: [height: number, width: number, channels: number];
}

export interface MetricContext {
  samples: SampleSet;
  reference: ReferenceData;
  /** The feature network (loaded on first use). */
  featureModel(): Promise<FeatureModel>;
  /** Features and class probabilities of the first n samples. */
  sampleFeatures(n: number): Promise<Features>;
  /** The first n samples as pixel vectors in [0, 1]. */
  samplePixels(n: number): VectorSet;
  /** Folder for pictures (nn.png); none written when undefined. */
  out?: string;
  /** Writes a picture into `out` (when set) and says where. */
  writePicture(name: string, png: Buffer): Promise<void>;
  say(message: string): void;
}

/** One line of the human table: a value, its real-vs-real reference, what it means. */
export interface MetricRow {
  key: string;
  reference: string;
  meaning: string;
}

export interface Metric {
  name: string;
  /** Samples it reads: the first N (a fixed protocol count), or 'all' those given. */
  samples: number | 'all';
  /** The fewest samples it can work with when samples is 'all'. */
  minimum: number;
  /** Whether it needs the feature network (else it works in pixel space). */
  features: boolean;
  rows: MetricRow[];
  compute(context: MetricContext): Promise<Record<string, number>>;
}

/** Samples a run generates for metrics that read 'all' samples, unless told otherwise. */
export const DEFAULT_SAMPLES = 10_000;
/** Seed of the protocol's own random choices (subsets), fixed so scores compare across runs. */
const PROTOCOL_SEED = 1;

const vectors = (f: Features, n = f.count): VectorSet => ({ values: f.features, count: n, dim: f.featureDim });

function fidMetric(name: string, n: number | 'all'): Metric {
  return {
    name,
    samples: n,
    minimum: 2,
    features: true,
    rows: [
      {
        key: name,
        reference: `${name}_real`,
        meaning:
          'Fréchet distance between Gaussians fitted to the features ' +
          `of ${n === 'all' ? 'the samples' : `${n.toLocaleString('en')} samples`} and of the training set; lower ` +
          'is better',
      },
    ],
    async compute(c) {
      const model = await c.featureModel();
      const count = n === 'all' ? c.samples.count : n;
      const train = await c.reference.stats('train', model);
      const generated = await c.sampleFeatures(count);
      const value = frechetDistance(gaussianStats(generated.features, count, generated.featureDim), train);
      // The same number of test images, where the test set has that many: FID's bias depends on n.
      const m = Math.min(count, c.reference.test.count);
      const reference = await c.reference.reference(`fid@${m}`, model, async () => {
        const test = await c.reference.features('test', model);
        return { fid: frechetDistance(gaussianStats(test.features, m, test.featureDim), train) };
      });
      return { [name]: value, [`${name}_real`]: reference.fid };
    },
  };
}

const kid: Metric = {
  name: 'kid',
  samples: 'all',
  minimum: 2,
  features: true,
  rows: [
    {
      key: 'kid',
      reference: 'kid_real',
      meaning:
        'unbiased squared MMD of features to the training set (cubic kernel), mean of 100 subsets; 0 = same ' +
        'distribution',
    },
  ],
  async compute(c) {
    const model = await c.featureModel();
    const generated = await c.sampleFeatures(c.samples.count);
    const train = await c.reference.features('train', model);
    const m = Math.min(1000, generated.count, train.count, c.reference.test.count);
    const options = { subsets: 100, subsetSize: m, seed: PROTOCOL_SEED };
    const value = await kernelInceptionDistance(vectors(generated), vectors(train), options);
    const reference = await c.reference.reference(`kid@${m}`, model, async () => {
      const r = await kernelInceptionDistance(
        vectors(await c.reference.features('test', model)),
        vectors(train),
        options,
      );
      return { mean: r.mean, std: r.std };
    });
    return { kid: value.mean, kid_std: value.std, kid_real: reference.mean, kid_real_std: reference.std };
  },
};

const is: Metric = {
  name: 'is',
  samples: 'all',
  minimum: 10,
  features: true,
  rows: [
    {
      key: 'is',
      reference: 'is_real',
      meaning:
        "Inception-Score analogue from gankit's classifier, exp E KL(p(y|x) ‖ p(y)), 10 splits; higher is better, " +
        'at most the number of classes',
    },
  ],
  async compute(c) {
    const model = await c.featureModel();
    const generated = await c.sampleFeatures(c.samples.count);
    const value = inceptionScore(generated.probabilities, generated.count, generated.classes);
    const reference = await c.reference.reference('is', model, async () => {
      const test = await c.reference.features('test', model);
      const r = inceptionScore(test.probabilities, test.count, test.classes);
      return { mean: r.mean, std: r.std };
    });
    return { is: value.mean, is_std: value.std, is_real: reference.mean, is_real_std: reference.std };
  },
};

const pr: Metric = {
  name: 'pr',
  samples: 'all',
  minimum: PR_NEIGHBOURS + 2,
  features: true,
  rows: [
    {
      key: 'precision',
      reference: 'precision_real',
      meaning: 'fraction of samples inside the manifold of training features (k = 3 balls): are they realistic?',
    },
    {
      key: 'recall',
      reference: 'recall_real',
      meaning: "fraction of training images inside the samples' manifold: is the data's variety covered?",
    },
  ],
  async compute(c) {
    const model = await c.featureModel();
    const train = await c.reference.features('train', model);
    // Both sets the same size (the radii shrink as a set grows): up to 10,000.
    const n = Math.min(c.samples.count, 10_000, train.count, c.reference.test.count);
    const real: VectorSet = {
      values: subset(vectors(train), pick(new Rng(PROTOCOL_SEED), train.count, n)),
      count: n,
      dim: train.featureDim,
    };
    const value = await precisionRecall(real, vectors(await c.sampleFeatures(n), n));
    const reference = await c.reference.reference(`pr@${n}`, model, async () => ({
      ...(await precisionRecall(real, vectors(await c.reference.features('test', model), n))),
    }));
    return {
      precision: value.precision,
      recall: value.recall,
      precision_real: reference.precision,
      recall_real: reference.recall,
    };
  },
};

const classes: Metric = {
  name: 'classes',
  samples: 'all',
  minimum: 1,
  features: true,
  rows: [
    {
      key: 'classes_kl',
      reference: 'classes_kl_real',
      meaning:
        "KL(generated ‖ data) of the classifier's class histograms, nats; 0 = the data's class balance, " +
        'log(classes) = one class only',
    },
  ],
  async compute(c) {
    const model = await c.featureModel();
    const generated = await c.sampleFeatures(c.samples.count);
    const train = await c.reference.features('train', model);
    const data = classHistogram(train.probabilities, train.count, train.classes);
    const histogram = classHistogram(generated.probabilities, generated.count, generated.classes);
    const reference = await c.reference.reference('classes', model, async () => {
      const test = await c.reference.features('test', model);
      return { kl: klDivergence(classHistogram(test.probabilities, test.count, test.classes), data) };
    });
    const fractions = Object.fromEntries(Array.from(histogram, (p, k) => [`classes_p${k}`, p]));
    return { classes_kl: klDivergence(histogram, data), classes_kl_real: reference.kl, ...fractions };
  },
};

const nn: Metric = {
  name: 'nn',
  samples: 1000,
  minimum: 1,
  features: false,
  rows: [
    {
      key: 'nn_close',
      reference: 'nn_close_real',
      meaning:
        `fraction of 1,000 samples nearer (pixel L2) to a training image than ${100 * NN_PERCENTILE}% of test ` +
        `images come; ≫ ${NN_PERCENTILE} suggests copying`,
    },
    {
      key: 'nn_median',
      reference: 'nn_median_real',
      meaning: 'median pixel distance (values in [0, 1]) from a sample to its nearest training image',
    },
  ],
  async compute(c) {
    const train = c.reference.pixels('train');
    const test = c.reference.pixels('test');
    // Test images split in two: one part sets the threshold, the other measures the
    // reference on images the threshold never saw, so nn_close_real is a fair floor.
    const referenceCount = Math.min(1000, Math.floor(test.count / 3));
    const thresholdCount = Math.min(2000, test.count - referenceCount);
    const reference = await c.reference.reference(`nn@${thresholdCount}+${referenceCount}`, undefined, async () => {
      const part = (start: number, count: number): VectorSet => ({
        values: test.values.subarray(start * test.dim, (start + count) * test.dim),
        count,
        dim: test.dim,
      });
      const threshold = quantile(await nearestTrainingDistances(part(0, thresholdCount), train), NN_PERCENTILE);
      const real = memorisation(await nearestTrainingDistances(part(thresholdCount, referenceCount), train), threshold);
      return { threshold, close: real.close, median: real.median };
    });
    const samples = c.samplePixels(1000);
    const distances = await nearestTrainingDistances(samples, train);
    const value = memorisation(distances, reference.threshold);
    if (c.out) await c.writePicture('nn.png', await neighboursPicture(samples, distances, train, c.reference.shape));
    return {
      nn_close: value.close,
      nn_close_real: reference.close,
      nn_median: value.median,
      nn_median_real: reference.median,
      nn_threshold: reference.threshold,
    };
  },
};

const parzen: Metric = {
  name: 'parzen',
  samples: 10_000,
  minimum: 1,
  features: false,
  rows: [
    {
      key: 'parzen',
      reference: 'parzen_real',
      meaning:
        'Parzen-window log-likelihood of the test images, nats (Goodfellow et al. 2014 protocol); higher is ' +
        'better, unreliable in high dimensions',
    },
  ],
  async compute(c) {
    const train = c.reference.pixels('train');
    const test = c.reference.pixels('test');
    // 1,000 validation images held out at the end of the training set choose σ.
    const validationCount = Math.min(1000, Math.floor(train.count / 2));
    const validation: VectorSet = {
      values: train.values.subarray((train.count - validationCount) * train.dim),
      count: validationCount,
      dim: train.dim,
    };
    const value = await parzenProtocol(c.samplePixels(10_000), validation, test);
    // The reference puts the windows on 10,000 training images (none of them validation images).
    const centres = Math.min(10_000, train.count - validationCount);
    const reference = await c.reference.reference(`parzen@${centres}`, undefined, async () => {
      const r = await parzenProtocol({ values: train.values, count: centres, dim: train.dim }, validation, test);
      return { mean: r.mean, se: r.se, sigma: r.sigma };
    });
    return {
      parzen: value.mean,
      parzen_se: value.se,
      parzen_sigma: value.sigma,
      parzen_real: reference.mean,
      parzen_real_se: reference.se,
      parzen_real_sigma: reference.sigma,
    };
  },
};

export const METRICS: Readonly<Record<string, Metric>> = Object.freeze({
  fid10k: fidMetric('fid10k', 10_000),
  fid: fidMetric('fid', 'all'),
  kid,
  is,
  pr,
  classes,
  nn,
  parzen,
});

export const METRIC_NAMES: readonly string[] = Object.freeze(Object.keys(METRICS));

/** The metrics named, in order; throws on an unknown name, saying which exist. */
export function metricsByName(names: readonly string[]): Metric[] {
  if (names.length === 0)
    throw new Error(`Expected at least one metric (${METRIC_NAMES.join(', ')}) but received none`);
  return names.map((name) => {
    const metric = Object.hasOwn(METRICS, name) ? METRICS[name] : undefined;
    if (!metric) throw new Error(`Expected metrics from ${METRIC_NAMES.join(', ')} but received "${name}"`);
    return metric;
  });
}

/** How many samples the metrics read: the largest fixed count, and `all` (default 10,000) for the others. */
export function samplesNeeded(metrics: readonly Metric[], all = DEFAULT_SAMPLES): number {
  return Math.max(...metrics.map((m) => (m.samples === 'all' ? all : m.samples)));
}
