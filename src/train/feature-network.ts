// Trains the feature network gankit ships (npm run train-features): Fashion-MNIST's
// training set, plus MNIST's when it is on this machine (its digits become classes
// 10–19, so one network serves both), from a fixed seed, with Adam; then measures
// accuracy on the Fashion-MNIST test set and writes model.json, weights.bin and
// features.json (SHA-256 of the weights, accuracy, what it was trained on) into one
// folder, atomically.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadImages, type ImageDataset } from '../data/images/index.js';
import { saveModel } from '../io/model-files.js';
import { Rng } from '../rng.js';
import { writeFolderAtomic } from '../io/folder.js';
import { Optimizer } from './optimizers.js';
import { sha256File, FEATURE_INFO_FILE, type FeatureInfo } from '../metrics/features/load.js';
import { FEATURE_INPUT_SHAPE, FEATURE_LAYER, featureNetwork } from '../metrics/features/network.js';
import { featureExtractor } from '../metrics/features/extract.js';
import { readAndDispose } from '../backend/read.js';

export interface TrainFeaturesOptions {
  out: string;
  seed: number;
  epochs: number;
  batchSize: number;
  lr: number;
  /** Random shifts of up to 2 pixels. */
  augment: boolean;
  /** Also train on MNIST when its files are in the cache (never downloads). */
  mnist: boolean;
  /** The command that made it, recorded in features.json. */
  script: string;
  say?: (message: string) => void;
}

export interface TrainFeaturesResult {
  info: FeatureInfo;
  seconds: number;
}

export async function trainFeatureNetwork(o: TrainFeaturesOptions): Promise<TrainFeaturesResult> {
  const say = o.say ?? (() => {});
  const started = Date.now();
  const fashion = await loadImages('fashion-mnist', { onProgress: say });
  const test = await loadImages('fashion-mnist', { split: 'test', onProgress: say });
  const mnist = o.mnist ? await loadImages('mnist', { download: false }).catch(() => undefined) : undefined;
  const trainedOn = mnist
    ? ['fashion-mnist (train, 60,000)', 'mnist (train, 60,000; classes 10–19)']
    : ['fashion-mnist (train, 60,000)'];
  const classNames = [...fashion.classNames!, ...(mnist ? mnist.classNames!.map((d) => `digit ${d}`) : [])];
  say(
    `training on ${trainedOn.join(' + ')}` +
      (o.mnist && !mnist ? ' (MNIST not found in the cache: Fashion-MNIST only)' : ''),
  );
  const data = mnist ? concatenate(fashion, mnist, 10) : fashion;

  const model = featureNetwork(o.seed, classNames.length);
  // The same layers with the logits as output: the loss wants logits, not probabilities.
  const logitsModel = tfl.model({
    inputs: model.inputs,
    outputs: model.getLayer('logits').output as tfl.SymbolicTensor,
  });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = new Optimizer(
    { kind: 'adam', lr: o.lr, beta1: 0.9, beta2: 0.999, eps: 1e-7, momentum: 0 },
    variables,
  );
  const batches = new Batches(data, o.batchSize, new Rng(o.seed), o.augment);
  const totalSteps = o.epochs * batches.stepsPerEpoch;
  try {
    for (let step = 0; step < totalSteps; step++) {
      // Cosine decay to zero: the last steps settle the weights (and batch-norm statistics).
      optimizer.spec.lr = (o.lr * (1 + Math.cos((Math.PI * step) / totalSteps))) / 2;
      const loss = tf.tidy(() => {
        const { images, labels } = batches.next();
        const x = tf.tensor4d(images, [labels.length, ...FEATURE_INPUT_SHAPE]);
        const target = tf.oneHot(tf.tensor1d(labels, 'int32'), classNames.length);
        const { value, grads } = tf.variableGrads(
          () =>
            tf.losses.softmaxCrossEntropy(target, logitsModel.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
          variables,
        );
        optimizer.apply(variables.map((v) => grads[v.name]));
        return value;
      });
      // The loss is read only when printed, every 100 steps.
      if ((step + 1) % 100 === 0 || step + 1 === totalSteps) {
        const epoch = (step + 1) / batches.stepsPerEpoch;
        const [value] = await readAndDispose(loss);
        say(
          `step ${step + 1}/${totalSteps} (epoch ${epoch.toFixed(2)}): ` +
            `loss ${value.toFixed(4)}, ${((Date.now() - started) / 1000).toFixed(0)} s`,
        );
      } else loss.dispose();
    }
    const testAccuracy = await accuracy(model, test);
    say(`Fashion-MNIST test accuracy: ${(100 * testAccuracy).toFixed(2)}%`);
    const info: Omit<FeatureInfo, 'sha256'> = {
      format: 'gankit-features',
      featureLayer: FEATURE_LAYER,
      inputShape: [...FEATURE_INPUT_SHAPE],
      valueRange: [-1, 1],
      classNames,
      testAccuracy: Number(testAccuracy.toFixed(4)),
      testSet: 'fashion-mnist (test, 10,000)',
      trainedOn,
      seed: o.seed,
      epochs: o.epochs,
      augment: o.augment,
      script: o.script,
    };
    let sha256 = '';
    await writeFolderAtomic(
      o.out,
      async (dir) => {
        await saveModel(model, dir);
        sha256 = await sha256File(path.join(dir, 'weights.bin'));
        await fs.writeFile(path.join(dir, FEATURE_INFO_FILE), JSON.stringify({ ...info, sha256 }, null, 2) + '\n');
      },
      (entries) =>
        entries.every((e) => ['model.json', 'weights.bin', FEATURE_INFO_FILE, 'training-log.txt'].includes(e)),
      '--out',
    );
    return { info: { ...info, sha256 }, seconds: (Date.now() - started) / 1000 };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * Shuffled batches, epoch after epoch, as [−1, 1] floats; with `augment`, each image is
 * shifted by up to 2 pixels each way (the border filled with −1, the background).
 */
class Batches {
  readonly stepsPerEpoch: number;
  private order: Uint32Array;
  private position = 0;

  constructor(
    private readonly data: ImageDataset,
    private readonly batchSize: number,
    private readonly rng: Rng,
    private readonly augment: boolean,
  ) {
    this.stepsPerEpoch = Math.ceil(data.count / batchSize);
    this.order = Uint32Array.from({ length: data.count }, (_, i) => i);
    rng.shuffle(this.order);
  }

  next(): { images: Float32Array; labels: Int32Array } {
    const { count, height: h, width: w, images, labels } = this.data;
    if (this.position >= count) {
      this.rng.shuffle(this.order);
      this.position = 0;
    }
    const n = Math.min(this.batchSize, count - this.position);
    const out = new Float32Array(n * h * w).fill(-1);
    const batchLabels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const index = this.order[this.position + i];
      batchLabels[i] = labels![index];
      const dy = this.augment ? this.rng.int(5) - 2 : 0;
      const dx = this.augment ? this.rng.int(5) - 2 : 0;
      for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
        const from = index * h * w + (y - dy) * w;
        const to = i * h * w + y * w;
        for (let x = Math.max(0, dx); x < Math.min(w, w + dx); x++) out[to + x] = images[from + x - dx] / 127.5 - 1;
      }
    }
    this.position += n;
    return { images: out, labels: batchLabels };
  }
}

/** Fraction of `data` whose most probable class is its label. */
export async function accuracy(model: tfl.LayersModel, data: ImageDataset): Promise<number> {
  const extract = featureExtractor(model, FEATURE_LAYER);
  const { probabilities, classes } = await extract.fromBytes(data.images, data.count);
  let right = 0;
  for (let i = 0; i < data.count; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (probabilities[i * classes + k] > probabilities[i * classes + best]) best = k;
    if (best === data.labels![i]) right++;
  }
  return right / data.count;
}

/** Both data sets' images as one, b's labels shifted by `offset`. */
function concatenate(a: ImageDataset, b: ImageDataset, offset: number): ImageDataset {
  const images = new Uint8Array(a.images.length + b.images.length);
  images.set(a.images);
  images.set(b.images, a.images.length);
  const labels = new Uint8Array(a.count + b.count);
  labels.set(a.labels!);
  labels.set(
    b.labels!.map((l) => l + offset),
    a.count,
  );
  return { ...a, name: `${a.name}+${b.name}`, images, labels, count: a.count + b.count };
}
