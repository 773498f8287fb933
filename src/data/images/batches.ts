// Batches of real images for training, epoch by epoch as PyTorch's DataLoader with
// shuffle=True and drop_last=False draws them: each epoch visits every image once in
// a fresh order, and its last batch holds what is left. Epoch e's order depends only
// on (seed, e), so setting `drawn` resumes a run exactly where it stopped.
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../rng.js';
import type { Batch, BatchSource } from '../batches.js';
import type { ImageDataset } from './types.js';

// x/127.5 − 1 for each byte value: [0, 255] → [−1, 1], the range of G's tanh.
const TO_SIGNED = Float32Array.from({ length: 256 }, (_, x) => x / 127.5 - 1);

export class ImageBatches implements BatchSource {
  readonly stepsPerEpoch: number;
  /** Batches drawn so far; set it to resume. */
  drawn = 0;
  private order?: { epoch: number; indices: Uint32Array };

  constructor(
    readonly data: ImageDataset,
    readonly batchSize: number,
    readonly seed: number,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new Error(`Expected a positive integer batch size but received ${batchSize}`);
    if (!Number.isInteger(seed)) throw new Error(`Expected an integer seed but received ${seed}`);
    if (data.count < 1) throw new Error(`Expected at least one image in ${data.name} but it has none`);
    this.stepsPerEpoch = Math.ceil(data.count / batchSize);
  }

  /** 0-based epoch of the next batch. */
  get epoch(): number {
    return Math.floor(this.drawn / this.stepsPerEpoch);
  }

  /**
   * The next batch, NHWC float32 in [−1, 1], with its labels when the data set has them. The arguments BatchSource
   * passes are ignored: the order comes from (seed, epoch) and the size from the epoch's position.
   */
  batch(_rng?: Rng, _n?: number): Batch & { x: tf.Tensor4D } {
    if (!Number.isInteger(this.drawn) || this.drawn < 0)
      throw new Error(`Expected drawn to be a non-negative integer but received ${this.drawn}`);
    const { count, height, width, channels, images, labels } = this.data;
    const indices = this.orderOf(this.epoch);
    const start = (this.drawn % this.stepsPerEpoch) * this.batchSize;
    const n = Math.min(this.batchSize, count - start);
    const size = height * width * channels;
    const values = new Float32Array(n * size);
    const batchLabels = labels && new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const from = indices[start + i] * size;
      for (let j = 0; j < size; j++) values[i * size + j] = TO_SIGNED[images[from + j]];
      if (batchLabels) batchLabels[i] = labels![indices[start + i]];
    }
    this.drawn++;
    return { x: tf.tensor4d(values, [n, height, width, channels]), ...(batchLabels ? { labels: batchLabels } : {}) };
  }

  private orderOf(epoch: number): Uint32Array {
    if (this.order?.epoch !== epoch) {
      const indices = Uint32Array.from({ length: this.data.count }, (_, i) => i);
      new Rng(epochSeed(this.seed, epoch)).shuffle(indices);
      this.order = { epoch, indices };
    }
    return this.order.indices;
  }
}

/** One 32-bit seed from (seed, epoch), mixed (murmur3's finaliser) so neighbouring pairs give unrelated orders. */
function epochSeed(seed: number, epoch: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x2545f491, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ epoch, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
