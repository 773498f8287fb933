// What the metric tests on real data share: whether Fashion-MNIST is installed, a
// data cache kept across test runs (features of 60,000 images take seconds; the
// cache is keyed by content and network, so it is never stale), and image perturbations.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { skipUnless } from '../requirements.js';

export const FASHION = '/usr/share/datasets/fashion-mnist';
export const skipFashion = skipUnless(
  existsSync(path.join(FASHION, 'train-images-idx3-ubyte.gz')),
  'dataset-fashion-mnist not installed: apt-get install dataset-fashion-mnist',
);

/** The tests' data cache (not the user's). */
export const TEST_DATA_DIR = process.env.GANKIT_TEST_DATA || path.join(tmpdir(), 'gankit-test-data');

/** Bytes 0..255 → floats in [−1, 1]. */
export function toSigned(bytes: Uint8Array): Float32Array {
  return Float32Array.from(bytes, (v) => v / 127.5 - 1);
}

/** Adds N(0, std²) to every value, clipped to [−1, 1]. */
export function addNoise(images: Float32Array, std: number, normal: () => number): Float32Array {
  return images.map((v) => Math.max(-1, Math.min(1, v + std * normal())));
}

/** Gaussian blur of std `sigma` pixels, separable, edges clamped; single-channel h×w images. */
export function blur(images: Float32Array, h: number, w: number, sigma: number): Float32Array {
  if (sigma === 0) return images.slice();
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const k = kernel.map((v) => v / total);
  const out = new Float32Array(images.length);
  const row = new Float32Array(h * w);
  for (let start = 0; start < images.length; start += h * w) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let t = -radius; t <= radius; t++)
          s += k[t + radius] * images[start + y * w + Math.min(w - 1, Math.max(0, x + t))];
        row[y * w + x] = s;
      }
    }
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let t = -radius; t <= radius; t++) s += k[t + radius] * row[Math.min(h - 1, Math.max(0, y + t)) * w + x];
        out[start + y * w + x] = s;
      }
    }
  }
  return out;
}

/** Index of the largest value. */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}

/**
 * For each of `classes` classes, the first of `images` (n × 784 floats in [−1, 1]) that a
 * classifier's probabilities (n × classes) put in that class: images whose class is known.
 */
export function onePerClass(images: Float32Array, probabilities: Float32Array, classes: number): Float32Array {
  const size = images.length / (probabilities.length / classes);
  const out = new Float32Array(classes * size);
  for (let k = 0; k < classes; k++) {
    let i = 0;
    while (i * classes < probabilities.length && argmax(probabilities.subarray(i * classes, (i + 1) * classes)) !== k)
      i++;
    if (i * classes >= probabilities.length) throw new Error(`Expected an image of class ${k} among the candidates`);
    out.set(images.subarray(i * size, (i + 1) * size), k * size);
  }
  return out;
}
