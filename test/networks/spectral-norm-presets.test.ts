// --spectral-norm on every preset: which layers it normalises, that a normalised D has no
// batch norm while G keeps its own, and that --spectral-norm none builds the very same
// initial weights as gankit did before the option (hashes written by commit 4fcd036's code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type * as tfl from '@tensorflow/tfjs-layers';
import { presetNetworks } from '../../src/networks/presets.js';
import { isSpectral } from '../../src/networks/spectral-norm.js';
import type { SpectralNormChoice } from '../../src/networks/options.js';
import { Conditioning } from '../../src/games/conditional.js';
import { Rng } from '../../src/rng.js';
import { initBackend } from '../../src/backend/index.js';

await initBackend('cpu');

const CASES = [
  { model: 'dcgan', shape: [28, 28, 1], before: ['16543ee34985ca81', '1aa513fe12a134c4'] },
  { model: 'dcgan', shape: [32, 32, 3], before: ['4d383605dd2f0086', '4ea4e082e9cffab4'] },
  { model: 'mlp', shape: [2], before: ['47f069462aa956b2', '2aa07a5e4ec9d7b7'] },
  { model: 'mlp', shape: [28, 28, 1], before: ['0669bc98ff4d4d4f', 'a1b308b82ff550ff'] },
  {
    model: 'cgan',
    shape: [28, 28, 1],
    cond: new Conditioning('cgan', 10),
    before: ['049f33b5af43f74b', 'c9602fe2e1865802'],
  },
  {
    model: 'infogan',
    shape: [28, 28, 1],
    cond: new Conditioning('infogan', 10, 2),
    before: ['721eb240e93d2276', 'a9bb4f505a0b095a'],
  },
  { model: 'acgan', shape: [2], cond: new Conditioning('acgan', 8), before: ['e0f658a91ca479dc', '3f1a9791d623d793'] },
] as const;

const build = (c: (typeof CASES)[number], spectralNorm: SpectralNormChoice) =>
  presetNetworks(
    { model: c.model, latentDim: 8, gHidden: [16, 16], dHidden: [8, 8], spectralNorm },
    [...c.shape],
    new Rng(1),
    'cond' in c ? c.cond : undefined,
  );

const hash = (m: tfl.LayersModel) => {
  const h = createHash('sha256');
  for (const w of m.getWeights()) h.update(Buffer.from(w.dataSync().buffer));
  return h.digest('hex').slice(0, 16);
};
const kinds = (m: tfl.LayersModel) => m.layers.map((l) => l.getClassName());
const normalisable = (name: string) => /^(Dense|Conv2D|Conv2DTranspose|GankitSpectral)/.test(name);

for (const c of CASES) {
  const label = `${c.model} on ${c.shape.join('×')}`;
  test(`${label}: --spectral-norm none builds the initial weights of before the option`, () => {
    const { generator, discriminator } = build(c, 'none');
    assert.deepEqual([hash(generator), hash(discriminator)], [...c.before]);
    assert.ok(![...generator.layers, ...discriminator.layers].some(isSpectral));
  });

  test(`${label}: --spectral-norm d, g and both normalise every dense and convolutional layer of those players`, () => {
    for (const choice of ['d', 'g', 'both'] as const) {
      const { generator, discriminator } = build(c, choice);
      for (const [player, model, on] of [
        ['G', generator, choice !== 'd'],
        ['D', discriminator, choice !== 'g'],
      ] as const) {
        const layers = model.layers.filter((l) => normalisable(l.getClassName()));
        assert.ok(layers.length > 0);
        for (const l of layers) assert.equal(isSpectral(l), on, `${choice}: ${player}'s ${l.name}`);
      }
      // A normalised D has no batch norm; G keeps its own.
      const dNorms = kinds(discriminator).filter((k) => k === 'BatchNormalization').length;
      if (choice !== 'g') assert.equal(dNorms, 0, `${choice}: D's batch norm`);
      const gNorms = kinds(generator).filter((k) => k === 'BatchNormalization').length;
      assert.equal(gNorms, kinds(build(c, 'none').generator).filter((k) => k === 'BatchNormalization').length);
    }
  });
}

test("cgan's projection D normalises its class embedding V (Miyato & Koyama 2018)", () => {
  const { discriminator } = build(CASES[4], 'd');
  assert.ok(isSpectral(discriminator.getLayer('discriminator_embed')));
});

test('--spectral-norm refuses another value, naming the choices, and is recorded with the other options', async () => {
  const { resolveOptions } = await import('../../src/train/options.js');
  assert.throws(
    () => resolveOptions({ spectralNorm: 'dd' as SpectralNormChoice }),
    /spectralNorm.*one of none, d, g, both.*"dd"|Expected .*none, d, g, both/s,
  );
  assert.equal(resolveOptions({}).spectralNorm, 'none');
  assert.equal(resolveOptions({ spectralNorm: 'both' }).spectralNorm, 'both');
});
