// The classifier-based scores on hand-made probabilities: Inception Score and the
// class histogram's KL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classHistogram, klDivergence } from '../../src/metrics/classes.js';
import { inceptionScore } from '../../src/metrics/inception-score.js';

/** n one-hot rows, class i % classes (or always `only`). */
function oneHot(n: number, classes: number, only?: number): Float32Array {
  const p = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) p[i * classes + (only ?? i % classes)] = 1;
  return p;
}

test('Inception Score: confident and balanced = the number of classes; one class = 1; uncertain = 1', () => {
  assert.ok(Math.abs(inceptionScore(oneHot(1000, 10), 1000, 10).mean - 10) < 1e-9);
  assert.ok(Math.abs(inceptionScore(oneHot(1000, 10, 3), 1000, 10).mean - 1) < 1e-9);
  assert.ok(Math.abs(inceptionScore(new Float32Array(1000 * 10).fill(0.1), 1000, 10).mean - 1) < 1e-6);
  assert.throws(() => inceptionScore(oneHot(5, 10), 5, 10), /Expected at least 10 samples for 10 splits/);
});

test('class histogram and KL: balanced = 0, one class = log(classes), missing mass = Infinity', () => {
  const uniform = classHistogram(oneHot(1000, 10), 1000, 10);
  assert.deepEqual(Array.from(uniform), new Array(10).fill(0.1));
  assert.ok(Math.abs(klDivergence(uniform, uniform)) < 1e-12);
  const collapsed = classHistogram(oneHot(100, 10, 4), 100, 10);
  assert.ok(Math.abs(klDivergence(collapsed, uniform) - Math.log(10)) < 1e-12);
  assert.equal(klDivergence(uniform, collapsed), Infinity);
});
