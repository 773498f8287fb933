import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveOptions, DEFAULT_OPTIONS } from '../../src/train/options.js';

test("R1's default follows the data's scale; an explicit value wins", () => {
  // γ = (s/2)²/10 with s the distance between neighbouring modes.
  assert.ok(Math.abs(resolveOptions({ data: 'grid25' }).r1 - 0.1) < 1e-12);
  assert.ok(Math.abs(resolveOptions({ data: 'ring8' }).r1 - Math.sin(Math.PI / 8) ** 2 / 10) < 1e-12);
  assert.ok(Math.abs(resolveOptions({ data: 'moons' }).r1 - 0.025) < 1e-12);
  assert.equal(resolveOptions({ data: 'ring8', r1: 0 }).r1, 0);
});

test('undefined fields take the defaults; every field is validated', () => {
  const o = resolveOptions({ steps: undefined, lrG: undefined });
  assert.equal(o.steps, DEFAULT_OPTIONS.steps);
  assert.equal(o.lrG, DEFAULT_OPTIONS.lrG);
  const bad: [object, RegExp][] = [
    [{ steps: 0 }, /Expected steps to be a positive integer but received 0/],
    [{ beta1: 1 }, /Expected beta1 to be a number in \[0, 1\) but received 1/],
    [{ loss: 'wasserstein' }, /Expected loss to be one of nonsaturating, .* but received "wasserstein"/],
    [{ gHidden: [] }, /Expected gHidden to be a non-empty list of positive integers but received \[\]/],
    [
      { data: 'ring9' },
      /Expected data to be one of ring8, grid25, gauss1d, spiral, moons, mnist, fashion-mnist, kmnist, cifar10 or a path to image data but received "ring9"/,
    ],
    [{ seed: 1.5 }, /Expected seed to be an integer but received 1.5/],
    [{ jacobianTruncation: 1 }, /Expected jacobianTruncation to be a number in \[0, 1\) but received 1/],
  ];
  for (const [partial, message] of bad) assert.throws(() => resolveOptions(partial), message);
});

test('image data with --model dcgan takes the DCGAN reference settings; --steps instead of epochs', () => {
  const o = resolveOptions({ data: 'fashion-mnist', model: 'dcgan' });
  assert.deepEqual(
    [
      o.model,
      o.latentDim,
      o.batchSize,
      o.lrG,
      o.lrD,
      o.beta1,
      o.beta2,
      o.lrFinal,
      o.r1,
      o.epochs,
      o.jacobianTruncation,
    ],
    ['dcgan', 100, 64, 2e-4, 2e-4, 0.5, 0.999, 1, 0, 5, 0],
  );
  assert.equal(resolveOptions({ data: 'fashion-mnist', steps: 300 }).epochs, 0);
  assert.equal(resolveOptions({ data: 'fashion-mnist', steps: 300, epochs: 2 }).epochs, 2);
  assert.equal(resolveOptions({ data: './faces', model: 'mlp' }).model, 'mlp');
  // Toy data keeps its own defaults and refuses the image-only preset.
  assert.equal(resolveOptions({ data: 'ring8' }).latentDim, DEFAULT_OPTIONS.latentDim);
  assert.throws(
    () => resolveOptions({ data: 'ring8', model: 'dcgan' }),
    /Expected model to be one of mlp, cgan, acgan, infogan, custom but received "dcgan"/,
  );
});

test("conditional models: InfoGAN's defaults follow the data and the paper; code options are validated", () => {
  const ring = resolveOptions({ data: 'ring8', model: 'infogan' });
  assert.deepEqual(
    [ring.infoCategories, ring.infoContinuous, ring.infoLambdaCat, ring.infoLambdaCont, ring.latentDim],
    [8, 2, 1, 0.1, 2],
  );
  const images = resolveOptions({ data: 'fashion-mnist', model: 'infogan' });
  assert.deepEqual([images.infoCategories, images.latentDim, images.lrG, images.lrD], [10, 62, 1e-3, 2e-4]);
  assert.equal(resolveOptions({ data: 'fashion-mnist', model: 'infogan', lrG: 2e-4 }).lrG, 2e-4);
  assert.equal(resolveOptions({ data: 'fashion-mnist', model: 'infogan', latentDim: 100 }).latentDim, 100);
  assert.equal(resolveOptions({ data: 'fashion-mnist', model: 'cgan' }).latentDim, 100);
  assert.equal(
    resolveOptions({ data: 'grid25', model: 'cgan' }).numClasses,
    0,
    'set from the data when training starts',
  );
  assert.throws(
    () => resolveOptions({ model: 'infogan', infoCategories: 1 }),
    /Expected infoCategories to be an integer ≥ 2 but received 1/,
  );
  assert.throws(
    () => resolveOptions({ model: 'infogan', infoLambdaCont: -0.1 }),
    /Expected infoLambdaCont to be a number in \[0, Infinity\] but received -0.1/,
  );
  assert.throws(() => resolveOptions({ data: 'moons', model: 'cgan' }), /Expected labelled data for model cgan/);
});
