// The image metrics on real Fashion-MNIST with the shipped feature network: FID and
// KID grow with every step of noise and of blur added to real test images, test vs
// train sits near zero, copies of training images are caught by the memorisation
// check and fresh images are not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initBackend } from '../../src/backend/index.js';
import { evaluateSamples } from '../../src/metrics/evaluate.js';
import { openFeatureModel } from '../../src/metrics/features/index.js';
import { frechetDistance, gaussianStats } from '../../src/metrics/frechet.js';
import { kernelInceptionDistance } from '../../src/metrics/kid.js';
import { ReferenceData } from '../../src/metrics/reference.js';
import { Rng } from '../../src/rng.js';
import { addNoise, blur, skipFashion as skip, TEST_DATA_DIR, toSigned } from './fixtures.js';

const N = 2000; // test images per perturbation: enough for a clear order, small enough for seconds

async function setting() {
  await initBackend();
  const reference = await ReferenceData.open('fashion-mnist', { dataDir: TEST_DATA_DIR });
  const model = await openFeatureModel();
  const trainStats = await reference.stats('train', model);
  const train = await reference.features('train', model);
  const trainSet = { values: train.features, count: train.count, dim: train.featureDim };
  /** FID against the whole training set and KID against its features, for images in [−1, 1]. */
  const score = async (images: Float32Array) => {
    const f = await model.extractor.fromFloats(images, N);
    const fid = frechetDistance(gaussianStats(f.features, N, f.featureDim), trainStats);
    const kid = (
      await kernelInceptionDistance({ values: f.features, count: N, dim: f.featureDim }, trainSet, {
        subsets: 20,
        subsetSize: 500,
      })
    ).mean;
    return { fid, kid };
  };
  const clean = toSigned(reference.test.images.subarray(0, N * 784));
  return { reference, model, trainStats, score, clean };
}

test('real test images vs the training set: FID near zero', { skip }, async (t) => {
  const { reference, model, trainStats } = await setting();
  const test_ = await reference.features('test', model);
  const fid = frechetDistance(gaussianStats(test_.features, test_.count, test_.featureDim), trainStats);
  t.diagnostic(`FID(test 10,000 vs train 60,000) = ${fid.toFixed(4)}`);
  assert.ok(fid < 1, `FID ${fid}`);
});

test('FID and KID rise strictly with the strength of Gaussian noise', { skip }, async (t) => {
  const { score, clean } = await setting();
  const rng = new Rng(11);
  const scores = [];
  for (const std of [0, 0.1, 0.2, 0.4])
    scores.push(await score(std === 0 ? clean : addNoise(clean, std, () => rng.normal())));
  t.diagnostic(
    `noise std 0, 0.1, 0.2, 0.4 → FID ${scores.map((s) => s.fid.toFixed(3)).join(', ')}; KID ${scores.map((s) => s.kid.toFixed(4)).join(', ')}`,
  );
  for (let i = 1; i < scores.length; i++) {
    assert.ok(scores[i].fid > scores[i - 1].fid, `FID not increasing at step ${i}`);
    assert.ok(scores[i].kid > scores[i - 1].kid, `KID not increasing at step ${i}`);
  }
});

test('FID and KID rise strictly with the strength of blur', { skip }, async (t) => {
  const { score, clean } = await setting();
  const scores = [];
  for (const sigma of [0, 0.6, 1.2, 2]) scores.push(await score(blur(clean, 28, 28, sigma)));
  t.diagnostic(
    `blur σ 0, 0.6, 1.2, 2 px → FID ${scores.map((s) => s.fid.toFixed(3)).join(', ')}; KID ${scores.map((s) => s.kid.toFixed(4)).join(', ')}`,
  );
  for (let i = 1; i < scores.length; i++) {
    assert.ok(scores[i].fid > scores[i - 1].fid, `FID not increasing at step ${i}`);
    assert.ok(scores[i].kid > scores[i - 1].kid, `KID not increasing at step ${i}`);
  }
});

test(
  'memorisation: copies of training images are flagged, fresh test images mostly not; nn.png shows them',
  { skip },
  async (t) => {
    const { reference } = await setting();
    const out = mkdtempSync(path.join(tmpdir(), 'gankit-nn-'));
    const options = { data: 'fashion-mnist', metrics: ['nn'], dataDir: TEST_DATA_DIR };
    const copies = await evaluateSamples(
      { images: toSigned(reference.train.images.subarray(0, 1000 * 784)), count: 1000, shape: [28, 28, 1] },
      { ...options, out },
    );
    // Test images 5,000 onwards: never used by the threshold (0–1,999) nor the reference (2,000–2,999).
    const fresh = await evaluateSamples(
      { images: toSigned(reference.test.images.subarray(5000 * 784, 6000 * 784)), count: 1000, shape: [28, 28, 1] },
      options,
    );
    t.diagnostic(
      `nn_close: copies ${copies.nn_close}, fresh ${fresh.nn_close}, reference ${fresh.nn_close_real}; threshold ${fresh.nn_threshold.toFixed(3)}`,
    );
    assert.equal(copies.nn_close, 1);
    assert.ok(copies.nn_median < 0.01, `median distance of copies ${copies.nn_median}`);
    assert.ok(fresh.nn_close < 0.05 && fresh.nn_close_real < 0.05, JSON.stringify(fresh));
    assert.ok(existsSync(path.join(out, 'nn.png')));
  },
);
