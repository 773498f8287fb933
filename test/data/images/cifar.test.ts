// CIFAR-10 binary folders: planar RGB records become NHWC pixels, batches are read in
// order, class names come from batches.meta.txt, and a bad record length is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadImages } from '../../../src/data/images/index.js';
import { cifarRecords, patternBytes, temporaryDir } from './fixtures.js';

const CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

function writeCifar(root: string): { train: Uint8Array; test: Uint8Array } {
  const dir = path.join(root, 'cifar-10-batches-bin');
  mkdirSync(dir, { recursive: true });
  const train = patternBytes(3 * 32 * 32 * 3, 1);
  // One pixel with known colour: image 2, row 5, column 7 is (R, G, B) = (200, 100, 50).
  train.set([200, 100, 50], ((2 * 32 + 5) * 32 + 7) * 3);
  const test_ = patternBytes(32 * 32 * 3, 2);
  writeFileSync(path.join(dir, 'data_batch_1.bin'), cifarRecords([6, 9], train.subarray(0, 2 * 3072)));
  writeFileSync(path.join(dir, 'data_batch_2.bin'), cifarRecords([4], train.subarray(2 * 3072)));
  writeFileSync(path.join(dir, 'test_batch.bin'), cifarRecords([3], test_));
  writeFileSync(path.join(dir, 'batches.meta.txt'), CLASSES.join('\n') + '\n\n');
  return { train, test: test_ };
}

test('records become NHWC images in batch order, with labels and class names', async () => {
  const root = temporaryDir();
  const { train, test: test_ } = writeCifar(root);
  const dir = path.join(root, 'cifar-10-batches-bin');
  const a = await loadImages(dir);
  assert.deepEqual([a.count, a.height, a.width, a.channels], [3, 32, 32, 3]);
  assert.deepEqual(Array.from(a.labels!), [6, 9, 4]);
  assert.deepEqual(a.classNames, CLASSES);
  assert.equal(a.source, dir);
  const at = ((2 * 32 + 5) * 32 + 7) * 3;
  assert.deepEqual(Array.from(a.images.subarray(at, at + 3)), [200, 100, 50]);
  assert.deepEqual(Array.from(a.images), Array.from(train));

  // The folder above cifar-10-batches-bin (where the archive extracts) works too.
  const b = await loadImages(root, { split: 'test' });
  assert.deepEqual(Array.from(b.labels!), [3]);
  assert.deepEqual(Array.from(b.images), Array.from(test_));
  assert.equal(b.source, dir);
});

test('a record file whose length is not a multiple of 3073 is refused', async () => {
  const root = temporaryDir();
  writeCifar(root);
  const bad = path.join(root, 'cifar-10-batches-bin', 'data_batch_2.bin');
  writeFileSync(bad, cifarRecords([1], patternBytes(3072)).subarray(0, 3000));
  await assert.rejects(loadImages(root), (err: Error) => {
    assert.match(
      err.message,
      /Expected a multiple of 3073 bytes .* in .*data_batch_2.bin but received 3000: the file is truncated/,
    );
    return true;
  });
});
