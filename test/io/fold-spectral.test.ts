// The pure-JS fold of spectral normalisation (src/io/fold-spectral.ts) against tfjs's own
// layers: a model holding all three spectral kinds (a non-square kernel each, so a wrong
// output axis gives another σ), its u moved by power iterations, folded from its files and
// rebuilt by tfjs from plain classes alone, computes what the spectral model computes; the
// other weights keep their bytes; a model without spectral layers comes back untouched; a
// spectral layer without its u is refused with the layer named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { foldSpectral, hasSpectralLayers } from '../../src/io/fold-spectral.js';
import { modelFiles } from '../../src/io/model-files.js';
import type { ModelFiles } from '../../src/io/model-json.js';
import {
  powerIterate,
  spectralConv2d,
  spectralConv2dTranspose,
  spectralDense,
} from '../../src/networks/spectral-norm.js';
import { initBackend } from '../../src/backend/index.js';

await initBackend('cpu');

const init = (seed: number) => tfl.initializers.randomNormal({ mean: 0, stddev: 0.5, seed });

/** Input [6, 6, 2] → spectral conv2d → batch norm → spectral conv2dTranspose → flatten → spectral dense → dense. */
function spectralModel(): tfl.LayersModel {
  const x = tfl.input({ shape: [6, 6, 2] });
  const layers = [
    spectralConv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(1), uSeed: 2 }),
    tfl.layers.batchNormalization({ gammaInitializer: init(3), betaInitializer: init(4) }),
    spectralConv2dTranspose({
      filters: 5,
      kernelSize: 2,
      strides: 2,
      padding: 'same',
      kernelInitializer: init(5),
      biasInitializer: init(6),
      uSeed: 7,
    }),
    tfl.layers.flatten(),
    spectralDense({ units: 4, kernelInitializer: init(8), biasInitializer: init(9), uSeed: 10, name: 'sn_dense' }),
    tfl.layers.dense({ units: 2, kernelInitializer: init(11) }),
  ];
  const y = layers.reduce((h, layer) => layer.apply(h) as tfl.SymbolicTensor, x);
  return tfl.model({ inputs: x, outputs: y });
}

/** tfjs's model from the files, with gankit's layer classes out of reach: they must not be needed. */
async function plainModel(files: ModelFiles): Promise<tfl.LayersModel> {
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  const spectral = Object.keys(map).filter((name) => name.startsWith('GankitSpectral'));
  const saved = spectral.map((name) => [name, map[name]] as const);
  for (const name of spectral) delete map[name];
  try {
    return await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: files.modelJson['modelTopology'] as object,
        weightSpecs: files.specs,
        weightData: files.weights.slice().buffer,
      }),
    );
  } finally {
    for (const [name, entry] of saved) map[name] = entry;
  }
}

test('the folded model of all three spectral kinds computes what the spectral layers compute, to 1e-5', async () => {
  const model = spectralModel();
  for (let i = 0; i < 3; i++) powerIterate(model);
  const input = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 12);
  const files = await modelFiles(model);
  const folded = foldSpectral(files);
  assert.ok(hasSpectralLayers(files.modelJson['modelTopology']));
  assert.ok(!hasSpectralLayers(folded.modelJson['modelTopology']));
  assert.doesNotMatch(JSON.stringify(folded.modelJson), /"class_name":"GankitSpectral|u_seed|uSeed|\/u"/);
  assert.deepEqual(
    folded.specs.map((s) => s.name),
    files.specs.map((s) => s.name).filter((name) => !name.endsWith('/u')),
    'every weight but u, in order',
  );
  const plain = await plainModel(folded);
  try {
    assert.deepEqual(
      plain.layers.map((l) => l.getClassName()),
      ['InputLayer', 'Conv2D', 'BatchNormalization', 'Conv2DTranspose', 'Flatten', 'Dense', 'Dense'],
    );
    const [expected, actual] = tf.tidy(() => [model.predict(input) as tf.Tensor, plain.predict(input) as tf.Tensor]);
    const [e, a] = [expected.dataSync() as Float32Array, actual.dataSync() as Float32Array];
    const gap = a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - e[i])), 0);
    assert.ok(gap <= 1e-5, `the folded model differs by ${gap}`);
    tf.dispose([expected, actual]);

    // The kernels are W/σ with σ ≠ 1 (else the fold would be untested), the other weights their own bytes.
    const original = new Map(model.weights.map((w) => [w.originalName, w.read().dataSync()]));
    const spectralKernels = [...original.keys()].filter((n) => n.endsWith('/u')).map((n) => n.replace(/u$/, 'kernel'));
    assert.equal(spectralKernels.length, 3);
    for (const w of plain.weights) {
      const [now, before] = [w.read().dataSync(), original.get(w.originalName)!];
      if (!spectralKernels.includes(w.originalName))
        assert.deepEqual(Array.from(now), Array.from(before), w.originalName);
      else {
        const ratio = before[0] / now[0];
        assert.ok(Math.abs(ratio - 1) > 0.05, `${w.originalName}: σ = ${ratio}`);
        now.forEach((v, i) => assert.ok(Math.abs(v * ratio - before[i]) <= 1e-5 * Math.abs(before[i]) + 1e-7));
      }
    }
  } finally {
    plain.dispose();
    model.dispose();
    input.dispose();
  }
});

test('a model without spectral layers comes back as it is; a spectral layer without u is refused, named', async () => {
  const x = tfl.input({ shape: [3] });
  const plain = tfl.model({ inputs: x, outputs: tfl.layers.dense({ units: 2 }).apply(x) as tfl.SymbolicTensor });
  const files = await modelFiles(plain);
  assert.equal(foldSpectral(files), files);
  plain.dispose();

  const spectral = tfl.model({
    inputs: x,
    outputs: spectralDense({ units: 2, uSeed: 1, name: 'sn' }).apply(x) as tfl.SymbolicTensor,
  });
  const withU = await modelFiles(spectral);
  spectral.dispose();
  const uIndex = withU.specs.findIndex((s) => s.name === 'sn/u');
  const withoutU: ModelFiles = {
    ...withU,
    specs: withU.specs.filter((_, i) => i !== uIndex),
    weights: withU.weights.slice(0, withU.weights.byteLength - 8), // u is last: 2 float32
  };
  assert.equal(uIndex, withU.specs.length - 1);
  assert.throws(() => foldSpectral(withoutU), /layer sn \(GankitSpectralDense\) to have a float32 weight sn\/u/);
  assert.throws(
    () => foldSpectral({ ...withU, weights: withU.weights.subarray(4) }),
    /Expected 40 bytes of weights, as the manifest lists, but received 36/,
  );
});
