// What the trainer draws real examples from. A batch carries its labels when the data
// are labelled (what cgan and acgan train on), so they travel with the examples.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.js';
import type { ToyDataset } from './toy.js';

export interface Batch {
  /** n examples, shape [n, ...exampleShape]. */
  x: tf.Tensor;
  /** The class of each example, when the data are labelled. */
  labels?: Int32Array;
}

/** A source of real training batches. */
export interface BatchSource {
  /** n examples (an image data set's epoch may end with fewer), drawn with the run's RNG where the source is random. */
  batch(rng: Rng, n: number): Batch;
}

/** Fresh toy batches, labelled by mode where the data set has labels (the same random draws either way). */
export function toyBatches(toy: ToyDataset): BatchSource {
  const labelled = toy.sampleLabelled;
  if (!labelled) return { batch: (rng, n) => ({ x: tf.tensor2d(toy.sample(rng, n), [n, toy.dim]) }) };
  return {
    batch(rng, n) {
      const { points, labels } = labelled(rng, n);
      return { x: tf.tensor2d(points, [n, toy.dim]), labels };
    },
  };
}
