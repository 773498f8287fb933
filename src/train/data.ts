// What a run trains on: a toy distribution (the 2D mixtures, the 1D Gaussian), from
// which fresh batches are drawn for ever, or an image data set, read in epochs.
import * as tf from '@tensorflow/tfjs-core';
import { toyDataset, type ToyDataset } from '../data/toy.js';
import { ImageBatches, loadImages, type ImageDataset } from '../data/images/index.js';
import type { Rng } from '../rng.js';
import type { BatchSource } from './gan.js';
import { isToyData, type TrainOptions } from './options.js';

export type TrainingData = (
  | { kind: 'toy'; /** One example's shape, e.g. [2]. */ shape: number[]; toy: ToyDataset; batches: BatchSource }
  | { kind: 'images'; /** [height, width, channels]. */ shape: number[]; images: ImageDataset; batches: ImageBatches }
) & {
  /** Labelled data: the number of classes (batches then carry lastLabels). */
  classes?: number;
};

export async function openTrainingData(
  options: Pick<TrainOptions, 'data' | 'imageSize' | 'batchSize' | 'seed'>,
  say: (message: string) => void = () => {},
): Promise<TrainingData> {
  if (isToyData(options.data)) {
    const toy = toyDataset(options.data);
    return { kind: 'toy', shape: [toy.dim], toy, batches: toyBatches(toy), classes: toy.classes };
  }
  const images = await loadImages(options.data, {
    ...(options.imageSize > 0 ? { size: options.imageSize } : {}),
    onProgress: say,
  });
  say(`data: ${images.count} images ${images.height}×${images.width}×${images.channels} from ${images.source}`);
  const batches = new ImageBatches(images, options.batchSize, options.seed);
  return { kind: 'images', shape: [images.height, images.width, images.channels], images, batches, classes: imageClasses(images) };
}

/** Fresh toy batches; labelled data sets also keep the last batch's labels (the same random draws either way). */
function toyBatches(toy: ToyDataset): BatchSource {
  const labelled = toy.sampleLabelled;
  if (!labelled) return { batch: (rng, n) => tf.tensor2d(toy.sample(rng, n), [n, toy.dim]) };
  const source = {
    lastLabels: undefined as Int32Array | undefined,
    batch(rng: Rng, n: number) {
      const { points, labels } = labelled(rng, n);
      source.lastLabels = labels;
      return tf.tensor2d(points, [n, toy.dim]);
    },
  };
  return source;
}

/** The number of classes of labelled images: their class names, else the largest label + 1. */
function imageClasses(images: ImageDataset): number | undefined {
  if (!images.labels) return undefined;
  let largest = 0;
  for (const label of images.labels) largest = Math.max(largest, label);
  return Math.max(images.classNames?.length ?? 0, largest + 1);
}
