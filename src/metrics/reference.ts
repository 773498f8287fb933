// The real side of every metric: a data set's training and test images, their
// features under a feature network, and real-vs-real reference values. Whatever is
// slow to compute (60,000 images' features, the test set's nearest training images)
// is cached on disk in the data cache folder, under a key made of the data's content
// and, for features, the feature network's SHA-256, and kept in memory for the
// process (a training run evaluates many times).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { defaultDataDir, loadImages, type ImageDataset } from '../data/images/index.js';
import { writeFileAtomic } from '../io/atomic.js';
import { readNpyTyped, writeNpy } from '../io/npy.js';
import type { VectorSet } from './distances.js';
import type { FeatureModel, Features } from './features/index.js';
import { gaussianStats, type GaussianStats } from './frechet.js';

export type Split = 'train' | 'test';

export interface ReferenceOptions {
  /** Default $GANKIT_DATA, else the user cache folder's data/. */
  dataDir?: string;
  say?: (message: string) => void;
  /** Counts of long work (the features of a split), for a progress line. */
  onProgress?: EvaluationProgress;
}

/** What is being done ("features of …"), how much of it, and of how much. */
export type EvaluationProgress = (what: string, done: number, total: number) => void;

const opened = new Map<string, Promise<ReferenceData>>();

export class ReferenceData {
  /** [height, width, channels] of the data's images. */
  readonly shape: [number, number, number];
  private readonly pixelSets = new Map<Split, VectorSet>();
  private readonly featureSets = new Map<string, Promise<Features>>();
  private readonly statistics = new Map<string, Promise<GaussianStats>>();
  /** The latest opener's progress callback (the data set is opened once per process, by many callers). */
  private progress?: EvaluationProgress;

  private constructor(
    readonly name: string,
    readonly train: ImageDataset,
    readonly test: ImageDataset,
    /** This data set's cache folder. */
    readonly cacheDir: string,
    private readonly say: (message: string) => void,
  ) {
    this.shape = [train.height, train.width, train.channels];
  }

  /** The data set's training and test splits (loaded once per process). */
  static async open(data: string, o: ReferenceOptions = {}): Promise<ReferenceData> {
    const dataDir = o.dataDir ?? defaultDataDir();
    const key = `${dataDir}\0${data}`;
    let reference = opened.get(key);
    if (!reference) {
      reference = ReferenceData.load(data, dataDir, o.say ?? (() => {}));
      reference.catch(() => opened.delete(key));
      opened.set(key, reference);
    }
    const ready = await reference;
    ready.progress = o.onProgress;
    return ready;
  }

  private static async load(data: string, dataDir: string, say: (message: string) => void): Promise<ReferenceData> {
    const train = await loadImages(data, { dataDir, onProgress: say });
    let test: ImageDataset;
    try {
      test = await loadImages(data, { dataDir, split: 'test', onProgress: say });
    } catch (err) {
      throw new Error(
        `Expected a data set with a test split for the real-vs-real references but ${data} has none ` +
          `(${(err as Error).message})`,
      );
    }
    if ([train.height, train.width, train.channels].join() !== [test.height, test.width, test.channels].join()) {
      throw new Error(
        `Expected ${data}'s test images to have the training images' ` +
          `shape ${train.height}×${train.width}×${train.channels} but they ` +
          `are ${test.height}×${test.width}×${test.channels}`,
      );
    }
    // The cache is keyed by content, so a changed folder never reads stale features.
    const hash = createHash('sha256').update(train.images).update(test.images).digest('hex').slice(0, 12);
    const safe = path.basename(data).replace(/[^A-Za-z0-9._-]+/g, '_') || 'data';
    return new ReferenceData(data, train, test, path.join(dataDir, 'eval', `${safe}-${hash}`), say);
  }

  split(split: Split): ImageDataset {
    return split === 'train' ? this.train : this.test;
  }

  /** The split's images as vectors of pixel values in [0, 1]. */
  pixels(split: Split): VectorSet {
    let set = this.pixelSets.get(split);
    if (!set) {
      const { images, count, height, width, channels } = this.split(split);
      const values = new Float32Array(images.length);
      for (let i = 0; i < images.length; i++) values[i] = images[i] / 255;
      set = { values, count, dim: height * width * channels };
      this.pixelSets.set(split, set);
    }
    return set;
  }

  /** The split's features and class probabilities (cached on disk per feature network). */
  features(split: Split, model: FeatureModel): Promise<Features> {
    return once(this.featureSets, `${model.network.sha256}/${split}`, () => this.loadFeatures(split, model));
  }

  /** Mean and covariance of the whole split's features (cached on disk). */
  stats(split: Split, model: FeatureModel): Promise<GaussianStats> {
    return once(this.statistics, `${model.network.sha256}/${split}`, () => this.loadStats(split, model));
  }

  /**
   * A real-vs-real reference: read from references.json in the cache when there,
   * else computed and stored. `model` scopes it to a feature network (omit for pixel metrics).
   */
  async reference(
    name: string,
    model: FeatureModel | undefined,
    compute: () => Promise<Record<string, number>>,
  ): Promise<Record<string, number>> {
    const file = path.join(this.folder(model), 'references.json');
    const stored = await readJson(file);
    if (stored && typeof stored[name] === 'object') return stored[name] as Record<string, number>;
    const value = await compute();
    await fs.mkdir(path.dirname(file), { recursive: true });
    // Read again just before writing: another metric (or process) may have added its own.
    const latest = (await readJson(file)) ?? {};
    await writeFileAtomic(file, JSON.stringify({ ...latest, [name]: value }, null, 1) + '\n');
    return value;
  }

  private folder(model: FeatureModel | undefined): string {
    return path.join(this.cacheDir, model ? `features-${model.network.sha256.slice(0, 16)}` : 'pixels');
  }

  private async loadFeatures(split: Split, model: FeatureModel): Promise<Features> {
    const dir = this.folder(model);
    const files = {
      features: path.join(dir, `${split}-features.npy`),
      probabilities: path.join(dir, `${split}-probabilities.npy`),
    };
    const { count } = this.split(split);
    const [f, p] = await Promise.all([
      readNpyTyped(files.features).catch(() => undefined),
      readNpyTyped(files.probabilities).catch(() => undefined),
    ]);
    if (f?.dtype === 'float32' && p?.dtype === 'float32' && f.shape[0] === count && p.shape[0] === count) {
      return { features: f.data, probabilities: p.data, count, featureDim: f.shape[1], classes: p.shape[1] };
    }
    this.say(`features of ${this.name}'s ${count} ${split} images (computed once, then cached in ${dir})`);
    const images = this.split(split);
    const what = `features of ${this.name}'s ${split} images`;
    const features = await model.extractor.fromBytes(images.images, count, (done, total) =>
      this.progress?.(what, done, total),
    );
    await fs.mkdir(dir, { recursive: true });
    await writeNpy(files.features, features.features, [count, features.featureDim]);
    await writeNpy(files.probabilities, features.probabilities, [count, features.classes]);
    return features;
  }

  private async loadStats(split: Split, model: FeatureModel): Promise<GaussianStats> {
    const file = path.join(this.folder(model), `${split}-stats.f64`);
    const bytes = await fs.readFile(file).catch(() => undefined);
    if (bytes && bytes.length >= 16) {
      const values = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      const [count, dim] = values;
      if (values.length === 2 + dim + dim * dim)
        return { count, dim, mean: values.slice(2, 2 + dim), cov: values.slice(2 + dim) };
    }
    const f = await this.features(split, model);
    const stats = gaussianStats(f.features, f.count, f.featureDim);
    const values = new Float64Array(2 + stats.dim + stats.dim * stats.dim);
    values.set([stats.count, stats.dim]);
    values.set(stats.mean, 2);
    values.set(stats.cov, 2 + stats.dim);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, new Uint8Array(values.buffer));
    return stats;
  }
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The promise cached under key, or a new one from load; a failed load is forgotten, so the next call retries. */
function once<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = load();
    value.catch(() => cache.delete(key));
    cache.set(key, value);
  }
  return value;
}
