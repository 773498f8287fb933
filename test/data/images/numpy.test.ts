// .npy image files: uint8 as is, float32 in [−1, 1] back to bytes, and clear errors
// for values out of range and shapes that are not images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { writeNpy } from '../../../src/io/npy.js';
import { loadImages } from '../../../src/data/images/index.js';
import { patternBytes, temporaryDir } from './fixtures.js';

test('uint8 N×H×W and N×H×W×C load exactly', async () => {
  const dir = temporaryDir();
  const gray = patternBytes(3 * 4 * 5, 1);
  await writeNpy(path.join(dir, 'gray.npy'), gray, [3, 4, 5]);
  const a = await loadImages(path.join(dir, 'gray.npy'));
  assert.deepEqual([a.count, a.height, a.width, a.channels], [3, 4, 5, 1]);
  assert.deepEqual(Array.from(a.images), Array.from(gray));
  assert.equal(a.name, path.join(dir, 'gray.npy'));

  const rgb = patternBytes(2 * 3 * 3 * 3, 2);
  await writeNpy(path.join(dir, 'rgb.npy'), rgb, [2, 3, 3, 3]);
  const b = await loadImages(path.join(dir, 'rgb.npy'));
  assert.deepEqual([b.count, b.height, b.width, b.channels], [2, 3, 3, 3]);
  assert.deepEqual(Array.from(b.images), Array.from(rgb));
});

test('float32 in [−1, 1] becomes round((x + 1)·127.5)', async () => {
  const file = path.join(temporaryDir(), 'samples.npy');
  await writeNpy(file, Float32Array.from([-1, 1, 0, -0.5, 0.999, -0.9961]), [1, 2, 3, 1]);
  const data = await loadImages(file);
  assert.deepEqual(Array.from(data.images), [0, 255, 128, 64, 255, 0]);
});

test('values outside [−1, 1] and non-image shapes are refused', async () => {
  const dir = temporaryDir();
  await writeNpy(path.join(dir, 'big.npy'), Float32Array.from([0, 0.5, 1.5, 0]), [1, 2, 2]);
  await assert.rejects(
    loadImages(path.join(dir, 'big.npy')),
    /Expected float32 image values in \[−1, 1\] in .*big.npy but element 2 is 1.5/,
  );
  await writeNpy(path.join(dir, 'nan.npy'), Float32Array.from([0, NaN]), [1, 1, 2]);
  await assert.rejects(loadImages(path.join(dir, 'nan.npy')), /element 1 is NaN/);
  await writeNpy(path.join(dir, 'points.npy'), new Float32Array(6), [3, 2]);
  await assert.rejects(
    loadImages(path.join(dir, 'points.npy')),
    /Expected images of shape N×H×W or N×H×W×C in .*points.npy but received \(3, 2\)/,
  );
  await writeNpy(path.join(dir, 'rgba.npy'), new Uint8Array(8), [1, 1, 2, 4]);
  await assert.rejects(loadImages(path.join(dir, 'rgba.npy')), /Expected 1 or 3 channels .* but received 4/);
});
