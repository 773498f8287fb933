// The real Fashion-MNIST, from Debian's dataset-fashion-mnist package (CI installs
// it): the official split sizes and a balanced train set. Never downloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { loadImages } from '../../../src/data/images/index.js';
import { temporaryDir } from './fixtures.js';
import { skipUnless } from '../../requirements.js';

const SYSTEM = '/usr/share/datasets/fashion-mnist';
const skip = skipUnless(
  existsSync(`${SYSTEM}/train-images-idx3-ubyte.gz`),
  'dataset-fashion-mnist not installed: apt-get install dataset-fashion-mnist',
);

test('Fashion-MNIST train and test splits from the system folder', { skip }, async () => {
  const options = { dataDir: temporaryDir(), download: false }; // an empty cache: the system folder must be found
  const train = await loadImages('fashion-mnist', options);
  assert.equal(train.source, SYSTEM);
  assert.deepEqual([train.count, train.height, train.width, train.channels], [60000, 28, 28, 1]);
  assert.equal(train.images.length, 60000 * 28 * 28);
  assert.deepEqual(classCounts(train.labels!), new Array(10).fill(6000));
  assert.equal(train.classNames![0], 'T-shirt/top');
  assert.equal(train.classNames![9], 'Ankle boot');
  assert.equal(Math.max(...train.images.subarray(0, 784 * 100)), 255);

  const test_ = await loadImages('fashion-mnist', { ...options, split: 'test' });
  assert.deepEqual([test_.count, test_.height, test_.width, test_.channels], [10000, 28, 28, 1]);
  assert.deepEqual(classCounts(test_.labels!), new Array(10).fill(1000));
});

function classCounts(labels: Uint8Array): number[] {
  const counts = new Array(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}
