// A folder of PNG/JPEG images, found recursively. When images sit only in sub-folders
// of the top level, each sub-folder is a class (ImageFolder's convention): labels
// follow the sorted folder names. Decoding is sharp's (libvips), which refuses images
// of more than 268 megapixels before decoding them. Every refusal names the file; a
// folder reached twice through symbolic links is read once.
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { withFileErrors } from '../../io/file-errors.js';
import type { ImageDataset } from './types.js';

const IMAGE_FILE = /\.(png|jpe?g)$/i;
// sharp decodes on its own thread pool; a few images in flight keep it busy without
// holding thousands of decoded images at once.
const CONCURRENCY = 8;

interface Decoded {
  file: string;
  pixels: Buffer;
  width: number;
  height: number;
  gray: boolean;
}

export async function readImageFolder(dir: string, size?: number): Promise<Omit<ImageDataset, 'name'>> {
  const { files, labels, classNames } = await listFolder(dir);
  if (files.length === 0)
    throw new Error(`Expected PNG or JPEG images (.png, .jpg, .jpeg) in ${dir} or its sub-folders but found none`);
  const decoded = await mapLimit(files, CONCURRENCY, (file) => decode(file, size));
  const first = decoded[0];
  const other = decoded.find((d) => d.width !== first.width || d.height !== first.height);
  if (other) {
    throw new Error(
      `Expected all images in ${dir} to share one size but ${first.file} is ${first.width}×${first.height} ` +
        `and ${other.file} is ${other.width}×${other.height}: ` +
        `pass --size N (the size option) to resize and centre-crop every image to N×N`,
    );
  }
  // One channel only when every image is grayscale; otherwise gray images are repeated into RGB.
  const channels = decoded.every((d) => d.gray) ? 1 : 3;
  const pixels = first.width * first.height;
  const images = new Uint8Array(decoded.length * pixels * channels);
  decoded.forEach((d, n) => {
    const out = n * pixels * channels;
    if (!d.gray || channels === 1) images.set(d.pixels, out);
    else for (let p = 0; p < pixels; p++) images.fill(d.pixels[p], out + 3 * p, out + 3 * p + 3);
  });
  return {
    source: dir,
    images,
    count: decoded.length,
    height: first.height,
    width: first.width,
    channels,
    ...(labels && { labels: Uint8Array.from(labels), classNames }),
  };
}

/**
 * Image files in a stable order (code-point order, whatever the locale), with class labels when the folder has class
 * folders.
 */
async function listFolder(dir: string): Promise<{ files: string[]; labels?: number[]; classNames?: string[] }> {
  const seen = new Set<string>([folderId(await statOf(dir))]);
  const top = await visibleEntries(dir);
  const folders: string[] = [];
  for (const name of top) if ((await statOf(path.join(dir, name))).isDirectory()) folders.push(name);
  const byClass = folders.length > 0 && !top.some((name) => IMAGE_FILE.test(name) && !folders.includes(name));
  if (!byClass) return { files: await imagesUnder(dir, seen) };
  if (folders.length > 256)
    throw new Error(`Expected at most 256 class folders in ${dir} (labels are bytes) but found ${folders.length}`);
  const classNames = folders.sort(byCodePoint);
  const files: string[] = [];
  const labels: number[] = [];
  for (const [label, name] of classNames.entries()) {
    const classDir = path.join(dir, name);
    seen.add(folderId(await statOf(classDir)));
    const found = await imagesUnder(classDir, seen);
    // A class without images would still be a class of the model, one it could never learn.
    if (found.length === 0)
      throw new Error(
        `Expected PNG or JPEG images in every class folder of ${dir} but ${classDir} holds none: add ` +
          'images to it or remove it',
      );
    for (const file of found) {
      files.push(file);
      labels.push(label);
    }
  }
  return { files, labels, classNames };
}

async function imagesUnder(dir: string, seen: Set<string>): Promise<string[]> {
  const found: string[] = [];
  for (const name of (await visibleEntries(dir)).sort(byCodePoint)) {
    const full = path.join(dir, name);
    const stats = await statOf(full);
    if (stats.isDirectory()) {
      // Symbolic links may lead back up the tree; each folder is read once.
      if (seen.has(folderId(stats))) continue;
      seen.add(folderId(stats));
      found.push(...(await imagesUnder(full, seen)));
    } else if (IMAGE_FILE.test(name)) {
      // A pipe or a device named x.png would block the reader for ever.
      if (!stats.isFile())
        throw new Error(`Expected ${full} to be an image file but it is not a regular file: remove it from the folder`);
      found.push(full);
    }
  }
  return found;
}

function folderId(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

function statOf(file: string): Promise<Stats> {
  return withFileErrors(file, 'reading the image folder', () => fs.stat(file));
}

async function visibleEntries(dir: string): Promise<string[]> {
  const names = await withFileErrors(dir, 'reading the image folder', () => fs.readdir(dir));
  return names.filter((name) => !name.startsWith('.'));
}

async function decode(file: string, size?: number): Promise<Decoded> {
  try {
    const { space } = await sharp(file).metadata();
    const gray = space === 'b-w' || space === 'grey16';
    // autoOrient: a photo taken sideways is stored sideways with an EXIF note; honour it.
    // flatten: transparent pixels are composited onto black, and alpha is dropped.
    let image = sharp(file).autoOrient().flatten({ background: '#000000' });
    if (size !== undefined) image = image.resize(size, size, { fit: 'cover', position: 'centre' });
    const { data, info } = await image
      .toColourspace(gray ? 'b-w' : 'srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== (gray ? 1 : 3)) throw new Error(`decoded to ${info.channels} channels`);
    return { file, pixels: data, width: info.width, height: info.height, gray };
  } catch (err) {
    throw new Error(
      `Expected a readable PNG or JPEG image at ${file} but decoding failed (${(err as Error).message}): fix or ` +
        'remove the file',
    );
  }
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false; // after one failure the others stop taking work
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
