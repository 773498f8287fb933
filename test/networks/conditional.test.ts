// The conditional presets: shapes on 2D points and on images, labels that reach G and
// D, and a model format that survives a save and load with two inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../src/backend/index.js';
import { Conditioning, CONDITIONAL_MODELS, type ConditionalModel } from '../../src/games/conditional.js';
import { loadModel, saveModel } from '../../src/io/model-files.js';
import { presetNetworks } from '../../src/networks/presets.js';
import { Rng } from '../../src/rng.js';

await initBackend();

const conditioning = (model: ConditionalModel) =>
  model === 'infogan' ? new Conditioning(model, 10, 2) : new Conditioning(model, 10);
const shapes = (ts: tfl.SymbolicTensor[]) => ts.map((t) => t.shape.slice(1));
const options = { latentDim: 8, gHidden: [16], dHidden: [16] };

for (const model of CONDITIONAL_MODELS) {
  for (const shape of [[2], [28, 28, 1], [32, 32, 3]]) {
    test(`${model} on ${shape.join('×')}: G(z, c) and D's inputs and outputs`, () => {
      const cond = conditioning(model);
      const { generator: G, discriminator: D } = presetNetworks({ model, ...options }, shape, new Rng(1), cond);
      assert.deepEqual(shapes(G.inputs), [[8], [cond.codeDim]]);
      assert.deepEqual(shapes(G.outputs), [shape]);
      assert.deepEqual(shapes(D.inputs), model === 'cgan' ? [shape, [10]] : [shape]);
      assert.deepEqual(shapes(D.outputs), [[1 + cond.auxDim]]);
      G.dispose();
      D.dispose();
    });
  }
}

test('the label reaches G and D: changing y alone changes their outputs', () => {
  const cond = conditioning('cgan');
  const { generator: G, discriminator: D } = presetNetworks(
    { model: 'cgan', ...options },
    [28, 28, 1],
    new Rng(2),
    cond,
  );
  const z = tf.randomNormal([4, 8], 0, 1, 'float32', 3) as tf.Tensor2D;
  const codes = (k: number) => cond.encode(new Int32Array(4).fill(k));
  const make = (k: number) => G.apply(cond.generatorInputs(z, codes(k)), { training: false }) as tf.Tensor;
  const [a, b] = [make(0), make(7)];
  assert.ok(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] > 1e-4, 'G ignores y');
  const judge = (k: number) => cond.judge(D, a, codes(k), false).logits.dataSync();
  assert.notDeepEqual(Array.from(judge(0)), Array.from(judge(7)), 'D ignores y');
  tf.dispose([z, a, b]);
});

test('a two-input G saves and loads as a tfjs model, same outputs', async () => {
  const cond = conditioning('infogan');
  const { generator: G } = presetNetworks({ model: 'infogan', ...options }, [28, 28, 1], new Rng(4), cond);
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-conditional-'));
  await saveModel(G, dir);
  const loaded = await loadModel(dir);
  const inputs = cond.generatorInputs(
    tf.randomNormal([3, 8], 0, 1, 'float32', 5) as tf.Tensor2D,
    cond.draw(new Rng(6), 3),
  );
  const [x, y] = [G.predict(inputs) as tf.Tensor, loaded.predict(inputs) as tf.Tensor];
  assert.deepEqual(Array.from(x.dataSync()), Array.from(y.dataSync()));
  tf.dispose([x, y, ...inputs]);
});

test('a conditional preset asks for its conditioning', () => {
  assert.throws(
    () => presetNetworks({ model: 'acgan', ...options }, [2], new Rng(1)),
    /Expected the run's conditioning \(labels and codes\) for model acgan but received none/,
  );
  assert.throws(
    () => presetNetworks({ model: 'cgan', ...options }, [28, 28, 1], new Rng(1), conditioning('acgan')),
    /Expected the conditioning of model cgan but received that of acgan/,
  );
  assert.throws(
    () => presetNetworks({ model: 'cgan', ...options }, [20, 20, 1], new Rng(1), conditioning('cgan')),
    /Expected a DCGAN image size of 28, 32, 64 but received 20/,
  );
});
