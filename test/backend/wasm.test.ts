// The wasm fallback: tfjs-backend-wasm lacks Conv2DBackpropFilter, which gankit
// supplies (src/backend/wasm/, its only supplied kernel); it must compute what the cpu
// backend computes, and with it every model gankit trains must find all its kernels on
// wasm (a missing one throws "Kernel … not registered for backend wasm").
// Tolerance as in conformance.test.ts: per element, with the absolute floor scaled by
// Σ|terms| (the same gradient on absolute inputs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { closeEnough, input, runOn, withSpecials, type Input } from './helpers.js';
import { train } from '../../src/train/trainer.js';

type Shape4 = [number, number, number, number];
interface Case {
  x: Shape4;
  f: Shape4;
  s: number | [number, number];
  pad: 'same' | 'valid' | number;
}

const cases: Case[] = [
  { x: [1, 5, 5, 1], f: [3, 3, 1, 1], s: 1, pad: 'same' },
  { x: [2, 9, 11, 3], f: [3, 3, 3, 5], s: 1, pad: 'valid' },
  { x: [2, 9, 11, 3], f: [4, 4, 3, 8], s: 2, pad: 'same' },
  { x: [3, 8, 8, 16], f: [1, 1, 16, 7], s: 1, pad: 'same' },
  { x: [1, 10, 7, 4], f: [3, 2, 4, 6], s: [2, 1], pad: 'valid' },
  { x: [2, 7, 9, 5], f: [3, 3, 5, 4], s: 2, pad: 1 },
  // DCGAN-28's two discriminator convolutions, at a small batch.
  { x: [8, 28, 28, 1], f: [4, 4, 1, 64], s: 2, pad: 'same' },
  { x: [2, 14, 14, 32], f: [4, 4, 32, 16], s: 2, pad: 'same' },
];

/** dW for the given x and dy, through the Conv2DBackpropFilter kernel itself. */
const filterGradient = (c: Case) => (x: tf.Tensor, dy: tf.Tensor) =>
  tf
    .engine()
    .runKernel(
      'Conv2DBackpropFilter',
      { x, dy },
      { strides: c.s, pad: c.pad, dataFormat: 'NHWC', filterShape: c.f },
    ) as tf.Tensor;

async function agree(label: string, c: Case, x: Input, dy: Input): Promise<void> {
  const f = filterGradient(c);
  const [expected] = await runOn('cpu', [x, dy], f);
  const abs = (t: Input) => ({ ...t, values: (t.values as Float32Array).map(Math.abs) });
  const [scale] = await runOn('cpu', [abs(x), abs(dy)], f);
  const [actual] = await runOn('wasm', [x, dy], f);
  assert.equal(tf.getBackend(), 'wasm');
  assert.deepEqual(actual.shape, c.f, `${label}: shape`);
  const bad = closeEnough(actual.values, expected.values, { scale: scale.values });
  assert.equal(bad, undefined, `${label}: ${bad}`);
}

test("wasm's Conv2DBackpropFilter (supplied by gankit) matches cpu: strides, padding, odd sizes", async () => {
  let seed = 1;
  for (const c of cases) {
    const y = tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad).outShape;
    await agree(JSON.stringify(c), c, input(c.x, seed++), input(y, seed++));
  }
});

test("wasm's Conv2DBackpropFilter passes NaN and ±Inf in x through as cpu does", async () => {
  // (In dy they would meet the padding's zeros, 0·Inf = NaN, where cpu skips the padding.)
  let seed = 100;
  for (const c of cases.slice(1, 4)) {
    const y = tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad).outShape;
    await agree(`${JSON.stringify(c)} with specials`, c, withSpecials(input(c.x, seed++), seed++), input(y, seed++));
  }
});

test('every model gankit trains finds all its kernels on wasm (2D: mlp and the conditional ones with R1)', async () => {
  for (const model of ['mlp', 'cgan', 'acgan', 'infogan'] as const) {
    const out = mkdtempSync(path.join(tmpdir(), `gankit-wasm-${model}-`));
    try {
      const result = await train({
        data: 'ring8',
        model,
        backend: 'wasm',
        steps: 17, // past the first lazy R1 step (every 16)
        batchSize: 32,
        gHidden: [16],
        dHidden: [16],
        evalSamples: 200,
        out,
      });
      assert.equal(result.backend.name, 'wasm');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
});
