// What the data subsystem needs to know of a run: which data, at what size, in what batches.
export interface DataOptions {
  /** A 2D/1D toy data set (TOY_DATASETS), an image data set (IMAGE_DATASETS) or a path to images. */
  data: string;
  /** Image folders: resize and centre-crop every image to size × size (0 = keep the files' size). */
  imageSize: number;
  batchSize: number;
}
