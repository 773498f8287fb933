// Image data sets for training GANs, read from their real formats: a known name
// (found in the cache, in a system package's folder, or downloaded with checksums),
// or a path to IDX files, CIFAR-10 binary files, a folder of PNG/JPEG images, or an .npy file.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { cifarBatchesDir, readCifarFolder } from './cifar.js';
import { readImageFolder } from './folder.js';
import { findIdxFiles, isIdxFolder, readIdxImages } from './idx.js';
import { loadKnown } from './known.js';
import { readNpyImages } from './numpy.js';
import { IMAGE_REGISTRY } from './registry.js';
import { withFileErrors } from '../../io/file-errors.js';
import type { ImageDataset, LoadImagesOptions } from './types.js';

export type { ImageDataset, LoadImagesOptions, Split } from './types.js';
export { ImageBatches } from './batches.js';
export { defaultDataDir } from './known.js';
export { downloadFile, type DownloadRequest } from './download.js';
export { IMAGE_REGISTRY, type ImageRegistry, type KnownImageData, type RegistryFile } from './registry.js';

export const IMAGE_DATASETS: readonly string[] = Object.freeze(Object.keys(IMAGE_REGISTRY));

/** A known image data set's name, or something that looks like a path (has '/' or '.', or exists). */
export function isImageDataName(data: string): boolean {
  return IMAGE_DATASETS.includes(data) || looksLikePath(data) || existsSync(data);
}

export async function loadImages(data: string, options: LoadImagesOptions = {}): Promise<ImageDataset> {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test')
    throw new Error(`Expected split to be train or test but received "${split}"`);
  const { size } = options;
  if (size !== undefined && !(Number.isInteger(size) && size > 0))
    throw new Error(`Expected size to be a positive integer but received ${size}`);
  const registry = options.registry ?? IMAGE_REGISTRY;
  // A known name wins over a folder of the same name in the working directory: write ./mnist for that.
  const entry = Object.hasOwn(registry, data) ? registry[data] : undefined;
  const dataset = entry ? await loadKnown(data, entry, { ...options, split }) : await loadPath(data, split, size);
  checkDataset(dataset);
  if (size !== undefined && (dataset.height !== size || dataset.width !== size)) {
    throw new Error(
      `Expected --size ${size} to match ${data}'s ${dataset.height}×${dataset.width} images: resizing applies to ` +
        'image folders only; ' +
        `leave --size out, or convert the images to a folder of PNGs`,
    );
  }
  return dataset;
}

async function loadPath(data: string, split: 'train' | 'test', size: number | undefined): Promise<ImageDataset> {
  if (!existsSync(data)) {
    const known = `known image data sets: ${[...IMAGE_DATASETS].join(', ')}`;
    if (looksLikePath(data)) throw new Error(`Expected a data set at ${data} but nothing is there (${known})`);
    throw new Error(
      `Expected data to be a known image data set (${IMAGE_DATASETS.join(', ')}) or a path to one but received ` +
        `"${data}"`,
    );
  }
  const stats = await withFileErrors(data, 'reading the data', () => fs.stat(data));
  if (!stats.isFile() && !stats.isDirectory())
    throw new Error(`Expected a folder or an .npy file for data but ${data} is neither (a pipe, socket or device?)`);
  if (stats.isFile()) {
    if (!/\.npy$/i.test(data))
      throw new Error(`Expected a folder or an .npy file for data but received the file ${data}`);
    onlyTrain(data, split);
    return { name: data, ...(await readNpyImages(data)) };
  }
  if (await isIdxFolder(data)) {
    const files = await findIdxFiles(data, split);
    return { name: data, source: data, ...(await readIdxImages(files.images, files.labels)) };
  }
  if ((await cifarBatchesDir(data)) !== undefined) return { name: data, ...(await readCifarFolder(data, split)) };
  onlyTrain(data, split);
  return { name: data, ...(await readImageFolder(data, size)) };
}

/**
 * What every reader guarantees, checked once more where they meet: a data set with no images or with mismatched
 * sizes would otherwise fail much later, far from the file at fault.
 */
function checkDataset(d: ImageDataset): void {
  const pixels = d.count * d.height * d.width * d.channels;
  if (!(d.count >= 1) || !(d.height >= 1) || !(d.width >= 1))
    throw new Error(
      `Expected at least one image of at least 1×1 pixel in ${d.source} but it holds ${d.count} images of ` +
        `${d.height}×${d.width}: the data set is empty or damaged`,
    );
  if (d.images.length !== pixels || (d.labels && d.labels.length !== d.count))
    throw new Error(
      `Expected ${pixels} pixel bytes and ${d.count} labels from ${d.source} but received ${d.images.length} and ` +
        `${d.labels?.length}: this is a bug in gankit's reader, please report it`,
    );
}

/** .npy files and image folders hold one set of images; a test split is a path of its own. */
function onlyTrain(data: string, split: 'train' | 'test'): void {
  if (split === 'test')
    throw new Error(
      `Expected a data set with a test split but ${data} holds one set of images: pass the test images as a path ` +
        'of their own',
    );
}

function looksLikePath(data: string): boolean {
  return data.includes('/') || data.includes(path.sep) || data.includes('.');
}
