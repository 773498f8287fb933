// --recipe: each named image recipe gives its paper's settings (written here from the
// papers, not read from the table), the games' own settings and the user's options win,
// and --model dcgan alone is DCGAN-28 as published.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveOptions } from '../../src/train/options.js';

const fashion = { data: 'fashion-mnist' };

test("each recipe sets its paper's image settings", () => {
  // Radford et al. 2016: Adam 2e-4, β1 0.5 (β2 PyTorch's 0.999), the non-saturating game, batch norm in D.
  const dcgan = resolveOptions({ ...fashion, recipe: 'dcgan' });
  assert.deepEqual(
    [dcgan.lrG, dcgan.lrD, dcgan.beta1, dcgan.beta2, dcgan.loss, dcgan.spectralNorm, dcgan.dSteps],
    [2e-4, 2e-4, 0.5, 0.999, 'nonsaturating', 'none', 1],
  );
  // SAGAN's two time-scale rates (Zhang et al. 2019): D 4e-4, G 1e-4, Adam β1 0, β2 0.9.
  const ttur = resolveOptions({ ...fashion, recipe: 'ttur' });
  assert.deepEqual([ttur.lrG, ttur.lrD, ttur.beta1, ttur.beta2], [1e-4, 4e-4, 0, 0.9]);
  // Miyato et al. 2018: SN in D, hinge loss, setting C (2e-4, β1 0.5, β2 0.999, n_dis 1).
  const sngan = resolveOptions({ ...fashion, recipe: 'sngan' });
  assert.deepEqual(
    [sngan.spectralNorm, sngan.loss, sngan.lrG, sngan.lrD, sngan.beta1, sngan.beta2, sngan.dSteps],
    ['d', 'hinge', 2e-4, 2e-4, 0.5, 0.999, 1],
  );
});

test("options given win over the recipe, and a game's own settings over both of the recipe's", () => {
  const o = resolveOptions({ ...fashion, recipe: 'ttur', lrG: 3e-4, beta2: 0.99 });
  assert.deepEqual([o.lrG, o.lrD, o.beta1, o.beta2], [3e-4, 4e-4, 0, 0.99]);
  // WGAN's clipping needs β1 = 0 (Arjovsky et al. 2017), whatever the recipe says.
  const wgan = resolveOptions({ ...fashion, recipe: 'sngan', loss: 'wgan' });
  assert.deepEqual([wgan.loss, wgan.beta1, wgan.spectralNorm], ['wgan', 0, 'd']);
  const noSn = resolveOptions({ ...fashion, recipe: 'sngan', spectralNorm: 'none' });
  assert.equal(noSn.spectralNorm, 'none');
});

test('images without --model take dcgan-fast: batches of 32, rates 1.6e-3, hinge, β 0/0.99, EMA, extra conv', () => {
  const o = resolveOptions(fashion);
  assert.equal(o.recipe, 'dcgan-fast');
  assert.deepEqual(
    [o.model, o.batchSize, o.lrG, o.lrD, o.beta1, o.beta2, o.loss, o.ema, o.spectralNorm, o.gExtraConvs],
    ['dcgan', 32, 1.6e-3, 1.6e-3, 0, 0.99, 'hinge', 0.999, 'none', 1],
  );
  // dcgan-ema, the default before it, stays available (runs recorded with it resume).
  const ema = resolveOptions({ ...fashion, recipe: 'dcgan-ema' });
  assert.deepEqual([ema.batchSize, ema.lrG, ema.lrD, ema.loss, ema.ema], [64, 4e-4, 4e-4, 'nonsaturating', 0.999]);
  // A batch size given wins over the recipe's.
  assert.equal(resolveOptions({ ...fashion, batchSize: 128 }).batchSize, 128);
  // A conditional model keeps the settings its numbers were measured with.
  const cgan = resolveOptions({ ...fashion, model: 'cgan' });
  assert.deepEqual([cgan.recipe, cgan.lrG, cgan.ema], ['dcgan', 2e-4, 0]);
});

test('--model dcgan alone means the dcgan recipe; the run records its recipe', () => {
  const o = resolveOptions({ ...fashion, model: 'dcgan' });
  assert.equal(o.recipe, 'dcgan');
  assert.deepEqual(
    [o.batchSize, o.lrG, o.lrD, o.beta1, o.loss, o.spectralNorm, o.augment, o.ema, o.gExtraConvs],
    [64, 2e-4, 2e-4, 0.5, 'nonsaturating', 'none', [], 0, 0],
  );
  assert.equal(resolveOptions({ ...fashion, model: 'dcgan', recipe: 'ttur' }).lrD, 4e-4);
});

test('recipes are for images: toy data refuses one, and records none', () => {
  assert.equal(resolveOptions({ data: 'ring8' }).recipe, 'none');
  assert.throws(
    () => resolveOptions({ data: 'ring8', recipe: 'ttur' }),
    /Expected image data for --recipe .* but ring8 is 2D points; leave --recipe out/,
  );
  assert.throws(
    () => resolveOptions({ ...fashion, recipe: 'biggan' as never }),
    /Expected recipe to be one of none, dcgan, ttur, sngan, dcgan-ema, dcgan-fast but received "biggan"/,
  );
});

test('--g-extra-convs: for a DCGAN-based G only; a recipe that sets it leaves other networks alone', () => {
  assert.equal(resolveOptions({ ...fashion, model: 'cgan', recipe: 'dcgan-fast' }).gExtraConvs, 1);
  assert.equal(resolveOptions({ ...fashion, model: 'dcgan', gExtraConvs: 2 }).gExtraConvs, 2);
  // The image MLP has no upsampling blocks: the recipe's setting does not apply to it.
  assert.equal(resolveOptions({ ...fashion, model: 'mlp', recipe: 'dcgan-fast' }).gExtraConvs, 0);
  assert.throws(
    () => resolveOptions({ ...fashion, model: 'mlp', gExtraConvs: 1 }),
    /Expected --g-extra-convs with a DCGAN-based G .* but received 1 for --model mlp; leave it out/,
  );
  assert.throws(
    () => resolveOptions({ data: 'ring8', gExtraConvs: 1 }),
    /Expected --g-extra-convs with a DCGAN-based G .* but received 1 for ring8 \(points\); leave it out/,
  );
  assert.throws(
    () => resolveOptions({ ...fashion, gExtraConvs: -1 }),
    /Expected gExtraConvs to be a non-negative integer but received -1/,
  );
});
