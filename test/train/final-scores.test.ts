// The final numbers of runs that are not 2D mixtures: a 1D run's distances agree with
// ones computed here from its saved G on samples of our own; an image run whose data
// cannot be scored (one set of images, no test split) says so and trains on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { train } from '../../src/train/trainer.js';
import { loadGenerator } from '../../src/run/checkpoint.js';
import { writeNpy } from '../../src/io/npy.js';
import { Rng } from '../../src/rng.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'gankit-final-'));
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** W1 of equal-size samples, by its 1D formula: the mean absolute difference of the sorted samples. */
function sortedW1(a: Float32Array, b: Float32Array): number {
  const [sa, sb] = [Float64Array.from(a).sort(), Float64Array.from(b).sort()];
  return sa.reduce((sum, v, i) => sum + Math.abs(v - sb[i]), 0) / sa.length;
}

test("gauss1d: metrics.json's W1 is the one of G's samples against N(2, 0.5²), within sampling error", async () => {
  const out = tempDir();
  const small = { gHidden: [16, 16], dHidden: [16, 16], latentDim: 2, evalSamples: 2500 };
  const result = await train({ data: 'gauss1d', steps: 150, plotEvery: 0, checkpointEvery: 0, ...small, out });
  const m = json(path.join(out, 'metrics.json'));
  assert.deepEqual(result.scores, {
    wasserstein1: m.wasserstein1,
    wasserstein1_real: m.wasserstein1_real,
    ks: m.ks,
    ks_real: m.ks_real,
  });
  assert.equal(result.verdict, m.verdict);
  // Our own samples: 20,000 of the saved G (the sampler: its moving average), 20,000 of the data by its formula.
  const G = await loadGenerator(out);
  const rng = new Rng(77);
  const fake = tf.tidy(() => {
    const z = tf.tensor2d(rng.fillNormal(new Float32Array(2 * 20_000)), [20_000, 2]);
    return (G.predict(z) as tf.Tensor).dataSync() as Float32Array;
  });
  G.dispose();
  const real = rng.fillNormal(new Float32Array(20_000), 2, 0.5);
  // W1 of 2,500 samples is within about 0.02 of the distributions' own (the real pair's 0.017 says so).
  const w1 = sortedW1(fake, real);
  assert.ok(Math.abs(m.wasserstein1 - w1) < 0.05, `metrics.json ${m.wasserstein1}, here ${w1}`);
  assert.ok(m.wasserstein1_real < 0.05 && m.ks_real < 0.05, JSON.stringify(m));
});

test('images without a test split: the default final evaluation is said to be impossible, and the run ends', async () => {
  const data = path.join(tempDir(), 'tiny.npy');
  const pixels = new Uint8Array(64 * 28 * 28);
  const rng = new Rng(9);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextUint32() & 255;
  await writeNpy(data, pixels, [64, 28, 28, 1]);
  const out = tempDir();
  const events: string[] = [];
  const request = { data, model: 'mlp' as const, gHidden: [16], dHidden: [16], steps: 2, batchSize: 32, out };
  const result = await train(request, {
    onEvent: (m) => events.push(m),
    onStep: (s) => events.push(`trained step ${s}`),
  });
  const note = events.findIndex((e) => e.startsWith('no final fid10k: '));
  assert.match(events[note] ?? events.join('\n'), /Expected a data set with a test split .*--eval-metrics none skips/);
  // Said before step 1, and the run trains on.
  assert.ok(note < events.indexOf('trained step 1'), events.join('\n'));
  assert.ok(events.includes('trained step 2'));
  assert.equal(json(path.join(out, 'metrics.json')).fid10k, undefined);
  assert.match(result.verdict!, /^not measured — no FID at the end/);
});
