// Spectral normalisation (src/networks/spectral-norm.ts) against independent references:
// σ after many power iterations against the largest singular value from ml-matrix's SVD
// of the kernel reshaped here, index by index, to [fan-out, rest]; the gradient through
// W/σ against central finite differences; a save/load round trip that keeps u (the
// folded model against the layers: test/io/fold-spectral.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Matrix, SVD } from 'ml-matrix';
import {
  powerIterate,
  spectralConv2d,
  spectralConv2dTranspose,
  spectralDense,
  spectralLayers,
  type SpectralLayer,
} from '../../src/networks/spectral-norm.js';
import { loadModel, saveModel } from '../../src/io/model-files.js';
import { initBackend } from '../../src/backend/index.js';

await initBackend('auto');

const init = (seed: number) => tfl.initializers.randomNormal({ mean: 0, stddev: 0.5, seed });

/** Each kind on a small input: the layer, its input shape, and the kernel's output-channel axis. */
const CASES = [
  { kind: 'dense', input: [5, 6], make: () => spectralDense({ units: 4, kernelInitializer: init(1), uSeed: 2 }) },
  {
    kind: 'conv2d',
    input: [2, 5, 5, 1],
    make: () =>
      spectralConv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(3), uSeed: 4 }),
  },
  {
    kind: 'conv2dTranspose',
    input: [2, 3, 3, 4],
    make: () =>
      spectralConv2dTranspose({
        filters: 2,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        kernelInitializer: init(5),
        uSeed: 6,
      }),
  },
] as const;

/** The kernel as the paper's matrix [fan-out, rest], written out index by index for each layout. */
function paperMatrix(kind: string, kernel: tf.Tensor): Matrix {
  const values = kernel.dataSync();
  const shape = kernel.shape;
  if (kind === 'dense') {
    const [inputs, outputs] = shape; // [in, out]
    return Matrix.from1DArray(
      outputs,
      inputs,
      Array.from({ length: outputs * inputs }, (_, k) => {
        const [o, i] = [Math.floor(k / inputs), k % inputs];
        return values[i * outputs + o];
      }),
    );
  }
  const [kh, kw, a, b] = shape;
  // conv2d: [h, w, in, out]; conv2dTranspose: [h, w, out, in] (tfjs's layout for both).
  const [outs, ins] = kind === 'conv2d' ? [b, a] : [a, b];
  const at = (h: number, w: number, i: number, o: number) =>
    kind === 'conv2d' ? values[((h * kw + w) * a + i) * b + o] : values[((h * kw + w) * a + o) * b + i];
  const rest = kh * kw * ins;
  const m = new Matrix(outs, rest);
  for (let o = 0; o < outs; o++)
    for (let h = 0; h < kh; h++)
      for (let w = 0; w < kw; w++) for (let i = 0; i < ins; i++) m.set(o, (h * kw + w) * ins + i, at(h, w, i, o));
  return m;
}

function built(make: () => SpectralLayer, input: readonly number[]): SpectralLayer {
  const layer = make();
  tf.dispose(layer.apply(tf.zeros(input as number[])) as tf.Tensor);
  return layer;
}

for (const c of CASES) {
  test(`${c.kind}: σ after power iterations is the largest singular value of the [fan-out, rest] kernel (SVD)`, () => {
    const layer = built(c.make, c.input);
    const svd = new SVD(paperMatrix(c.kind, layer.kernel!.read()), { autoTranspose: true });
    const [largest, second] = svd.diagonal;
    // Against the other reshape ([fan-in, rest]) the test could not tell the axes apart if σ agreed there too.
    assert.ok(largest - second > 0.05 * largest, `the singular values ${largest}, ${second} are too close to test`);
    if (c.kind !== 'dense') {
      // The other reshape, [fan-in, rest], has another largest singular value: σ tells the axes apart.
      const other = new SVD(paperMatrix(c.kind === 'conv2d' ? 'conv2dTranspose' : 'conv2d', layer.kernel!.read()), {
        autoTranspose: true,
      }).diagonal[0];
      assert.ok(Math.abs(other - largest) > 0.02 * largest, `both reshapes give σ ≈ ${largest}`);
    }
    for (let k = 0; k < 300; k++) powerIterate([layer]);
    const sigma = layer.sigma();
    const got = sigma.dataSync()[0];
    sigma.dispose();
    assert.ok(Math.abs(got - largest) <= 1e-3 * largest, `σ ${got}, SVD ${largest}`);
    // The layer then computes with W/σ: its output is that of the plain kernel scaled by 1/σ (bias zero).
    const x = tf.randomNormal(c.input as unknown as number[], 0, 1, 'float32', 7);
    const y = layer.apply(x) as tf.Tensor;
    const plain = tf.tidy(() => {
      const kernel = layer.kernel!.read();
      if (c.kind === 'dense') return tf.div(tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D), largest);
      if (c.kind === 'conv2d') return tf.div(tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 2, 'same'), largest);
      const [b, h, w] = x.shape;
      const out = [b, h * 2, w * 2, kernel.shape[2]] as [number, number, number, number];
      return tf.div(tf.conv2dTranspose(x as tf.Tensor4D, kernel as tf.Tensor4D, out, 2, 'same'), largest);
    });
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(y, plain))).dataSync()[0]);
    assert.ok(gap < 1e-4, `output differs from kernel/σ_SVD by ${gap}`);
    tf.dispose([x, y, plain]);
    layer.dispose();
  });

  test(`${c.kind}: the gradient through W/σ matches central finite differences`, () => {
    const layer = built(c.make, c.input);
    powerIterate([layer]); // u somewhere between its seed and the top singular vector, as in training
    const x = tf.randomNormal(c.input as unknown as number[], 0, 1, 'float32', 8);
    const outputWeights = tf.tidy(() => tf.randomNormal((layer.apply(x) as tf.Tensor).shape, 0, 1, 'float32', 9));
    // ½‖y + r‖²: a loss of O(1) whose gradient has a large component along W, where σ's own gradient acts.
    const lossOf = (y: tf.Tensor) => tf.mul(0.5, tf.sum(tf.square(tf.add(y, outputWeights)))) as tf.Scalar;
    const loss = () => lossOf(layer.apply(x) as tf.Tensor);
    const kernel = layer.kernel!.read() as tf.Variable;
    const { value, grads } = tf.variableGrads(loss, [kernel]);
    const analytic = grads[kernel.name].dataSync().slice();
    const base = kernel.dataSync().slice();
    // float32 and a loss of O(1): eps 1e-2 keeps rounding (~1e-7/eps) and truncation (~eps²) near 1e-4 of it.
    const eps = 1e-2;
    const numeric = new Float32Array(base.length);
    for (let k = 0; k < base.length; k++) {
      const at = (delta: number) => {
        const w = base.slice();
        w[k] += delta;
        tf.tidy(() => kernel.assign(tf.tensor(w, kernel.shape)));
        return tf.tidy(() => loss().dataSync()[0]);
      };
      numeric[k] = (at(eps) - at(-eps)) / (2 * eps);
    }
    tf.tidy(() => kernel.assign(tf.tensor(base, kernel.shape)));
    const largest = Math.max(...Array.from(numeric, Math.abs));
    const gap = (g: ArrayLike<number>) => Math.max(...Array.from(numeric, (n, k) => Math.abs(n - g[k])));
    assert.ok(gap(analytic) <= 1e-2 * largest, `finite differences differ by ${gap(analytic)} (largest ${largest})`);
    // The test can tell: the gradient with σ held constant (of the plain op on W/σ) fails the same tolerance.
    const sigma = tf.tidy(() => layer.sigma().dataSync()[0]);
    const fixedSigma = tf.tidy(() =>
      tf
        .grad((w: tf.Tensor) => tf.sum(tf.mul(plainOp(c.kind, x, tf.div(w, sigma)), outputWeights)))(kernel)
        .dataSync(),
    );
    assert.ok(gap(fixedSigma) > 2 * 1e-2 * largest, `σ's own gradient is too small here to test (${gap(fixedSigma)})`);
    tf.dispose([x, outputWeights, value, grads[kernel.name]]);
    layer.dispose();
  });
}

/** The layer's operation with a given kernel (no bias: the cases' layers have zero bias). */
function plainOp(kind: string, x: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
  if (kind === 'dense') return tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D);
  if (kind === 'conv2d') return tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 2, 'same');
  const [b, h, w] = x.shape;
  const out = [b, h * 2, w * 2, kernel.shape[2]] as [number, number, number, number];
  return tf.conv2dTranspose(x as tf.Tensor4D, kernel as tf.Tensor4D, out, 2, 'same');
}

test('a model with spectrally normalised layers saves and loads with u', async () => {
  const x = tfl.input({ shape: [6, 6, 2] });
  let h = spectralConv2d({
    filters: 3,
    kernelSize: 3,
    padding: 'same',
    kernelInitializer: init(11),
    uSeed: 12,
    name: 'c',
  }).apply(x) as tfl.SymbolicTensor;
  h = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor;
  h = spectralDense({ units: 2, kernelInitializer: init(13), uSeed: 14, name: 'd' }).apply(h) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: x, outputs: h });
  assert.equal(spectralLayers(model).length, 2);
  powerIterate(model);
  const input = tf.randomNormal([3, 6, 6, 2], 0, 1, 'float32', 15);
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-sn-'));
  try {
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    // u is saved as it was after the iteration (a fresh layer would draw it from its seed again).
    const us = (m: tfl.LayersModel) => spectralLayers(m).map((l) => Array.from(l.u!.read().dataSync()));
    assert.deepEqual(us(loaded), us(model));
    assert.equal(loaded.trainableWeights.length, 4, 'u is not trainable');
    const [a, b] = tf.tidy(() => [model.predict(input) as tf.Tensor, loaded.predict(input) as tf.Tensor]);
    assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()), 'the loaded model computes the same');
    tf.dispose([a, b]);
    loaded.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    input.dispose();
    model.dispose();
  }
});
