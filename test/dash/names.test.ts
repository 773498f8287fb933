// The names the dashboard accepts for a new training are listed in src/dash/names.ts,
// because the lists of games and presets live in modules that load TensorFlow.js; this
// test (which may load it) checks they agree with the library's own lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GAMES } from '../../src/games/losses.js';
import { OPTIONS } from '../../src/train/options.js';
import { TOY_DATASETS } from '../../src/data/toy.js';
import { IMAGE_DATASETS } from '../../src/data/images/index.js';
import { DATA_NAMES, LOSS_NAMES, MODEL_NAMES, dataKind } from '../../src/dash/names.js';

test("the dashboard's game, preset and data names are the library's", () => {
  assert.deepEqual(LOSS_NAMES, GAMES);
  const model = OPTIONS.find((row) => row.name === 'model')!;
  assert.deepEqual(
    MODEL_NAMES,
    model.type.choices!.filter((c) => c !== 'custom'),
  );
  assert.deepEqual(DATA_NAMES, [...TOY_DATASETS, ...IMAGE_DATASETS]);
});

test('dataKind: toy data by its dimension, anything else is images', () => {
  assert.equal(dataKind('ring8'), 'toy2d');
  assert.equal(dataKind('gauss1d'), 'toy1d');
  assert.equal(dataKind('fashion-mnist'), 'image');
  assert.equal(dataKind('./photos'), 'image');
  assert.equal(dataKind(undefined), null);
});
