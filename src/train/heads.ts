// D's auxiliary head as a classifier of real labelled images, measured at the end of
// an image run: ACGAN's class head (plain accuracy), and InfoGAN's Q as an unsupervised
// classifier — its most likely categorical code value under the best one-to-one
// mapping of values to classes, the protocol behind the 5% error Chen et al. (2016,
// §5.1) report on MNIST. Labels are read here only, never in InfoGAN's training.
import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from '../data/images/index.js';
import { codeAccuracy } from '../metrics/conditional.js';
import type { Gan } from './gan.js';
import { readAndDispose } from '../backend/read.js';

export interface HeadMetrics {
  /** acgan: fraction of the images whose class D's head predicts. */
  headAccuracy?: number;
  /** infogan: fraction of the images whose Q code value maps to their class. */
  qAccuracy?: number;
  /** The images measured on, e.g. "fashion-mnist (test, 10000)". */
  headImages?: string;
}

/** The head's most likely class or code value for every image, in batches. */
async function predictions(gan: Gan, images: ImageDataset, batch = 500): Promise<Int32Array> {
  const cond = gan.conditioning!;
  const { count, height, width, channels } = images;
  const size = height * width * channels;
  const out = new Int32Array(count);
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const values = new Float32Array(n * size);
    for (let i = 0; i < n * size; i++) values[i] = images.images[start * size + i] / 127.5 - 1;
    const best = tf.tidy(() => {
      const { aux } = gan.judge(tf.tensor4d(values, [n, height, width, channels]), undefined, false);
      return tf.argMax(tf.slice(aux!, [0, 0], [-1, cond.classes]), 1);
    });
    out.set(await readAndDispose<Int32Array>(best), start);
  }
  return out;
}

/** The metrics of D's head on labelled images (undefined for cgan, or images without labels). */
export async function headMetrics(
  gan: Gan,
  images: ImageDataset,
  description: string,
): Promise<HeadMetrics | undefined> {
  const cond = gan.conditioning;
  if (!cond?.auxHead || !images.labels) return undefined;
  const predicted = await predictions(gan, images);
  const labels = Int32Array.from(images.labels);
  if (cond.auxHead === 'code') {
    let classes = images.classNames?.length ?? 0;
    for (const l of labels) classes = Math.max(classes, l + 1);
    return { qAccuracy: codeAccuracy(predicted, labels, cond.classes, classes).accuracy, headImages: description };
  }
  let right = 0;
  predicted.forEach((p, i) => (right += p === labels[i] ? 1 : 0));
  return { headAccuracy: right / predicted.length, headImages: description };
}
