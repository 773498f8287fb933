// IDX folders (MNIST's format): pixels and labels arrive exactly as written, gzipped
// or not, and every kind of bad file is refused with an error naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadImages } from '../../../src/data/images/index.js';
import { idxBytes, patternBytes, temporaryDir, writeIdxSplit } from './fixtures.js';

test('train (.gz) and test (raw) splits round-trip exactly', async () => {
  const dir = temporaryDir();
  const train = patternBytes(5 * 3 * 4, 1);
  const test_ = patternBytes(2 * 3 * 4, 2);
  writeIdxSplit(dir, 'train', train, [5, 3, 4], Uint8Array.from([3, 1, 4, 1, 5]), true);
  writeIdxSplit(dir, 't10k', test_, [2, 3, 4], Uint8Array.from([9, 2]), false);

  const a = await loadImages(dir);
  assert.deepEqual([a.count, a.height, a.width, a.channels], [5, 3, 4, 1]);
  assert.deepEqual(Array.from(a.images), Array.from(train));
  assert.deepEqual(Array.from(a.labels!), [3, 1, 4, 1, 5]);
  assert.equal(a.name, dir);
  assert.equal(a.source, dir);

  const b = await loadImages(dir, { split: 'test' });
  assert.deepEqual([b.count, b.height, b.width], [2, 3, 4]);
  assert.deepEqual(Array.from(b.images), Array.from(test_));
  assert.deepEqual(Array.from(b.labels!), [9, 2]);
});

test('prefixed names and "test" instead of "t10k" are found; labels are optional', async () => {
  const dir = temporaryDir();
  const images = patternBytes(3 * 2 * 2);
  writeIdxSplit(dir, 'emnist-digits-train', images, [3, 2, 2], undefined, true);
  writeIdxSplit(dir, 'emnist-digits-test', images, [3, 2, 2], Uint8Array.from([0, 1, 2]), false);
  const train = await loadImages(dir);
  assert.equal(train.labels, undefined);
  assert.deepEqual(Array.from(train.images), Array.from(images));
  const test_ = await loadImages(dir, { split: 'test' });
  assert.deepEqual(Array.from(test_.labels!), [0, 1, 2]);
});

test('a raw file is preferred over its .gz twin; two different data sets in one folder are refused', async () => {
  const dir = temporaryDir();
  writeIdxSplit(dir, 'train', patternBytes(4, 1), [1, 2, 2], undefined, false);
  writeIdxSplit(dir, 'train', patternBytes(4, 2), [1, 2, 2], undefined, true);
  assert.deepEqual(Array.from((await loadImages(dir)).images), Array.from(patternBytes(4, 1)));
  writeIdxSplit(dir, 'kmnist-train', patternBytes(4, 3), [1, 2, 2], undefined, true);
  await assert.rejects(
    loadImages(dir),
    /Expected one train images file in .* but found 2: kmnist-train-images-idx3-ubyte.gz, train-images-idx3-ubyte/,
  );
});

test('a wrong magic number says what was expected, what arrived and in which file', async () => {
  const dir = temporaryDir();
  const labelsAsImages = idxBytes(0x801, [2], Uint8Array.from([1, 2]));
  writeFileSync(path.join(dir, 'train-images-idx3-ubyte'), labelsAsImages);
  await assert.rejects(loadImages(dir), (err: Error) => {
    assert.match(
      err.message,
      /Expected IDX magic number 0x00000803 \(images.*\) in .*train-images-idx3-ubyte but received 0x00000801: it is an IDX labels file/,
    );
    return true;
  });

  writeIdxSplit(dir, 'train', patternBytes(8), [2, 2, 2], undefined, false);
  writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), Buffer.from('PK\x03\x04 a zip file, not IDX'));
  await assert.rejects(
    loadImages(dir),
    /Expected IDX magic number 0x00000801 \(labels.*\) in .*train-labels-idx1-ubyte but received 0x504b0304: is it an IDX file\?/,
  );
});

test('a truncated file, raw or gzipped, is refused with what to do', async () => {
  const dir = temporaryDir();
  const full = idxBytes(0x803, [4, 5, 5], patternBytes(100));
  writeFileSync(path.join(dir, 'train-images-idx3-ubyte'), full.subarray(0, full.length - 7));
  await assert.rejects(
    loadImages(dir),
    /Expected 100 data bytes \(4×5×5, as the header says\) in .*train-images-idx3-ubyte but received 93: the file is truncated; delete it/,
  );

  const gzDir = temporaryDir();
  const gz = gzipSync(full);
  writeFileSync(path.join(gzDir, 'train-images-idx3-ubyte.gz'), gz.subarray(0, gz.length >> 1));
  await assert.rejects(
    loadImages(gzDir),
    /Expected a complete gzip stream in .*train-images-idx3-ubyte.gz but it ends early .*: the file is truncated/,
  );
});

test('as many labels as images, or an error naming both files', async () => {
  const dir = temporaryDir();
  writeIdxSplit(dir, 'train', patternBytes(3 * 4), [3, 2, 2], Uint8Array.from([1, 2]), true);
  await assert.rejects(
    loadImages(dir),
    /Expected as many labels as images but .*train-images-idx3-ubyte.gz has 3 images and .*train-labels-idx1-ubyte.gz has 2 labels/,
  );
});

test('a folder without the split asked for says which file it looked for', async () => {
  const dir = temporaryDir();
  writeIdxSplit(dir, 'train', patternBytes(4), [1, 2, 2], Uint8Array.from([0]), true);
  await assert.rejects(
    loadImages(dir, { split: 'test' }),
    /Expected a test images file \(\*t10k-images\*idx3\*\) in .* but found none among: train-images/,
  );
  assert.deepEqual(readdirSync(dir).sort(), ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']); // nothing written beside the data
});

test('labels without a known class count: gaps that leave most classes empty are refused, others kept', async () => {
  // EMNIST letters number their 26 classes 1..26: class 0 is empty, which is fine.
  const dir = temporaryDir();
  const letters = Uint8Array.from({ length: 52 }, (_, i) => 1 + (i % 26));
  writeIdxSplit(dir, 'train', patternBytes(52 * 4), [52, 2, 2], letters, false);
  assert.deepEqual(Array.from((await loadImages(dir)).labels!), Array.from(letters));
  // A subset of classes 7 and 9, with enough images to fill 10 classes: most classes would be empty.
  const subset = Uint8Array.from({ length: 20 }, (_, i) => (i % 2 ? 9 : 7));
  writeIdxSplit(dir, 'train', patternBytes(20 * 4), [20, 2, 2], subset, false);
  await assert.rejects(
    loadImages(dir),
    /Expected labels 0..3 in .*train-labels-idx1-ubyte, as its 2 classes with images allow, but label 0 \(counting from 0\) is 7, which would make 8 classes of which 7 hold no image: .*number them 0, 1, 2, …\)$/,
  );
  // Too few images to tell (a 2-image test split labelled 9 and 2): not judged.
  writeIdxSplit(dir, 'train', patternBytes(2 * 4), [2, 2, 2], Uint8Array.from([9, 2]), false);
  assert.deepEqual(Array.from((await loadImages(dir)).labels!), [9, 2]);
});
