import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridCentres, toyDataset, TOY_DATASETS } from '../../src/data/toy.js';
import { Rng } from '../../src/rng.js';

test('ring8 is 8 Gaussians on the unit circle at angles 2πi/8 with std 0.01', () => {
  const ring = toyDataset('ring8');
  assert.equal(ring.modes!.length, 16);
  assert.equal(ring.modeStd, 0.01);
  for (let i = 0; i < 8; i++) {
    assert.ok(Math.abs(ring.modes![2 * i] - Math.cos((Math.PI * i) / 4)) < 1e-6);
    assert.ok(Math.abs(ring.modes![2 * i + 1] - Math.sin((Math.PI * i) / 4)) < 1e-6);
  }
  // Samples: distance to the nearest centre has the Rayleigh mean σ·√(π/2).
  const s = ring.sample(new Rng(3), 20000);
  let sum = 0;
  for (let i = 0; i < 20000; i++) {
    let best = Infinity;
    for (let j = 0; j < 8; j++)
      best = Math.min(best, Math.hypot(s[2 * i] - ring.modes![2 * j], s[2 * i + 1] - ring.modes![2 * j + 1]));
    sum += best;
  }
  assert.ok(Math.abs(sum / 20000 - 0.01 * Math.sqrt(Math.PI / 2)) < 3e-4);
});

test('grid25 is 25 Gaussians at {−4,−2,0,2,4}² with std 0.05', () => {
  const grid = toyDataset('grid25');
  const centres = new Set<string>();
  for (let i = 0; i < 25; i++) centres.add(`${grid.modes![2 * i]},${grid.modes![2 * i + 1]}`);
  for (const x of [-4, -2, 0, 2, 4]) for (const y of [-4, -2, 0, 2, 4]) assert.ok(centres.has(`${x},${y}`));
  assert.equal(grid.modeStd, 0.05);
});

test('every density integrates to 1 over a wide square', () => {
  for (const name of TOY_DATASETS) {
    const data = toyDataset(name);
    if (data.dim === 1) {
      const n = 4000;
      const xs = new Float32Array(n).map((_, i) => -10 + (20 * (i + 0.5)) / n);
      const total = data.density(xs).reduce((a, b) => a + b, 0) * (20 / n);
      assert.ok(Math.abs(total - 1) < 1e-3, `${name}: ${total}`);
      continue;
    }
    // Cells finer than the narrowest std (0.01 for ring8) would be too many; ring8's
    // Gaussians are integrated on a grid around one mode and scaled by symmetry instead.
    const { xmin, xmax, ymin, ymax } = data.bounds;
    const n = name === 'ring8' ? 3000 : 600;
    const pts = gridCentres(data.bounds, n);
    const cell = ((xmax - xmin) / n) * ((ymax - ymin) / n);
    const total = data.density(pts).reduce((a, b) => a + b, 0) * cell;
    assert.ok(Math.abs(total - 1) < 0.02, `${name}: ${total}`);
  }
});

test('samples follow the density (spiral, moons): mean log-density beats a shifted copy', () => {
  for (const name of ['spiral', 'moons']) {
    const data = toyDataset(name);
    const s = data.sample(new Rng(9), 2000);
    const shifted = s.map((v, i) => (i % 2 === 0 ? v + 0.3 : v));
    const meanLog = (p: Float32Array) => data.density(p).reduce((a, b) => a + Math.log(b + 1e-30), 0) / (p.length / 2);
    assert.ok(meanLog(s) > meanLog(shifted) + 1, name);
  }
});

test('an unknown data set is refused with the list of names', () => {
  assert.throws(
    () => toyDataset('ring9'),
    /Expected data to be one of ring8, grid25, gauss1d, spiral, moons but received "ring9"/,
  );
});
