// What a run trains on: a toy distribution (the 2D mixtures, the 1D Gaussian), from
// which fresh batches are drawn for ever, or an image data set, read in epochs.
import { toyDataset, type ToyDataset } from '../data/toy.js';
import { ImageBatches, loadImages, type ImageDataset } from '../data/images/index.js';
import { toyBatches, type BatchSource } from '../data/batches.js';
import { isToyData, type TrainOptions } from './options.js';

export type TrainingData = (
  | { kind: 'toy'; /** One example's shape, e.g. [2]. */ shape: number[]; toy: ToyDataset; batches: BatchSource }
  | { kind: 'images'; /** [height, width, channels]. */ shape: number[]; images: ImageDataset; batches: ImageBatches }
) & {
  /** Labelled data: the number of classes (its batches then carry labels). */
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
  return {
    kind: 'images',
    shape: [images.height, images.width, images.channels],
    images,
    batches,
    classes: imageClasses(images),
  };
}

/** The number of classes of labelled images: their class names, else the largest label + 1. */
function imageClasses(images: ImageDataset): number | undefined {
  if (!images.labels) return undefined;
  let largest = 0;
  for (const label of images.labels) largest = Math.max(largest, label);
  return Math.max(images.classNames?.length ?? 0, largest + 1);
}
