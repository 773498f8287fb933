// One fixed case for each defect the fuzzer found in the data readers (and the two the
// first fuzzing round reported: an empty CIFAR batch read as 0 images, and label 250
// training a CGAN with 251 classes), each asserting the exact refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { create as createTar } from 'tar';
import { loadImages } from '../../src/data/images/index.js';
import { writeNpy } from '../../src/io/npy.js';
import { cifarRecords, idxBytes, patternBytes, temporaryDir } from '../data/images/fixtures.js';

const CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** A CIFAR-10 folder: data_batch_1.bin with records labelled `labels`, and batches.meta.txt. */
function cifarFolder(labels: number[], names = CLASSES): string {
  const dir = path.join(temporaryDir(), 'cifar-10-batches-bin');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'data_batch_1.bin'), cifarRecords(labels, patternBytes(labels.length * 3072)));
  writeFileSync(path.join(dir, 'batches.meta.txt'), names.join('\n') + '\n');
  return dir;
}

/** 300 labels 0..9 in turn, with `value` at index `at`. */
function labelsWith(at: number, value: number): Uint8Array {
  const labels = Uint8Array.from({ length: 300 }, (_, i) => i % 10);
  labels[at] = value;
  return labels;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail('Expected a refusal but the data were accepted');
}

test('an empty CIFAR-10 batch is refused, naming it (it used to read as 0 images)', async () => {
  const dir = cifarFolder([3]);
  const empty = path.join(dir, 'data_batch_2.bin');
  writeFileSync(empty, Buffer.alloc(0));
  assert.equal(
    await refusal(loadImages(dir)),
    `Expected CIFAR-10 records (3073 bytes each) in ${empty} but it is empty: delete it and download or extract it ` +
      'again',
  );
});

test('label 250 in an IDX folder given by path is refused (it used to train a CGAN with 251 classes)', async () => {
  const dir = temporaryDir();
  writeFileSync(path.join(dir, 'train-images-idx3-ubyte'), idxBytes(0x803, [300, 2, 2], patternBytes(1200)));
  const labels = path.join(dir, 'train-labels-idx1-ubyte');
  writeFileSync(labels, idxBytes(0x801, [300], labelsWith(57, 250)));
  assert.equal(
    await refusal(loadImages(dir)),
    `Expected labels 0..21 in ${labels}, as its 11 classes with images allow, but label 57 (counting from 0) is ` +
      '250, which would make 251 classes of which 240 hold no image: the file is corrupt; delete it and download ' +
      'or copy it again (or, if it holds a subset of the classes, number them 0, 1, 2, …)',
  );
});

test('label 10 in the known data set mnist is refused: it has 10 classes (fuzzer: idx.gz bad accept)', async () => {
  const dataDir = temporaryDir();
  const dir = path.join(dataDir, 'mnist');
  mkdirSync(dir);
  writeFileSync(
    path.join(dir, 'train-images-idx3-ubyte.gz'),
    gzipSync(idxBytes(0x803, [300, 2, 2], patternBytes(1200))),
  );
  const labels = path.join(dir, 'train-labels-idx1-ubyte.gz');
  writeFileSync(labels, gzipSync(idxBytes(0x801, [300], labelsWith(123, 10))));
  assert.equal(
    await refusal(loadImages('mnist', { dataDir, download: false })),
    `Expected labels 0..9 in ${labels} (mnist has 10 classes) but label 123 (counting from 0) is 10: the file is ` +
      'corrupt; delete it and download or copy it again',
  );
});

test('a CIFAR-10 label byte above 9 is refused with its index, value and the range', async () => {
  const dir = cifarFolder([4, 250, 7]);
  assert.equal(
    await refusal(loadImages(dir)),
    `Expected labels 0..9 in ${path.join(dir, 'data_batch_1.bin')} (CIFAR-10 has 10 classes; label n is record ` +
      "n's first byte) but label 1 (counting from 0) is 250: the file is corrupt; delete it and download or copy it " +
      'again',
  );
});

test('batches.meta.txt with 9 or 11 class names is refused (fuzzer: cifar bad accept)', async () => {
  for (const names of [CLASSES.slice(0, 9), [...CLASSES, 'extra']]) {
    const dir = cifarFolder([1], names);
    assert.equal(
      await refusal(loadImages(dir)),
      `Expected 10 class names, one a line, in ${path.join(dir, 'batches.meta.txt')} but found ${names.length}: ` +
        'the file is damaged; delete it and download or extract it again (or delete just it: gankit then numbers ' +
        'the classes 0..9)',
    );
  }
});

/** The known data set cifar10 in a cache folder holding only its archive, made from `batch`. */
async function cachedArchive(batch: Buffer, truncate = false): Promise<{ dataDir: string; archive: string }> {
  const staging = temporaryDir();
  mkdirSync(path.join(staging, 'cifar-10-batches-bin'));
  writeFileSync(path.join(staging, 'cifar-10-batches-bin', 'data_batch_1.bin'), batch);
  const dataDir = temporaryDir();
  mkdirSync(path.join(dataDir, 'cifar10'));
  const archive = path.join(dataDir, 'cifar10', 'cifar-10-binary.tar.gz');
  await createTar({ gzip: true, file: archive, cwd: staging }, ['cifar-10-batches-bin']);
  if (truncate) {
    const bytes = readFileSync(archive);
    writeFileSync(archive, bytes.subarray(0, Math.floor(bytes.length * 0.6))); // inside the batch's data
  }
  return { dataDir, archive };
}

test('a truncated CIFAR-10 archive leaves no half-extracted folder behind (fuzzer: cifar.tar.gz partial file)', async () => {
  const labels = Array.from({ length: 300 }, (_, i) => i % 10);
  const { dataDir, archive } = await cachedArchive(cifarRecords(labels, patternBytes(300 * 3072)), true);
  assert.match(
    await refusal(loadImages('cifar10', { dataDir, download: false })),
    new RegExp(
      `^Expected a complete CIFAR-10 archive at ${archive} but reading it failed \\(.*\\): delete it and run again ` +
        'to download it anew$',
    ),
  );
  assert.deepEqual(readdirSync(path.join(dataDir, 'cifar10')), ['cifar-10-binary.tar.gz']);
});

test('a damaged batch inside the CIFAR-10 archive is refused naming the archive, and nothing is extracted', async () => {
  const { dataDir, archive } = await cachedArchive(cifarRecords([1, 200], patternBytes(2 * 3072)));
  assert.equal(
    await refusal(loadImages('cifar10', { dataDir, download: false })),
    `Expected a complete CIFAR-10 archive at ${archive} but a file in it is damaged: Expected labels 0..9 in ` +
      `${archive}:cifar-10-batches-bin/data_batch_1.bin (CIFAR-10 has 10 classes; label n is record n's first ` +
      'byte) but label 1 (counting from 0) is 200: the file is corrupt: delete it and run again to download it anew',
  );
  assert.deepEqual(readdirSync(path.join(dataDir, 'cifar10')), ['cifar-10-binary.tar.gz']);
});

test('a gzipped IDX file that inflates past what its header promises is stopped and refused (fuzzer: idx.gz hang)', async () => {
  const dir = temporaryDir();
  const file = path.join(dir, 'train-images-idx3-ubyte.gz');
  // The header promises 2 images of 2×2; 16 MB of zeros follow (a 16 kB file).
  writeFileSync(file, gzipSync(Buffer.concat([idxBytes(0x803, [2, 2, 2], patternBytes(8)), Buffer.alloc(16 << 20)])));
  assert.equal(
    await refusal(loadImages(dir)),
    `Expected ${file} to decompress to 24 bytes (a header and 2×2×2 data bytes, as its header says) but it ` +
      'decompresses to more: the file is corrupt; delete it and download or copy it again',
  );
});

test('IDX and .npy files that hold no images are refused, naming the file', async () => {
  const dir = temporaryDir();
  const idx = path.join(dir, 'train-images-idx3-ubyte');
  writeFileSync(idx, idxBytes(0x803, [0, 28, 28], new Uint8Array(0)));
  assert.equal(
    await refusal(loadImages(dir)),
    `Expected at least one image in ${idx} but its header says 0: delete it and download or copy it again`,
  );
  writeFileSync(idx, idxBytes(0x803, [3, 28, 0], new Uint8Array(0)));
  assert.equal(
    await refusal(loadImages(dir)),
    `Expected images of at least 1×1 pixel in ${idx} but its header says 28×0: delete it and download or copy it ` +
      'again',
  );
  const npy = path.join(dir, 'none.npy');
  await writeNpy(npy, new Uint8Array(0), [0, 28, 28]);
  assert.equal(
    await refusal(loadImages(npy)),
    `Expected at least one image of at least 1×1 pixel in ${npy} but its shape is (0, 28, 28): the file holds no ` +
      'images; save the images again',
  );
});
