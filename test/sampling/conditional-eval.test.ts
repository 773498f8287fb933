// Scoring a conditional image run with the feature network's classifier, on runs whose
// G is built by hand: G(z, c) draws, for each class (or code value), one real image the
// classifier puts in a class the test chooses, so every accuracy is known exactly. The
// reference beside them is the classifier's recorded test accuracy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../src/backend/index.js';
import { evaluateConditionalRun } from '../../src/sampling/conditional-eval.js';
import { openFeatureModel, shippedFeaturesDir } from '../../src/metrics/features/index.js';
import { loadImages } from '../../src/data/images/index.js';
import { onePerClass, skipFashion as skip, TEST_DATA_DIR, toSigned } from '../metrics/fixtures.js';
import { makeRun } from './fixtures.js';

const SIZE = 28 * 28;
const LATENT = 100; // the dcgan28 fixture's z

/** G(z, c) = the image rows[argmax of c's first 10 entries]: z and InfoGAN's continuous codes are ignored. */
function classImageGenerator(rows: Float32Array, codeDim: number): tfl.LayersModel {
  const z = tfl.input({ shape: [LATENT] });
  const c = tfl.input({ shape: [codeDim] });
  const dense = tfl.layers.dense({ units: SIZE, useBias: false });
  const image = tfl.layers.reshape({ targetShape: [28, 28, 1] });
  const joined = tfl.layers.concatenate().apply([z, c]);
  const model = tfl.model({ inputs: [z, c], outputs: image.apply(dense.apply(joined)) as tfl.SymbolicTensor });
  const kernel = new Float32Array((LATENT + codeDim) * SIZE);
  kernel.set(rows, LATENT * SIZE); // the one-hot class picks its row; z's rows and the continuous codes' stay 0
  dense.setWeights([tf.tensor2d(kernel, [LATENT + codeDim, SIZE])]);
  return model;
}

test(
  "a conditional run scored by class: hand-built generators get their known accuracies; the reference is the classifier's",
  { skip },
  async () => {
    process.env.GANKIT_DATA = TEST_DATA_DIR;
    await initBackend();
    const { extractor } = await openFeatureModel();
    const train = await loadImages('fashion-mnist', { download: false });
    const candidates = toSigned(train.images.subarray(0, 200 * SIZE));
    const byClass = onePerClass(candidates, (await extractor.fromFloats(candidates, 200)).probabilities, 10);
    /** Rows for the 10 code values: value k draws an image of class target(k). */
    const rows = (target: (k: number) => number) => {
      const out = new Float32Array(10 * SIZE);
      for (let k = 0; k < 10; k++) out.set(byClass.subarray(target(k) * SIZE, (target(k) + 1) * SIZE), k * SIZE);
      return out;
    };
    const cgan = { model: 'cgan', numClasses: 10, data: 'fashion-mnist' };
    const infogan = { model: 'infogan', infoCategories: 10, infoContinuous: 2, data: 'fashion-mnist' };
    const score = async (options: Record<string, unknown>, target: (k: number) => number) => {
      const codeDim = options.model === 'cgan' ? 10 : 12;
      const run = await makeRun('dcgan28', { options, generator: classImageGenerator(rows(target), codeDim) });
      run.generator.dispose();
      return evaluateConditionalRun({ run: run.dir, perClass: 20 });
    };
    const perClass = (r: Record<string, number>) => Array.from({ length: 10 }, (_, k) => r[`conditionalAccuracy_${k}`]);

    const right = await score(cgan, (k) => k);
    const recorded = JSON.parse(readFileSync(path.join(shippedFeaturesDir(), 'features.json'), 'utf8')).testAccuracy;
    assert.ok(
      Math.abs(right.conditionalAccuracy_real - recorded) < 1e-9,
      `${right.conditionalAccuracy_real} vs recorded ${recorded}`,
    );
    assert.equal(right.conditionalAccuracy, 1);
    assert.deepEqual(perClass(right), new Array(10).fill(1));
    // Every class drawn as class 0: only class 0 right.
    const collapsed = await score(cgan, () => 0);
    assert.equal(collapsed.conditionalAccuracy, 0.1);
    assert.deepEqual(perClass(collapsed), [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // InfoGAN's code values have no names: under the best one-to-one mapping a permutation would score 1; here
    // two values draw one class, so one tenth of the samples cannot be matched. (Each run classifies the
    // 10,000 test images for its reference: three runs keep the test short.)
    const pi = [3, 7, 0, 9, 1, 5, 8, 2, 6, 4];
    const merged = await score(infogan, (k) => pi[k === 9 ? 0 : k]);
    assert.ok(Math.abs(merged.codeAccuracy - 0.9) < 1e-12, `${merged.codeAccuracy}`);
    assert.equal(merged.codeAccuracy_real, right.conditionalAccuracy_real);

    // An unconditional run has no classes to score.
    const plain = await makeRun('dcgan28');
    plain.generator.dispose();
    await assert.rejects(
      evaluateConditionalRun({ run: plain.dir }),
      /Expected a conditional run \(model cgan, acgan or infogan\)/,
    );
  },
);
