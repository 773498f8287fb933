// The shipped feature network: its weights are checked against features.json's
// SHA-256 before use, it classifies Fashion-MNIST as features.json says, and other
// networks are read from their penultimate layer (or the one features.json names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../src/backend/index.js';
import { saveModel } from '../../src/io/model-files.js';
import {
  checkFeatureInput,
  featureExtractor,
  loadFeatureNetwork,
  openFeatureModel,
  shippedFeaturesDir,
  type FeatureInfo,
} from '../../src/metrics/features/index.js';
import { ReferenceData } from '../../src/metrics/reference.js';
import { skipFashion, TEST_DATA_DIR } from './fixtures.js';

const temp = () => mkdtempSync(path.join(tmpdir(), 'gankit-features-'));

test('the shipped network: under 1 MB, its SHA-256 verified, ≥ 90% test accuracy recorded', async () => {
  await initBackend();
  const dir = shippedFeaturesDir();
  const info = JSON.parse(readFileSync(path.join(dir, 'features.json'), 'utf8')) as FeatureInfo;
  assert.ok(readFileSync(path.join(dir, 'weights.bin')).length < 1_000_000);
  assert.ok(info.testAccuracy >= 0.9, `recorded test accuracy ${info.testAccuracy}`);
  assert.match(info.script, /^npm run train-features/);
  const network = await loadFeatureNetwork();
  try {
    assert.equal(network.sha256, info.sha256);
    assert.equal(network.featureLayer, 'features');
    assert.deepEqual(network.model.inputs[0].shape, [null, 28, 28, 1]);
  } finally {
    network.model.dispose();
  }
});

test('a tampered weights.bin is refused, saying what was expected', async () => {
  await initBackend();
  const dir = path.join(temp(), 'net');
  cpSync(shippedFeaturesDir(), dir, { recursive: true });
  const file = path.join(dir, 'weights.bin');
  const bytes = readFileSync(file);
  bytes[100] ^= 1; // one bit
  writeFileSync(file, bytes);
  await assert.rejects(
    loadFeatureNetwork(dir),
    /Expected the weights in .* to have SHA-256 [0-9a-f]{64} \(from its features.json\) but they have [0-9a-f]{64}: the file was changed or corrupted/,
  );
});

test(
  'the shipped network classifies the Fashion-MNIST test set as features.json records',
  { skip: skipFashion },
  async () => {
    await initBackend();
    const model = await openFeatureModel();
    const reference = await ReferenceData.open('fashion-mnist', { dataDir: TEST_DATA_DIR });
    const { probabilities, count, classes } = await reference.features('test', model);
    let right = 0;
    for (let i = 0; i < count; i++) {
      const row = Array.from(probabilities.subarray(i * classes, (i + 1) * classes));
      if (row.indexOf(Math.max(...row)) === reference.test.labels![i]) right++;
    }
    assert.ok(
      Math.abs(right / count - model.network.info!.testAccuracy!) < 0.002,
      `measured ${right / count}, recorded ${model.network.info!.testAccuracy}`,
    );
  },
);

test("a user's network: penultimate layer by default, logits turned into probabilities, input shape checked", async () => {
  await initBackend();
  const x = tfl.input({ shape: [8, 8, 3] });
  let h = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;
  h = tfl.layers.dense({ units: 5, activation: 'relu', name: 'hidden' }).apply(h) as tfl.SymbolicTensor;
  const logits = tfl.layers.dense({ units: 4, name: 'logits' }).apply(h) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: x, outputs: logits });
  const dir = temp();
  await saveModel(model, dir);
  model.dispose();
  const user = await openFeatureModel(dir);
  assert.equal(user.network.featureLayer, undefined); // no features.json
  assert.equal(user.extractor.featureLayer, 'hidden');
  const images = new Float32Array(3 * 8 * 8 * 3).map((_, i) => Math.sin(i));
  const f = await user.extractor.fromFloats(images, 3);
  assert.deepEqual([f.featureDim, f.classes, f.count], [5, 4, 3]);
  // By hand from the saved weights: features = ReLU(xW₁ + b₁) (the penultimate layer), probabilities = softmax(hW₂ + b₂).
  const [w1, b1, w2, b2] = user.network.model.getWeights().map((w) => w.dataSync());
  for (let i = 0; i < 3; i++) {
    const x = images.subarray(i * 192, (i + 1) * 192);
    const h = Array.from({ length: 5 }, (_, u) =>
      Math.max(
        0,
        x.reduce((s, v, p) => s + v * w1[p * 5 + u], b1[u]),
      ),
    );
    const logits = Array.from({ length: 4 }, (_, c) => h.reduce((s, v, u) => s + v * w2[u * 4 + c], b2[c]));
    const total = logits.reduce((s, l) => s + Math.exp(l), 0);
    h.forEach((v, u) => assert.ok(Math.abs(f.features[i * 5 + u] - v) < 1e-5, `image ${i} feature ${u}`));
    logits.forEach((l, c) =>
      assert.ok(Math.abs(f.probabilities[i * 4 + c] - Math.exp(l) / total) < 1e-6, `image ${i} class ${c}`),
    );
  }
  assert.throws(
    () => checkFeatureInput(user, [28, 28, 1], 'samples'),
    /Expected samples of 8×8×3 pixels for the feature network in .* but they are 28×28×1: gankit does not resize images for a feature network \(out of scope\)/,
  );
  assert.throws(
    () => featureExtractor(user.network.model, 'nope'),
    /Expected a layer named "nope" in the feature network but it has/,
  );
});
