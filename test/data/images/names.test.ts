// What `data` may be: a known name or a path; anything else is refused with the list
// of known names, and options are checked before any work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { IMAGE_DATASETS, isImageDataName, loadImages } from '../../../src/data/images/index.js';
import { patternBytes, temporaryDir, writeIdxSplit } from './fixtures.js';

test('known names, and anything that looks like a path, are image data; toy names are not', () => {
  assert.deepEqual([...IMAGE_DATASETS], ['mnist', 'fashion-mnist', 'kmnist', 'cifar10']);
  for (const name of ['mnist', 'fashion-mnist', 'kmnist', 'cifar10', './faces', 'faces/', 'x.npy', '/tmp'])
    assert.equal(isImageDataName(name), true, name);
  for (const name of ['ring8', 'grid25', 'gauss1d', 'spiral', 'moons', 'emnist'])
    assert.equal(isImageDataName(name), false, name);
});

test('an unknown name lists the known ones; a missing path says nothing is there', async () => {
  await assert.rejects(
    loadImages('emnist'),
    /Expected data to be a known image data set \(mnist, fashion-mnist, kmnist, cifar10\) or a path to one but received "emnist"/,
  );
  await assert.rejects(
    loadImages('./no/such/folder'),
    /Expected a data set at \.\/no\/such\/folder but nothing is there \(known image data sets: mnist, fashion-mnist, kmnist, cifar10\)/,
  );
});

test('bad options and files that are not data are refused', async () => {
  const dir = temporaryDir();
  writeIdxSplit(dir, 'train', patternBytes(2 * 3 * 3), [2, 3, 3], Uint8Array.from([0, 1]));
  await assert.rejects(
    loadImages(dir, { split: 'validation' as 'test' }),
    /Expected split to be train or test but received "validation"/,
  );
  await assert.rejects(loadImages(dir, { size: 0 }), /Expected size to be a positive integer but received 0/);
  await assert.rejects(
    loadImages(dir, { size: 8 }),
    /Expected --size 8 to match .*'s 3×3 images: resizing applies to image folders only/,
  );
  assert.equal((await loadImages(dir, { size: 3 })).count, 2); // a size that matches is fine
  writeFileSync(path.join(dir, 'notes.txt'), 'hello');
  await assert.rejects(
    loadImages(path.join(dir, 'notes.txt')),
    /Expected a folder or an .npy file for data but received the file .*notes.txt/,
  );
});
