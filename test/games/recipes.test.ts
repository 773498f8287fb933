// Each game's recommended settings (src/games/recipes.ts) as resolveOptions applies
// them: the values written out here from the papers and the measurements the table
// cites, the user's settings winning over them, and the warnings for poor combinations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GAMES } from '../../src/games/losses.js';
import { recipeWarnings, type RecipeCheck } from '../../src/games/recipes.js';
import { resolveOptions, type TrainOptions } from '../../src/train/options.js';

type Game = (typeof GAMES)[number];
const SETTINGS = ['dSteps', 'optimizer', 'lrG', 'lrD', 'beta1', 'beta2', 'r1', 'gpWeight', 'clip'] as const;
type Settings = Pick<TrainOptions, (typeof SETTINGS)[number]>;

// The shared defaults: Adam without momentum, D twice as fast, R1 at (s/2)²/10 = 0.1 on grid25.
const SHARED_TOY: Settings = {
  dSteps: 1,
  optimizer: 'adam',
  lrG: 1e-3,
  lrD: 2e-3,
  beta1: 0,
  beta2: 0.9,
  r1: 0.1,
  gpWeight: 10,
  clip: 0.01,
};
// DCGAN's (Radford et al. 2016): Adam 2e-4, β = (0.5, 0.999), no R1.
const SHARED_IMAGES: Settings = { ...SHARED_TOY, lrG: 2e-4, lrD: 2e-4, beta1: 0.5, beta2: 0.999, r1: 0 };

const EXPECTED: Record<Game, { toy: Settings; images: Settings }> = {
  nonsaturating: { toy: SHARED_TOY, images: SHARED_IMAGES },
  minimax: { toy: SHARED_TOY, images: SHARED_IMAGES },
  // Measured on grid25: D at G's rate on toy data.
  lsgan: { toy: { ...SHARED_TOY, lrD: 1e-3 }, images: SHARED_IMAGES },
  hinge: { toy: { ...SHARED_TOY, lrD: 1e-3 }, images: SHARED_IMAGES },
  // Arjovsky et al. 2017: no momentum; on toy data a clipping bound of s/8 (measured), 2/8 on grid25.
  wgan: { toy: { ...SHARED_TOY, clip: 0.25 }, images: { ...SHARED_IMAGES, beta1: 0 } },
  // Gulrajani et al. 2017: no R1; λ = 0.1 on toy data (their toy script), 10 on images.
  'wgan-gp': { toy: { ...SHARED_TOY, r1: 0, gpWeight: 0.1 }, images: SHARED_IMAGES },
};

const pick = (o: TrainOptions): Settings =>
  Object.fromEntries(SETTINGS.map((name) => [name, o[name]])) as unknown as Settings;

test('each game resolves to its recommended settings on toy data and on images', () => {
  for (const loss of GAMES) {
    assert.deepEqual(pick(resolveOptions({ data: 'grid25', loss })), EXPECTED[loss].toy, `${loss} on grid25`);
    assert.deepEqual(
      pick(resolveOptions({ data: 'fashion-mnist', model: 'dcgan', loss })),
      EXPECTED[loss].images,
      `${loss} on fashion-mnist`,
    );
  }
});

test("WGAN's clipping bound on toy data is an eighth of the distance between neighbouring modes", () => {
  // ring8: 8 modes on the unit circle, 2·sin(π/8) apart.
  const ring8 = (2 * Math.sin(Math.PI / 8)) / 8;
  assert.ok(Math.abs(resolveOptions({ data: 'ring8', loss: 'wgan' }).clip - ring8) < 1e-12);
  assert.equal(resolveOptions({ data: 'grid25', loss: 'wgan' }).clip, 0.25);
  assert.equal(resolveOptions({ data: 'fashion-mnist', loss: 'wgan' }).clip, 0.01);
});

test("the user's settings win over a game's recommendation, each one on its own", () => {
  const mine: Settings = {
    dSteps: 3,
    optimizer: 'sgd',
    lrG: 3e-4,
    lrD: 5e-4,
    beta1: 0.25,
    beta2: 0.95,
    r1: 0.5,
    gpWeight: 2,
    clip: 0.2,
  };
  for (const loss of GAMES) {
    for (const name of SETTINGS) {
      const o = resolveOptions({ data: 'grid25', loss, [name]: mine[name] });
      assert.deepEqual(o[name], mine[name], `${loss}: ${name} as given`);
      // The other settings keep the game's recommendation.
      for (const other of SETTINGS.filter((n) => n !== name))
        assert.deepEqual(o[other], EXPECTED[loss].toy[other], `${loss}: ${other} beside a given ${name}`);
    }
  }
  // R1 set to 0 stays off, and set for wgan-gp stays on.
  assert.equal(resolveOptions({ data: 'ring8', r1: 0 }).r1, 0);
  assert.equal(resolveOptions({ data: 'ring8', loss: 'wgan-gp', r1: 0.02 }).r1, 0.02);
});

const check = (o: Partial<RecipeCheck>): RecipeCheck => ({
  loss: 'nonsaturating',
  optimizer: 'adam',
  beta1: 0,
  momentum: 0.9,
  r1: 0,
  ...o,
});
const none = new Set<string>();

test('no warning for any game with its own settings, on toy data or images', () => {
  for (const loss of GAMES) {
    for (const data of ['ring8', 'grid25']) {
      const o = resolveOptions({ data, loss });
      assert.deepEqual(recipeWarnings(o, none), [], `${loss} on ${data}`);
    }
    const images = resolveOptions({ data: 'mnist', loss });
    assert.deepEqual(recipeWarnings(images, none), [], `${loss} on mnist`);
  }
});

test('a warning, in words, for each combination known to train poorly', () => {
  const cases: [Partial<RecipeCheck>, Set<string>, RegExp][] = [
    [
      { loss: 'wgan', beta1: 0.5 },
      none,
      /^WGAN's weight clipping with Adam's momentum \(beta1 0\.5\) trains poorly.*--beta1 0/,
    ],
    [
      { loss: 'wgan', optimizer: 'sgd', momentum: 0.9 },
      none,
      /^WGAN's weight clipping with SGD's momentum.*--momentum 0/,
    ],
    [{ loss: 'wgan-gp', r1: 0.1 }, none, /^R1 \(r1 0\.1\) together with WGAN-GP's gradient penalty.*--r1 0/],
    [
      { loss: 'wgan-gp' },
      new Set(['clip']),
      /^--clip applies only to --loss wgan.*replaced clipping by the gradient penalty/,
    ],
    [{ loss: 'hinge' }, new Set(['clip']), /^--clip applies only to --loss wgan, and this run plays hinge/],
    [{ loss: 'wgan' }, new Set(['gpWeight']), /^--gp-weight applies only to --loss wgan-gp.*use --loss wgan-gp/],
  ];
  for (const [o, given, words] of cases) {
    const warnings = recipeWarnings(check(o), given);
    assert.equal(warnings.length, 1, `${JSON.stringify(o)}: ${warnings.join(' | ')}`);
    assert.match(warnings[0], words);
  }
  // Each is a warning only where it applies.
  assert.deepEqual(recipeWarnings(check({ loss: 'hinge', beta1: 0.5 }), none), []);
  assert.deepEqual(recipeWarnings(check({ loss: 'wgan', optimizer: 'sgd', momentum: 0 }), none), []);
  assert.deepEqual(recipeWarnings(check({ loss: 'nonsaturating', r1: 0.1 }), none), []);
  assert.deepEqual(recipeWarnings(check({ loss: 'wgan' }), new Set(['clip'])), []);
});
