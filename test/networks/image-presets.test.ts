// The image presets: DCGAN for 28, 32 and 64 px with 1 or 3 channels, and the
// maxout MLP of Goodfellow et al. 2014 — shapes, parameter counts by hand, a
// save/load round trip (the maxout layer must deserialise), and clear refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { dcganDiscriminator, dcganGenerator } from '../../src/networks/dcgan.js';
import { Maxout, mlpImageDiscriminator, mlpImageGenerator } from '../../src/networks/mlp-image.js';
import { presetNetworks } from '../../src/networks/presets.js';
import { loadModel, saveModel } from '../../src/io/model-files.js';
import { Rng } from '../../src/rng.js';
import { initBackend } from '../../src/backend/index.js';

await initBackend('auto');

test('DCGAN presets: every size and channel count maps z to an image and an image to one logit', () => {
  for (const size of [28, 32, 64] as const) {
    for (const channels of [1, 3] as const) {
      const G = dcganGenerator({ size, channels }, 16, 1);
      const D = dcganDiscriminator({ size, channels }, 2);
      const [x, logit] = tf.tidy(() => {
        const images = G.predict(tf.randomNormal([2, 16])) as tf.Tensor;
        return [images.shape, (D.predict(images) as tf.Tensor).shape];
      });
      assert.deepEqual(x, [2, size, size, channels], `G ${size}×${channels}`);
      assert.deepEqual(logit, [2, 1], `D ${size}×${channels}`);
      G.dispose();
      D.dispose();
    }
  }
});

test('DCGAN-32 has the parameters the plan says (4×4×256 → 8×8×128 → 16×16×64 → 32×32×3)', () => {
  const G = dcganGenerator({ size: 32, channels: 3 }, 100, 1);
  // dense 100·4096 + BN 4·4096 (γ, β, moving mean, variance) + deconvs 16·(256·128 + 128·64 + 64·3) + BN 4·(128 + 64)
  assert.equal(G.countParams(), 100 * 4096 + 4 * 4096 + 16 * (256 * 128 + 128 * 64 + 64 * 3) + 4 * (128 + 64));
  const D = dcganDiscriminator({ size: 32, channels: 3 }, 1);
  // convs 16·(3·64 + 64·128 + 128·256) + BN 4·(128 + 256) + dense 4·4·256 + 1
  assert.equal(D.countParams(), 16 * (3 * 64 + 64 * 128 + 128 * 256) + 4 * (128 + 256) + 4 * 4 * 256 + 1);
  G.dispose();
  D.dispose();
});

test('gExtraConvs: 3×3 convolutions at every resolution but the last, 0 being DCGAN-28', () => {
  const plain = dcganGenerator({ size: 28, channels: 1 }, 100, 1);
  const refined = dcganGenerator({ size: 28, channels: 1 }, 100, 1, false, 2);
  // 28 px: only the 14×14×64 block is followed by convolutions; each 9·64·64 weights + BN 4·64.
  assert.equal(refined.countParams() - plain.countParams(), 2 * (9 * 64 * 64 + 4 * 64));
  const convs = refined.layers.filter((l) => l.getClassName() === 'Conv2D');
  assert.deepEqual(
    convs.map((l) => (l.outputShape as number[]).slice(1)),
    [
      [14, 14, 64],
      [14, 14, 64],
    ],
  );
  assert.equal(plain.layers.filter((l) => l.getClassName() === 'Conv2D').length, 0);
  // DCGAN-32: after the 8×8×128 and the 16×16×64 blocks.
  const g32 = dcganGenerator({ size: 32, channels: 3 }, 100, 1, false, 1);
  const base32 = 100 * 4096 + 4 * 4096 + 16 * (256 * 128 + 128 * 64 + 64 * 3) + 4 * (128 + 64);
  assert.equal(g32.countParams(), base32 + 9 * (128 * 128 + 64 * 64) + 4 * (128 + 64));
  const images = tf.tidy(() => (refined.predict(tf.randomNormal([2, 100])) as tf.Tensor).shape);
  assert.deepEqual(images, [2, 28, 28, 1]);
  [plain, refined, g32].forEach((m) => m.dispose());
});

test("maxout takes the largest of each unit's pieces", () => {
  const layer = new Maxout({ pieces: 3 });
  const y = layer.apply(tf.tensor2d([[1, 5, 2, -1, -3, -2]])) as tf.Tensor;
  assert.deepEqual(Array.from(y.dataSync()), [5, -1]);
  y.dispose();
});

test('the image MLP saves and loads back with its maxout layers', async () => {
  const rng = new Rng(1);
  const shape = { image: [28, 28, 1] as [number, number, number], gHidden: [32], dHidden: [8], pieces: 5 };
  const G = mlpImageGenerator(10, shape, rng);
  const D = mlpImageDiscriminator(shape, rng);
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-maxout-'));
  await saveModel(D, dir);
  const back = await loadModel(dir);
  const [a, b] = tf.tidy(() => {
    const x = G.predict(tf.randomNormal([3, 10], 0, 1, 'float32', 4)) as tf.Tensor;
    return [(D.predict(x) as tf.Tensor).dataSync(), (back.predict(x) as tf.Tensor).dataSync()];
  });
  assert.deepEqual(Array.from(b), Array.from(a));
  // dense 784·40 + 40, maxout 8·5 pieces → 8, logit 8 + 1
  assert.equal(D.countParams(), 784 * 40 + 40 + 8 + 1);
  [G, D, back].forEach((m) => m.dispose());
});

test('presets refuse what they cannot build, saying why', () => {
  const rng = new Rng(1);
  const opts = { model: 'dcgan' as const, latentDim: 8, gHidden: [8], dHidden: [8] };
  assert.throws(
    () => presetNetworks(opts, [48, 48, 3], rng),
    /Expected a DCGAN image size of 28, 32, 64 but received 48; resize the data with --size/,
  );
  assert.throws(
    () => presetNetworks(opts, [28, 32, 1], rng),
    /Expected square images for the DCGAN preset but received 28×32/,
  );
  assert.throws(
    () => presetNetworks(opts, [32, 32, 4], rng),
    /Expected 1 or 3 image channels for DCGAN but received 4/,
  );
  assert.throws(() => presetNetworks({ ...opts }, [2], rng), /Expected model mlp for 2D data but received dcgan/);
});
