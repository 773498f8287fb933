// Scoring a conditional image run with the feature network's classifier: the numbers'
// ranges, and the reference beside them is the classifier's recorded test accuracy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { train } from '../../src/train/trainer.js';
import { evaluateConditionalRun } from '../../src/sampling/conditional-eval.js';
import { shippedFeaturesDir } from '../../src/metrics/features/index.js';
import { skipUnless } from '../requirements.js';
import { TEST_DATA_DIR } from '../metrics/fixtures.js';

const fashion = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';

test(
  "a CGAN run scored by class: accuracies in [0, 1] beside the classifier's own test accuracy",
  {
    skip: skipUnless(existsSync(fashion), 'dataset-fashion-mnist not installed: apt-get install dataset-fashion-mnist'),
  },
  async () => {
    process.env.GANKIT_DATA = TEST_DATA_DIR;
    const out = mkdtempSync(path.join(tmpdir(), 'gankit-cond-eval-'));
    await train({ data: 'fashion-mnist', model: 'cgan', steps: 3, plotEvery: 0, out });
    const r = await evaluateConditionalRun({ run: out, perClass: 20 });
    const recorded = JSON.parse(readFileSync(path.join(shippedFeaturesDir(), 'features.json'), 'utf8')).testAccuracy;
    assert.ok(
      Math.abs(r.conditionalAccuracy_real - recorded) < 1e-9,
      `${r.conditionalAccuracy_real} vs recorded ${recorded}`,
    );
    const perClass = Array.from({ length: 10 }, (_, k) => r[`conditionalAccuracy_${k}`]);
    for (const a of perClass) assert.ok(a >= 0 && a <= 1);
    assert.ok(Math.abs(r.conditionalAccuracy - perClass.reduce((s, a) => s + a, 0) / 10) < 1e-12);
    // An unconditional run has no classes to score.
    const plain = mkdtempSync(path.join(tmpdir(), 'gankit-cond-eval-'));
    await train({ data: 'fashion-mnist', steps: 1, plotEvery: 0, out: plain });
    await assert.rejects(
      evaluateConditionalRun({ run: plain }),
      /Expected a conditional run \(model cgan, acgan or infogan\)/,
    );
  },
);
