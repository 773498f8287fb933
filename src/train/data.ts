// What a run trains on: a toy distribution (the 2D mixtures, the 1D Gaussian), from
// which fresh batches are drawn for ever, or an image data set, read in epochs.
import * as tf from '@tensorflow/tfjs-core';
import { toyDataset, type ToyDataset } from '../data/toy.js';
import { ImageBatches, loadImages, type ImageDataset } from '../data/images/index.js';
import type { BatchSource } from './gan.js';
import { isToyData, type TrainOptions } from './options.js';

export type TrainingData =
  | { kind: 'toy'; /** One example's shape, e.g. [2]. */ shape: number[]; toy: ToyDataset; batches: BatchSource }
  | { kind: 'images'; /** [height, width, channels]. */ shape: number[]; images: ImageDataset; batches: ImageBatches };

export async function openTrainingData(
  options: Pick<TrainOptions, 'data' | 'imageSize' | 'batchSize' | 'seed'>,
  say: (message: string) => void = () => {},
): Promise<TrainingData> {
  if (isToyData(options.data)) {
    const toy = toyDataset(options.data);
    const batches = { batch: (rng, n) => tf.tensor2d(toy.sample(rng, n), [n, toy.dim]) } satisfies BatchSource;
    return { kind: 'toy', shape: [toy.dim], toy, batches };
  }
  const images = await loadImages(options.data, {
    ...(options.imageSize > 0 ? { size: options.imageSize } : {}),
    onProgress: say,
  });
  say(`data: ${images.count} images ${images.height}×${images.width}×${images.channels} from ${images.source}`);
  return { kind: 'images', shape: [images.height, images.width, images.channels], images, batches: new ImageBatches(images, options.batchSize, options.seed) };
}
