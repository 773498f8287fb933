// ImageBatches: every image once per epoch in an order fixed by (seed, epoch), a
// smaller last batch, exact resumption through `drawn`, x/127.5 − 1, no tensor leaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/backend/index.js';
import { ImageBatches, type ImageDataset } from '../../../src/data/images/index.js';
import type { BatchSource } from '../../../src/data/batches.js';
import { Rng } from '../../../src/rng.js';

await initBackend();

/** 10 images of 2×2×1 whose pixels all equal the image's index (so a batch reveals its indices); label = index mod 3. */
function numbered(count = 10): ImageDataset {
  const images = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) images.fill(i * 25, i * 4, i * 4 + 4);
  return {
    name: 'numbered',
    source: 'memory',
    images,
    count,
    height: 2,
    width: 2,
    channels: 1,
    labels: Uint8Array.from({ length: count }, (_, i) => i % 3),
  };
}

/** The image indices in a batch, read back from its pixel values. */
function indicesOf(batch: tf.Tensor4D): number[] {
  const values = batch.dataSync();
  const out: number[] = [];
  for (let i = 0; i < batch.shape[0]; i++) out.push(Math.round(((values[i * 4] + 1) * 127.5) / 25));
  batch.dispose();
  return out;
}

function epochOrder(batches: ImageBatches): number[] {
  const order: number[] = [];
  for (let s = 0; s < batches.stepsPerEpoch; s++) order.push(...indicesOf(batches.batch().x));
  return order;
}

test('each epoch visits every image once; the last batch holds the rest; epochs differ', () => {
  const batches = new ImageBatches(numbered(), 4, 1);
  assert.equal(batches.stepsPerEpoch, 3);
  assert.equal(new ImageBatches({ ...numbered(), count: 60000 }, 64, 1).stepsPerEpoch, 938); // Fashion-MNIST at 64
  const sizes: number[] = [];
  const first: number[] = [];
  for (let s = 0; s < 3; s++) {
    assert.equal(batches.epoch, 0);
    const batch = batches.batch().x;
    sizes.push(batch.shape[0]);
    first.push(...indicesOf(batch));
  }
  assert.deepEqual(sizes, [4, 4, 2]);
  assert.deepEqual(
    [...first].sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.equal(batches.epoch, 1);
  const second = epochOrder(batches);
  assert.deepEqual(
    [...second].sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.notDeepEqual(second, first);
  assert.equal(batches.drawn, 6);
});

test('the same seed gives the same orders, another seed others; setting drawn reproduces any batch', () => {
  const a = new ImageBatches(numbered(), 3, 42);
  const b = new ImageBatches(numbered(), 3, 42);
  const c = new ImageBatches(numbered(), 3, 43);
  const runA = [epochOrder(a), epochOrder(a), epochOrder(a)];
  assert.deepEqual([epochOrder(b), epochOrder(b), epochOrder(b)], runA);
  assert.notDeepEqual(epochOrder(c), runA[0]);

  const all = runA.flat();
  for (const k of [0, 3, 5, 9, 11]) {
    const resumed = new ImageBatches(numbered(), 3, 42);
    resumed.drawn = k; // k batches already drawn: the next is the (k+1)-th
    const epoch = Math.floor(k / 4);
    const step = k % 4;
    const start = epoch * 10 + step * 3;
    assert.deepEqual(
      indicesOf(resumed.batch().x),
      all.slice(start, Math.min(start + 3, (epoch + 1) * 10)),
      `batch ${k + 1}`,
    );
  }
  const bad = new ImageBatches(numbered(), 3, 42);
  bad.drawn = -1;
  assert.throws(() => bad.batch(), /Expected drawn to be a non-negative integer but received -1/);
});

test('values are x/127.5 − 1 in NHWC float32, and labels follow the images', () => {
  const images = Uint8Array.from({ length: 3 * 2 * 2 * 3 }, (_, i) => (i * 23) % 256);
  const data: ImageDataset = {
    name: 'rgb',
    source: 'memory',
    images,
    count: 3,
    height: 2,
    width: 2,
    channels: 3,
    labels: Uint8Array.from([7, 8, 9]),
  };
  const batches = new ImageBatches(data, 3, 5);
  const source: BatchSource = batches; // satisfies the trainer's interface
  const { x, labels } = source.batch(new Rng(1), 3);
  const batch = x as tf.Tensor4D;
  assert.deepEqual(batch.shape, [3, 2, 2, 3]);
  assert.equal(batch.dtype, 'float32');
  const values = batch.dataSync();
  batch.dispose();
  // The images' first bytes (0, 20, 40) differ, so each batch row tells which image it is.
  const order = [0, 1, 2].map((i) =>
    [0, 1, 2].find((m) => Math.fround(images[m * 12] / 127.5 - 1) === values[i * 12])!,
  );
  assert.deepEqual([...order].sort(), [0, 1, 2]);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 12; j++) assert.equal(values[i * 12 + j], Math.fround(images[order[i] * 12 + j] / 127.5 - 1));
  }
  assert.deepEqual(
    Array.from(labels!),
    order.map((n) => 7 + n),
  );
  const unlabelled = new ImageBatches({ ...data, labels: undefined }, 2, 1);
  const plain = unlabelled.batch();
  plain.x.dispose();
  assert.equal(plain.labels, undefined);
});

test('no tensors leak over many batches', () => {
  const batches = new ImageBatches(numbered(), 4, 3);
  batches.batch().x.dispose();
  const before = tf.memory().numTensors;
  for (let s = 0; s < 50; s++) batches.batch().x.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('bad arguments are refused', () => {
  assert.throws(() => new ImageBatches(numbered(), 0, 1), /Expected a positive integer batch size but received 0/);
  assert.throws(() => new ImageBatches(numbered(), 2, 1.5), /Expected an integer seed but received 1.5/);
  assert.throws(
    () => new ImageBatches({ ...numbered(), count: 0 }, 2, 1),
    /Expected at least one image in numbered but it has none/,
  );
});
