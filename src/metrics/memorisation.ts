// Nearest-neighbour memorisation: does G copy its training images? Each sample's
// pixel-space (L2, pixel values in [0, 1]) distance to its nearest training image is
// compared with how close real images the model never saw (test images) come to the
// training set. A sample is "suspiciously close" when nearer than the 1st percentile
// of the test images' nearest distances. The 1st rather than the 5th percentile:
// copies are rare events, and at 1% a generator that copies even 2% of its samples
// triples the chance level, where at 5% it would hide among near-duplicates the data
// set itself holds (Fashion-MNIST has many plain, nearly identical garments).
import { encodePng, tileImages, upscale } from '../plots/grid.js';
import { kNearest, nearestDistances, type VectorSet } from './distances.js';

export const NN_PERCENTILE = 0.01;

export interface Memorisation {
  /** Fraction of the queries nearer to the training set than the threshold. */
  close: number;
  /** Median nearest-neighbour distance of the queries. */
  median: number;
}

/** Distance of each query to its nearest training image. */
export function nearestTrainingDistances(queries: VectorSet, train: VectorSet): Promise<Float32Array> {
  return nearestDistances(queries, train);
}

export function memorisation(distances: Float32Array, threshold: number): Memorisation {
  let close = 0;
  for (const d of distances) if (d < threshold) close++;
  return { close: close / distances.length, median: quantile(distances, 0.5) };
}

/** The q-quantile (0 ≤ q ≤ 1) by linear interpolation between order statistics (NumPy's default). */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new Error('Expected at least one value for a quantile but received none');
  const sorted = Float64Array.from(values).sort();
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
}

/**
 * A PNG, one row per sample: the `rows` samples nearest to the training set (the most
 * suspicious first), each beside its 3 nearest training images, enlarged 2×.
 */
export async function neighboursPicture(
  samples: VectorSet,
  distances: Float32Array,
  train: VectorSet,
  shape: [h: number, w: number, c: number],
  rows = 8,
): Promise<Buffer> {
  const order = Array.from(distances.keys())
    .sort((a, b) => distances[a] - distances[b])
    .slice(0, Math.min(rows, samples.count));
  const chosen: VectorSet = { values: gather(samples, order), count: order.length, dim: samples.dim };
  const { index } = await kNearest(chosen, train, 3);
  const size = samples.dim;
  const tiles = new Float32Array(order.length * 4 * size);
  order.forEach((_, r) => {
    tiles.set(chosen.values.subarray(r * size, (r + 1) * size), r * 4 * size);
    for (let k = 0; k < 3; k++) {
      const j = index[r * 3 + k];
      tiles.set(train.values.subarray(j * size, (j + 1) * size), (r * 4 + 1 + k) * size);
    }
  });
  // tileImages wants [−1, 1]; these are pixels in [0, 1].
  return encodePng(
    upscale(
      tileImages(
        tiles.map((v) => 2 * v - 1),
        [order.length * 4, ...shape],
        { columns: 4 },
      ),
      2,
    ),
  );
}

function gather(set: VectorSet, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * set.dim);
  rows.forEach((row, i) => out.set(set.values.subarray(row * set.dim, (row + 1) * set.dim), i * set.dim));
  return out;
}
