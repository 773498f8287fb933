// evaluateGenerator: what the trainer calls every --eval-every steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/backend/index.js';
import { evaluateGenerator } from '../../src/metrics/evaluate.js';
import { dcgan28Generator } from '../../src/networks/dcgan.js';
import { mlpGenerator } from '../../src/networks/mlp.js';
import { Rng } from '../../src/rng.js';
import { skipFashion as skip, TEST_DATA_DIR } from './fixtures.js';

test(
  'evaluateGenerator scores a generator: the same seed gives the same numbers; a worse G scores worse',
  { skip },
  async () => {
    await initBackend();
    const generator = dcgan28Generator(100, 3);
    const options = {
      data: 'fashion-mnist',
      latentDim: 100,
      prior: 'normal' as const,
      seed: 1,
      metrics: ['fid', 'classes'],
      samples: 300,
      dataDir: TEST_DATA_DIR,
    };
    try {
      const first = await evaluateGenerator(generator, options);
      const again = await evaluateGenerator(generator, options);
      assert.deepEqual(again, first);
      assert.ok(
        first.fid > 10 * first.fid_real,
        `an untrained G should be far from the data: ${JSON.stringify(first)}`,
      );
      assert.equal(Object.keys(first).filter((k) => /^classes_p\d$/.test(k)).length, 10);
      const other = await evaluateGenerator(generator, { ...options, seed: 2 });
      assert.notEqual(other.fid, first.fid);
    } finally {
      generator.dispose();
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
