// Samples to score, from wherever they were made: an .npy file (float32 in [−1, 1] or
// uint8 0..255, N×H×W×C or N×H×W) as gankit sample and NumPy write them, or a folder
// of PNG images (another tool's output), decoded with sharp.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { readNpyTyped } from '../io/npy.js';
import type { SampleSet } from './registry.js';

export interface ReadSamplesOptions {
  /** Channels to decode PNGs to (the data's): 1 = grey, 3 = RGB. Default 1. */
  channels?: 1 | 3;
  /** Read at most the first `limit` samples. */
  limit?: number;
}

const IMAGE_FILE = /\.png$/i;

/** Reads samples from an .npy file or a folder of PNGs as NHWC float32 in [−1, 1]. */
export async function readSamples(file: string, o: ReadSamplesOptions = {}): Promise<SampleSet> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) throw new Error(`Expected samples at ${file} (an .npy file or a folder of PNGs) but nothing is there`);
  if (stat.isDirectory()) return readPngFolder(file, o.channels ?? 1, o.limit);
  if (!/\.npy$/i.test(file))
    throw new Error(`Expected samples in an .npy file or a folder of PNGs but received the file ${file}`);
  return fromNpy(file, await readNpyTyped(file), o.limit);
}

/** How many samples `file` holds (at most `limit`), without decoding them: an .npy's rows, a folder's PNGs. */
export async function countSamples(file: string, limit?: number): Promise<number> {
  const stat = await fs.stat(file).catch(() => undefined);
  let count: number;
  if (stat?.isDirectory()) count = (await fs.readdir(file)).filter((n) => IMAGE_FILE.test(n)).length;
  else if (stat && /\.npy$/i.test(file)) count = (await readNpyTyped(file)).shape[0] ?? 0;
  else return (await readSamples(file)).count; // its error says what is wrong
  return Math.min(count, limit ?? count);
}

function fromNpy(file: string, array: Awaited<ReturnType<typeof readNpyTyped>>, limit?: number): SampleSet {
  const { shape } = array;
  if (!(shape.length === 4 || shape.length === 3) || shape.some((d) => d < 1)) {
    throw new Error(`Expected images of shape N×H×W×C or N×H×W in ${file} but its shape is (${shape.join(', ')})`);
  }
  const [n, h, w, c = 1] = shape;
  const count = Math.min(n, limit ?? n);
  const size = h * w * c;
  const images = new Float32Array(count * size);
  if (array.dtype === 'uint8') {
    for (let i = 0; i < images.length; i++) images[i] = array.data[i] / 127.5 - 1;
  } else {
    images.set(array.data.subarray(0, images.length));
    checkRange(file, images);
  }
  return { images, count, shape: [h, w, c] };
}

/** Floats must be in [−1, 1]: samples in [0, 1] or 0..255 would be scored as other images entirely. */
function checkRange(file: string, images: Float32Array): void {
  let min = Infinity;
  let max = -Infinity;
  let bad = 0;
  for (const v of images) {
    if (!Number.isFinite(v)) bad++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (bad > 0)
    throw new Error(`Expected finite sample values in ${file} but ${bad} are NaN or infinite: the generator diverged`);
  if (min < -1.5 || max > 1.5) {
    throw new Error(
      `Expected float samples in [−1, 1] in ${file} but they range over [${min}, ${max}]: map 0..255 with x / ` +
        '127.5 − 1, or save them as uint8',
    );
  }
  if (min >= 0 && max > 0) {
    throw new Error(
      `Expected float samples in [−1, 1] in ${file} but none is negative (range [${min}, ${max}]): if they are in ` +
        '[0, 1], map them with 2x − 1',
    );
  }
}

async function readPngFolder(dir: string, channels: 1 | 3, limit?: number): Promise<SampleSet> {
  const names = (await fs.readdir(dir)).filter((n) => IMAGE_FILE.test(n)).sort();
  if (names.length === 0) throw new Error(`Expected PNG images in the folder ${dir} but it has none`);
  const chosen = names.slice(0, limit ?? names.length);
  let shape: [number, number, number] | undefined;
  let images = new Float32Array(0);
  const parallel = 32;
  for (let start = 0; start < chosen.length; start += parallel) {
    const decoded = await Promise.all(
      chosen.slice(start, start + parallel).map((name) => decode(path.join(dir, name), channels)),
    );
    decoded.forEach(({ pixels, width, height, file }, k) => {
      if (!shape) {
        shape = [height, width, channels];
        images = new Float32Array(chosen.length * pixels.length);
      } else if (shape[0] !== height || shape[1] !== width) {
        throw new Error(
          `Expected every image in ${dir} to be ${shape[0]}×${shape[1]} (as the first is) but ${file} ` +
            `is ${height}×${width}`,
        );
      }
      const offset = (start + k) * pixels.length;
      for (let j = 0; j < pixels.length; j++) images[offset + j] = pixels[j] / 127.5 - 1;
    });
  }
  return { images, count: chosen.length, shape: shape! };
}

async function decode(
  file: string,
  channels: 1 | 3,
): Promise<{ pixels: Buffer; width: number; height: number; file: string }> {
  try {
    const image = sharp(file).removeAlpha();
    const { data, info } = await (channels === 1 ? image.greyscale() : image.toColourspace('srgb'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) throw new Error(`decoded ${info.channels} channels, not ${channels}`);
    return { pixels: data, width: info.width, height: info.height, file };
  } catch (err) {
    throw new Error(`Expected a PNG image at ${file} but could not decode it: ${(err as Error).message}`);
  }
}
