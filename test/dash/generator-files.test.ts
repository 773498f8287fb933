// A real `gankit dash` serving models to the playground (src/dash/generator-files.ts): a
// G with spectrally normalised layers comes as plain tfjs layers, its model.json and the
// weights.bin beside it folded, and computes what the G on the disk computes (tfjs in this
// process, on the served bytes alone); a G without them, and a model.json that is no
// model, come byte for byte as on the disk.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../src/backend/index.js';
import { saveModel } from '../../src/io/model-files.js';
import {
  powerIterate,
  spectralConv2d,
  spectralConv2dTranspose,
  spectralDense,
} from '../../src/networks/spectral-norm.js';
import { bearer, request, startDash, type Dash } from './dash-process.js';
import { tempDir } from './fake-runs.js';

await initBackend('cpu');

let runs: string;
let dash: Dash;
let spectral: tfl.LayersModel;
const G = 'checkpoints/step-0000002/generator';

/** z [8] → spectral dense → reshape [2, 2, 3] → spectral conv2dTranspose → spectral conv2d: a tiny image G. */
function spectralG(): tfl.LayersModel {
  const init = (seed: number) => tfl.initializers.randomNormal({ mean: 0, stddev: 0.5, seed });
  const z = tfl.input({ shape: [8] });
  const layers = [
    spectralDense({ units: 12, kernelInitializer: init(1), biasInitializer: init(2), uSeed: 3 }),
    tfl.layers.reshape({ targetShape: [2, 2, 3] }),
    spectralConv2dTranspose({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      kernelInitializer: init(4),
      uSeed: 5,
    }),
    spectralConv2d({ filters: 2, kernelSize: 3, padding: 'same', kernelInitializer: init(6), uSeed: 7 }),
  ];
  return tfl.model({ inputs: z, outputs: layers.reduce((h, l) => l.apply(h) as tfl.SymbolicTensor, z) });
}

before(async () => {
  runs = tempDir('generator-files');
  spectral = spectralG();
  powerIterate(spectral);
  mkdirSync(path.join(runs, 'sn', G), { recursive: true });
  await saveModel(spectral, path.join(runs, 'sn', G));
  const z = tfl.input({ shape: [8] });
  const plain = tfl.model({ inputs: z, outputs: tfl.layers.dense({ units: 2 }).apply(z) as tfl.SymbolicTensor });
  mkdirSync(path.join(runs, 'plain', G), { recursive: true });
  await saveModel(plain, path.join(runs, 'plain', G));
  plain.dispose();
  mkdirSync(path.join(runs, 'notes'), { recursive: true });
  writeFileSync(path.join(runs, 'notes', 'model.json'), '{"not": "a model", "GankitSpectralDense": 1');
  dash = await startDash(runs);
});

after(async () => {
  spectral.dispose();
  assert.equal(await dash.stop(), 0, dash.output());
});

const get = (file: string) => request(dash.port, `/files/${file}`, { headers: bearer(dash.token) });

test('a G without spectral layers, and a model.json that is no model, are served byte for byte', async () => {
  for (const file of [`plain/${G}/model.json`, `plain/${G}/weights.bin`, 'notes/model.json']) {
    const answer = await get(file);
    assert.equal(answer.status, 200, file);
    assert.ok(answer.body.equals(readFileSync(path.join(runs, file))), `${file} as on the disk`);
  }
});

test("a G with spectral layers is served folded: plain tfjs layers, no u, and the disk's G's outputs", async () => {
  const [json, weights] = await Promise.all([get(`sn/${G}/model.json`), get(`sn/${G}/weights.bin`)]);
  assert.equal(json.status, 200, json.text);
  assert.equal(weights.status, 200, weights.text);
  assert.equal(json.headers['content-type'], 'application/json');
  assert.match(readFileSync(path.join(runs, 'sn', G, 'model.json'), 'utf8'), /GankitSpectralConv2DTranspose/);
  assert.doesNotMatch(json.text, /"class_name":"GankitSpectral|u_seed|\/u"/);
  const modelJson = json.json();
  assert.deepEqual(modelJson.weightsManifest[0].paths, ['./weights.bin']);
  const folded = await tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest[0].weights,
      weightData: new Uint8Array(weights.body).buffer,
    }),
  );
  assert.deepEqual(
    folded.layers.map((l) => l.getClassName()),
    ['InputLayer', 'Dense', 'Reshape', 'Conv2DTranspose', 'Conv2D'],
  );
  const z = tf.randomNormal([5, 8], 0, 1, 'float32', 9);
  const [expected, actual] = tf.tidy(() => [spectral.predict(z) as tf.Tensor, folded.predict(z) as tf.Tensor]);
  const [e, a] = [expected.dataSync() as Float32Array, actual.dataSync() as Float32Array];
  assert.equal(a.length, 5 * 4 * 4 * 2);
  const gap = a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - e[i])), 0);
  assert.ok(gap <= 1e-5, `the served G differs from the disk's by ${gap}`);
  tf.dispose([z, expected, actual]);
  folded.dispose();
});
