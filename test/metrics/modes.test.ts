import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toyDataset } from '../../src/data/toy.js';
import { modeMetrics } from '../../src/metrics/modes.js';
import { Rng } from '../../src/rng.js';

test('real data: all modes, ≈98.9% high quality (1 − e^−4.5), reverse KL ≈ 0', () => {
  for (const name of ['ring8', 'grid25']) {
    const data = toyDataset(name);
    const m = modeMetrics(data.sample(new Rng(11), 100_000), data.modes!, data.modeStd!);
    assert.equal(m.modes, m.totalModes);
    assert.ok(Math.abs(m.highQuality - (1 - Math.exp(-4.5))) < 0.002, `${name} high quality ${m.highQuality}`);
    assert.ok(m.reverseKL < 0.001, `${name} reverse KL ${m.reverseKL}`);
  }
});

test('hand-built cases: collapse, far samples and a half-covered ring', () => {
  const ring = toyDataset('ring8');
  // Every sample on mode 0: one mode, KL(δ ‖ uniform) = log 8.
  const collapsed = new Float32Array(2 * 100).map((_, i) => (i % 2 === 0 ? 1 : 0));
  const c = modeMetrics(collapsed, ring.modes!, 0.01);
  assert.deepEqual([c.modes, c.highQuality], [1, 1]);
  assert.ok(Math.abs(c.reverseKL - Math.log(8)) < 1e-9);
  // Samples at the origin are nearest to some mode but never within 3σ: nothing covered.
  const far = modeMetrics(new Float32Array(2 * 10), ring.modes!, 0.01);
  assert.deepEqual([far.modes, far.highQuality], [0, 0]);
  // Half the samples exactly on modes 0..3, half 0.05 off (more than 3σ = 0.03).
  const pts: number[] = [];
  for (let j = 0; j < 4; j++) pts.push(ring.modes![2 * j], ring.modes![2 * j + 1]);
  for (let j = 4; j < 8; j++) pts.push(ring.modes![2 * j] + 0.05, ring.modes![2 * j + 1]);
  const half = modeMetrics(new Float32Array(pts), ring.modes!, 0.01);
  assert.deepEqual([half.modes, half.highQuality], [4, 0.5]);
  assert.ok(half.reverseKL < 1e-9); // one sample nearest to each mode: q is uniform
});

test('NaN samples count as low quality, never as covering a mode', () => {
  const ring = toyDataset('ring8');
  const m = modeMetrics(new Float32Array([NaN, NaN, 1, 0]), ring.modes!, 0.01);
  assert.deepEqual([m.modes, m.highQuality], [1, 0.5]);
});
