// Scoring samples with named metrics: checks that the samples fit the data and the
// metrics (shape, count, finite values) before any slow work, then runs each metric
// with a context that computes the samples' features once and shares them.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { writeFileAtomic } from '../io/atomic.js';
import { IMAGE_DATASETS } from '../data/images/index.js';
import { Rng } from '../rng.js';
import { drawLatents, runGenerator, type Prior } from '../generate/latent.js';
import { generatorOutput } from '../generate/output.js';
import type { CodeSource } from '../generate/truncation.js';
import type { VectorSet } from './distances.js';
import { checkFeatureInput, openFeatureModel, type FeatureModel, type Features } from './features/index.js';
import { ReferenceData, type EvaluationProgress } from './reference.js';
import {
  DEFAULT_SAMPLES,
  metricsByName,
  samplesNeeded,
  type Metric,
  type MetricContext,
  type SampleSet,
} from './registry.js';

export interface EvaluateOptions {
  /** The data set the samples imitate: a known name (fashion-mnist) or a path with a test split. */
  data: string;
  /** Metric names (METRIC_NAMES). */
  metrics: readonly string[];
  /** Folder of a tfjs feature network to use instead of gankit's. */
  features?: string;
  /** Folder for pictures (nn.png); none written when undefined. */
  out?: string;
  /** Data cache folder (default $GANKIT_DATA, else the user cache folder). */
  dataDir?: string;
  /** Progress messages. */
  say?: (message: string) => void;
  /** Counts of the long parts (features of the samples and of the data), for a progress line. */
  onProgress?: EvaluationProgress;
}

export interface GeneratorEvaluation {
  data: string;
  latentDim: number;
  prior: Prior;
  /** Seed of z: the same seed scores the same samples. */
  seed: number;
  metrics: readonly string[];
  /** Samples for metrics that read all samples given (default 10,000). */
  samples?: number;
  /**
   * A conditional G's codes (class or categorical value uniform, as the data's classes
   * are), drawn after z from the same seeded stream: its samples are scored as a whole.
   */
  codes?: CodeSource;
  features?: string;
  out?: string;
  dataDir?: string;
  say?: (message: string) => void;
  onProgress?: EvaluationProgress;
}

/** Scores samples (NHWC float32 in [−1, 1]) with the named metrics: one flat object of numbers. */
export async function evaluateSamples(samples: SampleSet, o: EvaluateOptions): Promise<Record<string, number>> {
  const say = o.say ?? (() => {});
  const metrics = metricsByName(o.metrics);
  checkCounts(metrics, samples.count);
  checkFinite(samples.images, samples.count * samples.shape.reduce((a, b) => a * b, 1));
  const reference = await ReferenceData.open(o.data, { dataDir: o.dataDir, say, onProgress: o.onProgress });
  if (samples.shape.join() !== reference.shape.join()) {
    throw new Error(
      `Expected samples of ${reference.shape.join('×')} (the shape of ${o.data}'s images) but ` +
        `received ${samples.shape.join('×')}`,
    );
  }
  let model: FeatureModel | undefined;
  if (metrics.some((m) => m.features)) {
    model = await openFeatureModel(o.features);
    checkFeatureInput(model, samples.shape, `${o.data}'s images`);
  }
  const context = makeContext(samples, reference, metrics, model, o, say);
  const results: Record<string, number> = {};
  for (const metric of metrics) {
    const started = Date.now();
    Object.assign(results, await metric.compute(context));
    say(`${metric.name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return results;
}

/**
 * Samples a generator (z from the prior with `seed`) and scores the samples: what a
 * trainer calls every --eval-every steps. Runs G in inference mode, 500 at a time.
 */
export async function evaluateGenerator(
  generator: tfl.LayersModel,
  o: GeneratorEvaluation,
): Promise<Record<string, number>> {
  const output = generatorOutput(generator);
  if (output.kind !== 'image')
    throw new Error(`Expected an image generator for the image metrics but G outputs points in R^${output.dim}`);
  const metrics = metricsByName(o.metrics);
  const n = samplesNeeded(metrics, o.samples ?? DEFAULT_SAMPLES);
  const rng = new Rng(o.seed);
  const z = drawLatents(rng, o.prior, n, o.latentDim);
  const codes = o.codes && { values: o.codes.draw(rng, n).input, dim: o.codes.dim };
  const images = await runGenerator(generator, z, o.latentDim, 500, codes, (done, total) =>
    o.onProgress?.("G's samples", done, total),
  );
  return evaluateSamples({ images, count: n, shape: output.shape }, o);
}

/**
 * Loads what evaluating on `data` needs (both splits, the feature network, the
 * training set's features and statistics) and checks that the metrics can run there:
 * a trainer calls it before its first step, so a problem shows at once and the
 * first evaluation is not the slow one.
 */
export async function prepareEvaluation(o: Omit<EvaluateOptions, 'out'>): Promise<void> {
  const metrics = metricsByName(o.metrics);
  const reference = await ReferenceData.open(o.data, { dataDir: o.dataDir, say: o.say, onProgress: o.onProgress });
  if (metrics.some((m) => m.features)) {
    const model = await openFeatureModel(o.features);
    checkFeatureInput(model, reference.shape, `${o.data}'s images`);
    await reference.stats('train', model);
  }
}

/**
 * Why the metrics cannot run on `data` at all, in words, or undefined when they can: a
 * path that holds one set of images (no test split for the real-vs-real references), or
 * images of a shape the feature network does not take. A trainer whose evaluation is only
 * the default final one says this and trains on. Anything else (a missing file of a named
 * data set, a damaged feature network) is thrown, as prepareEvaluation would.
 */
export async function evaluationGap(o: Omit<EvaluateOptions, 'out'>): Promise<string | undefined> {
  const metrics = metricsByName(o.metrics);
  let reference: ReferenceData;
  try {
    reference = await ReferenceData.open(o.data, { dataDir: o.dataDir, say: o.say });
  } catch (err) {
    if (IMAGE_DATASETS.includes(o.data)) throw err;
    return (err as Error).message;
  }
  if (!metrics.some((m) => m.features)) return undefined;
  const model = await openFeatureModel(o.features);
  try {
    checkFeatureInput(model, reference.shape, `${o.data}'s images`);
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
}

function makeContext(
  samples: SampleSet,
  reference: ReferenceData,
  metrics: Metric[],
  model: FeatureModel | undefined,
  o: EvaluateOptions,
  say: (message: string) => void,
): MetricContext {
  const size = samples.shape.reduce((a, b) => a * b, 1);
  // Features of as many samples as the most demanding metric reads, computed once.
  const featureCount = Math.max(
    0,
    ...metrics.filter((m) => m.features).map((m) => (m.samples === 'all' ? samples.count : m.samples)),
  );
  let features: Features | undefined;
  let pixels: Float32Array | undefined;
  return {
    samples,
    reference,
    out: o.out,
    say,
    async featureModel() {
      if (!model) throw new Error('Expected a feature network for a feature metric but none was loaded');
      return model;
    },
    async sampleFeatures(n) {
      if (!model) throw new Error('Expected a feature network for a feature metric but none was loaded');
      features ??= await model.extractor.fromFloats(samples.images, featureCount, (done, total) =>
        o.onProgress?.("features of G's samples", done, total),
      );
      if (n > features.count)
        throw new Error(`Expected at most ${features.count} samples' features but ${n} were asked for`);
      return {
        ...features,
        count: n,
        features: features.features.subarray(0, n * features.featureDim),
        probabilities: features.probabilities.subarray(0, n * features.classes),
      };
    },
    samplePixels(n): VectorSet {
      // [−1, 1] → [0, 1], the scale of the pixel-space metrics.
      pixels ??= samples.images.map((v) => (v + 1) / 2);
      return { values: pixels.subarray(0, n * size), count: Math.min(n, samples.count), dim: size };
    },
    async writePicture(name, png) {
      if (!o.out) return;
      await fs.mkdir(o.out, { recursive: true });
      const file = path.join(o.out, name);
      await writeFileAtomic(file, png);
      say(`wrote ${file}`);
    },
  };
}

/** Refuses too few samples for a metric's protocol: callers check before loading or downloading any data. */
export function checkCounts(metrics: Metric[], count: number): void {
  for (const m of metrics) {
    const needed = m.samples === 'all' ? m.minimum : m.samples;
    if (count < needed) {
      const hint =
        m.samples === 'all'
          ? ''
          : `; its protocol reads exactly ${needed.toLocaleString('en')}` +
            (m.name === 'fid10k' ? ' (fid scores however many are given)' : '');
      throw new Error(
        `Expected at least ${needed.toLocaleString('en')} samples for ${m.name} but ` +
          `received ${count.toLocaleString('en')}: generate more${hint}`,
      );
    }
  }
}

function checkFinite(images: Float32Array, length: number): void {
  let bad = 0;
  for (let i = 0; i < length; i++) if (!Number.isFinite(images[i])) bad++;
  if (bad > 0) throw new Error(`Expected finite sample values but ${bad} are NaN or infinite: the generator diverged`);
}
