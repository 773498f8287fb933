// The native backend's own memory is bounded and reported (native/src/memory.cc,
// src/backend/memory.ts): each primitive cache holds at most its capacity however
// many shapes go through it, evicted shapes still compute what the cpu backend
// computes when they come back, the im2col scratch buffer shrinks back after a
// one-off large call, and releaseNativeMemory() empties it all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { closeEnough, input, nativeSkipReason, runOn, useBackend, type Input } from './helpers.js';
import { describeNativeMemory, nativeMemoryUse, releaseNativeMemory } from '../../src/backend/index.js';

const skip = nativeSkipReason() ?? false;

function cache(name: string) {
  const use = nativeMemoryUse();
  assert.ok(use, 'Expected the native memory report with the addon loaded');
  const c = use.caches.find((x) => x.name === name);
  assert.ok(c, `Expected a cache named ${name} in ${use.caches.map((x) => x.name).join(', ')}`);
  return c;
}

function scratchBytes(name: string): number {
  const s = nativeMemoryUse()?.scratch.find((x) => x.name === name);
  assert.ok(s, `Expected a scratch buffer named ${name}`);
  return s.bytes;
}

/** Native against cpu on one case (sums of products: absolute floor scaled by Σ|terms|). */
async function same(label: string, inputs: Input[], f: (...xs: tf.Tensor[]) => tf.Tensor): Promise<void> {
  const [expected] = await runOn('cpu', inputs, f);
  const [scale] = await runOn(
    'cpu',
    inputs.map((x) => ({ ...x, values: (x.values as Float32Array).map(Math.abs) })),
    f,
  );
  const [actual] = await runOn('native', inputs, f);
  const bad = closeEnough(actual.values, expected.values, { scale: scale.values });
  assert.equal(bad, undefined, `${label}: ${bad}`);
}

/**
 * Runs capacity + extra distinct shapes through one cache, each checked against cpu,
 * then the first ones again (evicted by then, so made anew). The cache must end at its
 * capacity, having evicted the surplus.
 */
async function overflow(name: string, extra: number, one: (i: number) => Promise<void>): Promise<void> {
  releaseNativeMemory();
  const { capacity } = cache(name);
  assert.ok(capacity > 0);
  const before = cache(name);
  for (let i = 0; i < capacity + extra; i++) await one(i);
  const after = cache(name);
  assert.equal(after.entries, capacity, `${name}: entries after ${capacity + extra} shapes`);
  assert.equal(after.misses - before.misses, capacity + extra, `${name}: every shape made once`);
  assert.equal(after.evictions - before.evictions, extra, `${name}: evictions`);
  for (let i = 0; i < 3; i++) await one(i);
  assert.equal(cache(name).entries, capacity);
  assert.equal(cache(name).misses - after.misses, 3, `${name}: the evicted shapes were made anew`);
}

test('the matmul cache stays at its capacity; evicted shapes still match cpu', { skip }, async () => {
  await overflow('matmul', 20, (i) =>
    same(`matMul ${i + 1}×9·9×5`, [input([i + 1, 9], i), input([9, 5], 1000 + i)], (a, b) => tf.matMul(a, b)),
  );
});

test('the conv cache stays at its capacity; evicted shapes still match cpu', { skip }, async () => {
  // 8 input channels: oneDNN's convolution (with at most 4, the gradients take im2col + matmul).
  await overflow('conv', 10, (i) =>
    same(`conv2d height ${i + 3}`, [input([1, i + 3, 6, 8], i), input([3, 3, 8, 4], 2000 + i)], (x, f) =>
      tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same'),
    ),
  );
});

test('the eltwise cache (JIT exp, keyed by size) stays at its capacity; results match cpu', { skip }, async () => {
  // At least 2^14 elements, where exp goes to oneDNN's JIT kernel (unary.cc).
  await overflow('eltwise', 6, async (i) => {
    const x = input([(1 << 14) + i], 3000 + i, -5, 5);
    const [expected] = await runOn('cpu', [x], tf.exp);
    const [actual] = await runOn('native', [x], tf.exp);
    assert.equal(closeEnough(actual.values, expected.values), undefined, `exp of ${x.shape[0]} values`);
  });
});

test('the im2col scratch shrinks back after a large call; releaseNativeMemory empties it all', { skip }, async () => {
  releaseNativeMemory();
  // A transposed conv to 1 channel runs im2col's backward-data path: cols[n·h·w, kh·kw·1].
  const transposed = async (n: number, h: number) => {
    const f = input([4, 4, 1, 16], 7);
    await same(`conv2dTranspose batch ${n}`, [input([n, h, h, 16], n), f], (d, ff) =>
      tf.conv2dTranspose(d as tf.Tensor4D, ff as tf.Tensor4D, [n, 2 * h, 2 * h, 1], 2, 'same'),
    );
    return n * h * h * 16 * 4; // bytes of cols
  };
  const large = await transposed(64, 32);
  assert.equal(scratchBytes('im2col'), large);
  const small = await transposed(1, 4);
  assert.ok(large > 1000 * small);
  // The window the large call fell in keeps it; the next full window (Scratch::kWindow,
  // 256 calls) of calls that all need less than half lets it go.
  await useBackend('native');
  const d = tf.tensor(input([1, 4, 4, 16], 1).values, [1, 4, 4, 16]) as tf.Tensor4D;
  const f = tf.tensor(input([4, 4, 1, 16], 7).values, [4, 4, 1, 16]) as tf.Tensor4D;
  for (let i = 0; i < 2 * 256; i++) tf.dispose(tf.conv2dTranspose(d, f, [1, 8, 8, 1], 2, 'same'));
  tf.dispose([d, f]);
  assert.equal(scratchBytes('im2col'), small, 'the scratch holds what the recent calls need');
  await transposed(1, 4); // still right after the shrink

  const use = nativeMemoryUse();
  assert.ok(use);
  const sum =
    use.caches.reduce((t, c) => t + c.bytes, 0) + use.scratch.reduce((t, s) => t + s.bytes, 0) + use.pool.bytes;
  assert.equal(use.totalBytes, sum);
  // oneDNN's own cache is off, or it would keep every evicted primitive alive.
  if (process.env.DNNL_PRIMITIVE_CACHE_CAPACITY === undefined) assert.equal(use.onednnCacheCapacity, 0);
  assert.match(describeNativeMemory(use), /^native memory [\d.]+ MiB: caches matmul \d+\/\d+.*conv.*eltwise/);

  releaseNativeMemory();
  const empty = nativeMemoryUse();
  assert.ok(empty);
  assert.deepEqual(
    empty.caches.map((c) => c.entries),
    empty.caches.map(() => 0),
  );
  assert.deepEqual(
    empty.scratch.map((x) => x.bytes),
    [0, 0],
  );
  assert.equal(empty.pool.bytes, 0);
  await transposed(1, 4); // and it all refills on demand
  assert.equal(scratchBytes('im2col'), small);
});
