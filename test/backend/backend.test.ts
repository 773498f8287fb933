// The native backend's plumbing: every cpu kernel is registered under
// "native", thread control, the buffer pool's safety rules, clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { nativeSkipReason, useBackend } from './helpers.js';
import { getNumThreads, nativeAddon, setNumThreads } from '../../src/backend/native.js';

const skip = nativeSkipReason() ?? false;
const nativeModule = fileURLToPath(new URL('../../src/backend/native.js', import.meta.url));

test('every cpu kernel is registered for the native backend', { skip }, () => {
  const native = new Set(tf.getKernelsForBackend('native').map((k) => k.kernelName));
  const missing = tf
    .getKernelsForBackend('cpu')
    .map((k) => k.kernelName)
    .filter((k) => !native.has(k));
  assert.deepEqual(missing, []);
});

test('setNumThreads / getNumThreads, and GANKIT_THREADS at start-up', { skip }, () => {
  const before = getNumThreads()!;
  setNumThreads(1);
  assert.equal(getNumThreads(), 1);
  setNumThreads(before);
  assert.throws(() => setNumThreads(0), /Expected threads to be a positive integer but received 0/);
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
    import { registerNativeBackend, getNumThreads } from ${JSON.stringify(nativeModule)};
    registerNativeBackend(); console.log('THREADS' + getNumThreads());`,
    ],
    { env: { ...process.env, GANKIT_THREADS: '3' }, encoding: 'utf8' },
  );
  assert.match(r.stdout, /THREADS3/, r.stderr);
});

test('the addon rejects bad arguments with "Expected X for name but received Y"', { skip }, () => {
  const addon = nativeAddon()!;
  assert.throws(
    () => addon.unary(0, [1, 2] as unknown as Float32Array, new Float32Array(2), 0, 0),
    /Expected a Float32Array for x but received Array/,
  );
  assert.throws(
    () => addon.unary(0, new Float32Array(3), new Float32Array(2), 0, 0),
    /Expected y to have the 3 elements of x but received 2/,
  );
  assert.throws(
    () =>
      addon.matmul(
        new Float32Array(6),
        new Float32Array(6),
        new Float32Array(5),
        1,
        1,
        2,
        3,
        2,
        false,
        false,
        null,
        0,
        0,
      ),
    /Expected 4 elements for out but received 5/,
  );
});

test('values read out of a tensor are never recycled into another tensor', { skip }, async () => {
  await useBackend('native');
  const x = tf.fill([64, 64], 2);
  const y = tf.mul(x, x); // native output, pooled storage
  const seen = y.dataSync(); // hands out the stored array
  y.dispose();
  const z = tf.mul(x, tf.fill([64, 64], 3)); // same size: would reuse y's buffer if it were pooled
  assert.equal(seen[0], 4, 'the array read from y must keep its values');
  assert.equal(z.dataSync()[0], 6);
  tf.dispose([x, z]);
});
