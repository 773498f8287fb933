// Improved precision and recall (Kynkäänniemi et al. 2019): each real feature vector
// gets a ball reaching its k-th nearest real neighbour (k = 3), and the union of the
// balls estimates the real manifold; likewise for the generated set. Precision: the
// fraction of generated samples inside the real manifold (are they realistic?).
// Recall: the fraction of real images inside the generated manifold (is the data's
// variety covered?). Both sets should have the same size: the radii shrink as a set grows.
import * as tf from '@tensorflow/tfjs-core';
import { distanceBlocks, kNearest, type VectorSet } from './distances.js';

export const PR_NEIGHBOURS = 3;

export interface PrecisionRecall {
  precision: number;
  recall: number;
}

export async function precisionRecall(
  real: VectorSet,
  generated: VectorSet,
  k = PR_NEIGHBOURS,
): Promise<PrecisionRecall> {
  const realRadii = await kthNeighbourDistance(real, k);
  const generatedRadii = await kthNeighbourDistance(generated, k);
  return {
    precision: await fractionInside(generated, real, realRadii),
    recall: await fractionInside(real, generated, generatedRadii),
  };
}

/** Each row's distance to its k-th nearest other row of the same set. */
export async function kthNeighbourDistance(set: VectorSet, k: number): Promise<Float32Array> {
  const { distance } = await kNearest(set, set, k, true);
  return Float32Array.from({ length: set.count }, (_, i) => distance[i * k + k - 1]);
}

/** Fraction of the queries within radius[i] of some centre i. */
export async function fractionInside(queries: VectorSet, centres: VectorSet, radii: Float32Array): Promise<number> {
  const r2 = tf.tensor2d(
    radii.map((r) => r * r),
    [1, centres.count],
  );
  let inside = 0;
  try {
    await distanceBlocks(
      queries,
      centres,
      (margins) => {
        for (const m of margins) if (m <= 0) inside++;
      },
      (d2) => tf.min(tf.sub(d2, r2), 1),
    );
  } finally {
    r2.dispose();
  }
  return inside / queries.count;
}
