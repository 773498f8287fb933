// Latent interpolation: the paths themselves, and G applied along them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import {
  defaultPath,
  interpolateRun,
  interpolationLatents,
  lerp,
  loopLatents,
  slerp,
} from '../../src/sampling/interpolate.js';
import { tileImages } from '../../src/plots/grid.js';
import { drawLatents } from '../../src/generate/latent.js';
import { Rng } from '../../src/rng.js';
import { makeRun } from './fixtures.js';

const norm = (v: Float32Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));
const close = (actual: Float32Array, expected: ArrayLike<number>, tolerance = 1e-6) => {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++)
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `[${i}]: ${actual[i]} vs ${expected[i]}`);
};

test('lerp and slerp start at a and end at b', () => {
  const rng = new Rng(1);
  const a = drawLatents(rng, 'normal', 1, 16);
  const b = drawLatents(rng, 'normal', 1, 16);
  for (const walk of [lerp, slerp]) {
    close(walk(a, b, 0), a);
    close(walk(a, b, 1), b);
  }
  close(
    lerp(a, b, 0.25),
    Array.from(a, (x, i) => 0.75 * x + 0.25 * b[i]),
  );
});

test('slerp keeps the norm of equal-norm end points; lerp shrinks it', () => {
  const rng = new Rng(2);
  const a = drawLatents(rng, 'normal', 1, 100);
  const raw = drawLatents(rng, 'normal', 1, 100);
  const b = raw.map((x) => (x * norm(a)) / norm(raw));
  for (const t of [0.1, 0.3, 0.5, 0.77])
    assert.ok(Math.abs(norm(slerp(a, b, t)) - norm(a)) < 1e-4 * norm(a), `t = ${t}`);
  assert.ok(norm(lerp(a, b, 0.5)) < 0.8 * norm(a), 'the straight line through a Gaussian shell passes near the centre');
});

test('slerp interpolates the norm linearly between different norms', () => {
  const a = Float32Array.from([3, 0, 0]);
  const b = Float32Array.from([0, 1, 0]);
  for (const t of [0.25, 0.5, 0.9]) assert.ok(Math.abs(norm(slerp(a, b, t)) - ((1 - t) * 3 + t)) < 1e-6);
});

test('slerp of orthogonal unit vectors at t = 0.5 is (a + b)/√2', () => {
  const a = Float32Array.from([1, 0, 0, 0]);
  const b = Float32Array.from([0, 0, 1, 0]);
  close(slerp(a, b, 0.5), [Math.SQRT1_2, 0, Math.SQRT1_2, 0]);
  // The reference formula sin((1−t)ω)/sin ω · a + sin(tω)/sin ω · b at another t.
  const t = 0.2;
  const omega = Math.PI / 2;
  close(slerp(a, b, t), [Math.sin((1 - t) * omega), 0, Math.sin(t * omega), 0]);
});

test('slerp falls back to lerp when the angle is ~0', () => {
  const a = Float32Array.from([1, 2, 3]);
  const b = Float32Array.from([2, 4, 6]);
  close(slerp(a, b, 0.25), [1.25, 2.5, 3.75], 1e-6); // a quarter of the way along the straight line
  close(slerp(a, a, 0.3), a, 1e-6);
});

test('default path: slerp for the normal prior, lerp for the uniform', () => {
  assert.equal(defaultPath('normal'), 'slerp');
  assert.equal(defaultPath('uniform'), 'lerp');
});

test('latent paths: rows run from z_a to z_b; the loop closes', () => {
  const latents = interpolationLatents(new Rng(5), 'normal', 3, 2, 4, 'slerp');
  const rng = new Rng(5);
  const pairs = [0, 1].map(() => [drawLatents(rng, 'normal', 1, 3), drawLatents(rng, 'normal', 1, 3)]);
  for (const r of [0, 1]) {
    close(latents.subarray(r * 4 * 3, (r * 4 + 1) * 3), pairs[r][0]);
    close(latents.subarray((r * 4 + 3) * 3, (r * 4 + 4) * 3), pairs[r][1]);
  }
  const loop = loopLatents(new Rng(5), 'uniform', 3, 8, 'lerp');
  const anchors = new Rng(5);
  const points = [0, 1, 2, 3].map(() => drawLatents(anchors, 'uniform', 1, 3));
  for (let k = 0; k < 4; k++) close(loop.subarray(2 * k * 3, (2 * k + 1) * 3), points[k]); // every other frame is an anchor
  close(loop.subarray(7 * 3, 8 * 3), lerp(points[3], points[0], 0.5));
});

test('the grid is G applied row by row: its first and last columns are G(z_a) and G(z_b)', async () => {
  const { dir, generator, latentDim } = await makeRun('tinyconv', { seed: 3 });
  const before = tf.memory().numTensors;
  const result = await interpolateRun({ run: dir, rows: 3, steps: 5, frames: 6 });
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  assert.equal(result.path, 'slerp');
  assert.deepEqual(result.shape, [15, 8, 8, 3]);
  const [tileW, tileH] = [8 + 2, 8 + 2];
  assert.deepEqual([result.grid.width, result.grid.height], [5 * tileW + 2, 3 * tileH + 2]);
  const rng = new Rng(3); // the run's seed
  for (let r = 0; r < 3; r++) {
    const ends = [drawLatents(rng, 'normal', 1, latentDim), drawLatents(rng, 'normal', 1, latentDim)];
    for (const [end, column] of [
      [0, 0],
      [1, 4],
    ]) {
      const image = tf.tidy(
        () => (generator.predict(tf.tensor2d(ends[end], [1, latentDim])) as tf.Tensor).dataSync() as Float32Array,
      );
      const tile = tileImages(image, [1, 8, 8, 3], { padding: 0 });
      for (let y = 0; y < 8; y++) {
        const start = ((2 + r * tileH + y) * result.grid.width + 2 + column * tileW) * 3;
        assert.deepEqual(
          Array.from(result.grid.pixels.subarray(start, start + 8 * 3)),
          Array.from(tile.pixels.subarray(y * 24, (y + 1) * 24)),
          `row ${r} column ${column} line ${y}`,
        );
      }
    }
  }
  assert.equal(result.frames?.length, 6);
  assert.deepEqual([result.frames![0].width, result.frames![0].height, result.frames![0].channels], [32, 32, 3]);
  generator.dispose();
});

test('interpolate refuses a 2D run and bad counts', async () => {
  const { dir, generator } = await makeRun('mlp2d');
  generator.dispose();
  await assert.rejects(
    interpolateRun({ run: dir }),
    /Expected an image run for interpolate but .* generator outputs 2D points/,
  );
  await assert.rejects(interpolateRun({ run: dir, steps: 1 }), /Expected an integer ≥ 2 for steps but received 1/);
});
