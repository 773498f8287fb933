// evaluateGenerator: what the trainer calls every --eval-every steps. Scored on
// generators built by hand whose answers are known: one that draws one of ten real
// images (one per class) by the largest of its ten latent coordinates, and one that
// collapses onto a single image. The references are computed here with plain loops
// from the features and the training set's statistics, not with the metrics' code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../src/backend/index.js';
import { evaluateGenerator } from '../../src/metrics/evaluate.js';
import { openFeatureModel } from '../../src/metrics/features/index.js';
import { ReferenceData } from '../../src/metrics/reference.js';
import { dcgan28Generator } from '../../src/networks/dcgan.js';
import { mlpGenerator } from '../../src/networks/mlp.js';
import { Rng } from '../../src/rng.js';
import { argmax, onePerClass, skipFashion as skip, TEST_DATA_DIR, toSigned } from './fixtures.js';

const SIZE = 28 * 28;
const K = 10; // latent coordinates = image rows of G
/** Sharp enough that softmax(SHARPNESS·z) is one-hot whenever the top two z differ by more than 1e-3. */
const SHARPNESS = 1e4;

/** G(z) = Σ_j softmax(SHARPNESS·z)_j · rows[j]: the image of z's largest coordinate. */
function pickingGenerator(rows: Float32Array): tfl.LayersModel {
  const z = tfl.input({ shape: [K] });
  const pick = tfl.layers.dense({ units: K, useBias: false, activation: 'softmax' });
  const draw = tfl.layers.dense({ units: SIZE, useBias: false });
  const image = tfl.layers.reshape({ targetShape: [28, 28, 1] });
  const model = tfl.model({
    inputs: z,
    outputs: image.apply(draw.apply(pick.apply(z))) as tfl.SymbolicTensor,
  });
  pick.setWeights([tf.mul(tf.eye(K), SHARPNESS)]);
  draw.setWeights([tf.tensor2d(rows, [K, SIZE])]);
  return model;
}

test(
  'evaluateGenerator on hand-built generators: class histogram and FID as computed by hand; a collapsed G scores worse',
  { skip },
  async (t) => {
    await initBackend();
    const model = await openFeatureModel();
    const reference = await ReferenceData.open('fashion-mnist', { dataDir: TEST_DATA_DIR });
    // For each class, the first training image the classifier puts in that class.
    const candidates = toSigned(reference.train.images.subarray(0, 200 * SIZE));
    const rows = onePerClass(candidates, (await model.extractor.fromFloats(candidates, 200)).probabilities, K);
    const collapsedImage = rows.slice(3 * SIZE, 4 * SIZE); // class 3 only
    const collapsedRows = new Float32Array(K * SIZE);
    for (let k = 0; k < K; k++) collapsedRows.set(collapsedImage, k * SIZE);

    const n = 300;
    const options = {
      data: 'fashion-mnist',
      latentDim: K,
      prior: 'normal' as const,
      seed: 1,
      metrics: ['fid', 'classes'],
      samples: n,
      dataDir: TEST_DATA_DIR,
    };
    const covering = pickingGenerator(rows);
    const collapsed = pickingGenerator(collapsedRows);
    try {
      const good = await evaluateGenerator(covering, options);
      const bad = await evaluateGenerator(collapsed, options);
      assert.deepEqual(await evaluateGenerator(covering, options), good, 'the same seed, the same numbers');

      // The class histogram by hand: z is the seed's normal draw, row i shows image argmax(z_i), of that class.
      const z = new Rng(options.seed).fillNormal(new Float32Array(n * K));
      const counts = new Array<number>(K).fill(0);
      for (let i = 0; i < n; i++) {
        const row = Array.from(z.subarray(i * K, (i + 1) * K)).sort((a, b) => b - a);
        assert.ok(row[0] - row[1] > 1e-3, `row ${i}: a near tie would blend two images`);
        counts[argmax(z.subarray(i * K, (i + 1) * K))]++;
      }
      // The data's histogram: the classifier's most probable class of each training image.
      const train = await reference.features('train', model);
      const data = new Array<number>(K).fill(0);
      for (let i = 0; i < train.count; i++) data[argmax(train.probabilities.subarray(i * K, (i + 1) * K))]++;
      const q = data.map((c) => c / train.count);
      let kl = 0;
      for (let k = 0; k < K; k++) {
        const p = counts[k] / n;
        assert.equal(good[`classes_p${k}`], p, `class ${k}`);
        if (p > 0) kl += p * Math.log(p / q[k]);
      }
      assert.ok(Math.abs(good.classes_kl - kl) < 1e-9, `classes_kl ${good.classes_kl} vs ${kl} by hand`);
      // One class only: KL(δ_3 ‖ q) = −log q_3.
      assert.equal(bad.classes_p3, 1);
      assert.ok(Math.abs(bad.classes_kl + Math.log(q[3])) < 1e-9, `${bad.classes_kl} vs ${-Math.log(q[3])}`);

      // FID of a point mass at f(x) against N(μ, Σ): ‖f(x) − μ‖² + tr Σ.
      const f = (await model.extractor.fromFloats(collapsedImage, 1)).features;
      const stats = await reference.stats('train', model);
      const d = stats.dim;
      let pointMass = 0;
      for (let j = 0; j < d; j++) pointMass += (f[j] - stats.mean[j]) ** 2 + stats.cov[j * d + j];
      assert.ok(Math.abs(bad.fid - pointMass) < 1e-4 * pointMass, `FID ${bad.fid} vs ${pointMass} by hand`);

      t.diagnostic(
        `covering: FID ${good.fid.toFixed(2)}, KL ${good.classes_kl.toFixed(4)}; collapsed: FID ${bad.fid.toFixed(2)}, KL ${bad.classes_kl.toFixed(4)}; real ${good.fid_real.toFixed(2)}`,
      );
      // The genuinely worse G scores worse on both.
      assert.ok(good.fid < bad.fid / 2, `covering ${good.fid} vs collapsed ${bad.fid}`);
      assert.ok(good.classes_kl < 0.1 && bad.classes_kl > 2, `${good.classes_kl} vs ${bad.classes_kl}`);
      assert.equal(good.fid_real, bad.fid_real, 'the reference does not depend on G');
    } finally {
      covering.dispose();
      collapsed.dispose();
    }
  },
);

test('evaluateGenerator refuses a 2D generator and unknown metrics before sampling', async () => {
  await initBackend();
  const points = mlpGenerator(2, 2, { hidden: [8] }, new Rng(1));
  const image = dcgan28Generator(100, 1);
  try {
    const options = { data: 'fashion-mnist', latentDim: 2, prior: 'normal' as const, seed: 1, metrics: ['fid'] };
    await assert.rejects(
      evaluateGenerator(points, options),
      /Expected an image generator for the image metrics but G outputs points in R\^2/,
    );
    await assert.rejects(
      evaluateGenerator(image, { ...options, latentDim: 100, metrics: ['fid', 'fid5k'] }),
      /Expected metrics from fid10k, fid, kid, is, pr, classes, nn, parzen but received "fid5k"/,
    );
  } finally {
    points.dispose();
    image.dispose();
  }
});
