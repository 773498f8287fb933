// DiffAugment's transforms (src/train/augment.ts): each one with known parameters against the
// same transform written here on plain arrays, each one's Jacobian-vector product against
// central finite differences, on the cpu and the native backend; the draws' ranges, order
// and seeding; the penalties on augmented batches; and the refusal of non-image data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { nativeSkipReason, useBackend, type TestBackend } from '../backend/helpers.js';
import {
  adjustColor,
  augment,
  applyAugmentation,
  cutout,
  drawAugmentation,
  translate,
  AUGMENTATIONS,
  type AugmentDraw,
} from '../../src/train/augment.js';
import { resolveOptions } from '../../src/train/options.js';
import { Rng } from '../../src/rng.js';
import { train, type TrainRequest } from '../../src/train/trainer.js';
import { writeNpy } from '../../src/io/npy.js';
import { stepLines } from './run-files.js';

const nativeSkip = nativeSkipReason() ?? false;

/** A batch of seeded values in [−1, 1) of shape [n, h, w, c]. */
function batch(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  return tf.tensor4d(new Rng(seed).fillUniform(new Float32Array(shape.reduce((a, b) => a * b)), -1, 1), shape);
}

/** Element (b, i, j, k) of a row-major [n, h, w, c] array. */
const at = (shape: number[], b: number, i: number, j: number, k: number) =>
  ((b * shape[1] + i) * shape[2] + j) * shape[3] + k;

/** The translation written plainly: out[b, i, j] = x[b, i − dy, j − dx], 0 where that is outside. */
function translatedReference(x: Float32Array, shape: number[], dy: number[], dx: number[]): Float32Array {
  const [n, h, w, c] = shape;
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let k = 0; k < c; k++) {
          const [si, sj] = [i - dy[b], j - dx[b]];
          out[at(shape, b, i, j, k)] = si >= 0 && si < h && sj >= 0 && sj < w ? x[at(shape, b, si, sj, k)] : 0;
        }
  return out;
}

/** Colour written plainly, image by image: + brightness, channels around their mean, then pixels around theirs. */
function coloredReference(x: Float32Array, shape: number[], bright: number[], sat: number[] | null, con: number[]) {
  const [n, h, w, c] = shape;
  const out = Float64Array.from(x);
  const size = h * w * c;
  for (let b = 0; b < n; b++) {
    for (let p = b * size; p < (b + 1) * size; p++) out[p] += bright[b];
    if (sat)
      for (let p = b * size; p < (b + 1) * size; p += c) {
        let mean = 0;
        for (let k = 0; k < c; k++) mean += out[p + k] / c;
        for (let k = 0; k < c; k++) out[p + k] = (out[p + k] - mean) * sat[b] + mean;
      }
    let mean = 0;
    for (let p = b * size; p < (b + 1) * size; p++) mean += out[p] / size;
    for (let p = b * size; p < (b + 1) * size; p++) out[p] = (out[p] - mean) * con[b] + mean;
  }
  return out;
}

/** Equal element by element (0 and −0 alike: the zero fill may carry either sign). */
function assertSame(actual: Float32Array, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(actual[i] === expected[i], `${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

function assertClose(actual: Float32Array, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  assert.ok(worst <= tolerance, `${what}: largest difference ${worst} > ${tolerance}`);
}

/**
 * J·v of f at x by reverse mode twice (tfjs has no forward mode): Jᵀu = ∇ₓ⟨u, f(x)⟩, and ⟨Jᵀu, v⟩ is linear in u
 * with gradient J·v.
 */
function jacobianTimes(f: (x: tf.Tensor4D) => tf.Tensor, x: tf.Tensor4D, v: tf.Tensor4D): Float32Array {
  return tf.tidy(() => {
    const u0 = tf.zerosLike(f(x));
    const jv = tf.grad((u: tf.Tensor) => {
      const jtu = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(u, f(xx as tf.Tensor4D))))(x);
      return tf.sum(tf.mul(jtu, v));
    })(u0);
    return jv.dataSync() as Float32Array;
  });
}

/** (f(x + hv) − f(x − hv)) / 2h in float64 from float32 outputs. */
function centralDifference(f: (x: tf.Tensor4D) => tf.Tensor, x: tf.Tensor4D, v: tf.Tensor4D, h: number) {
  const [plus, minus] = tf.tidy(() => [
    f(tf.add(x, tf.mul(h, v)) as tf.Tensor4D).dataSync(),
    f(tf.sub(x, tf.mul(h, v)) as tf.Tensor4D).dataSync(),
  ]);
  return Float64Array.from(plus, (p, i) => (p - minus[i]) / (2 * h));
}

const backends: { name: TestBackend; skip: string | false }[] = [
  { name: 'cpu', skip: false },
  { name: 'native', skip: nativeSkip },
];

for (const { name, skip } of backends) {
  test(`translation by known shifts moves pixels and fills zeros, 1 and 3 channels (${name})`, { skip }, async () => {
    await useBackend(name);
    for (const shape of [
      [3, 6, 5, 1],
      [3, 6, 5, 3],
    ] as [number, number, number, number][]) {
      const dy = [2, -1, 0];
      const dx = [-1, 3, 0];
      const x = batch(shape, 1);
      const moved = translate(x, { dy: Int32Array.from(dy), dx: Int32Array.from(dx) });
      const values = x.dataSync() as Float32Array;
      assertSame(moved.dataSync() as Float32Array, translatedReference(values, shape, dy, dx), `shape ${shape}`);
      // Spelled out for image 0, moved 2 down and 1 left: its row 2 is row 0 from column 1 on, then a zero.
      const row = Array.from({ length: 5 }, (_, j) => (j < 4 ? values[at(shape, 0, 0, j + 1, 0)] : 0));
      const got = Array.from({ length: 5 }, (_, j) => moved.dataSync()[at(shape, 0, 2, j, 0)]);
      assert.deepEqual(got, row);
      tf.dispose([x, moved]);
    }
  });

  test(`cutout zeros exactly its square, also where the edge cuts it off (${name})`, { skip }, async () => {
    await useBackend(name);
    const shape: [number, number, number, number] = [3, 8, 7, 2];
    const x = batch(shape, 2);
    const draw = { top: Int32Array.from([1, -2, 5]), left: Int32Array.from([2, 4, -1]), height: 4, width: 3 };
    const cut = cutout(x, draw).dataSync() as Float32Array;
    const values = x.dataSync() as Float32Array;
    for (let b = 0; b < 3; b++)
      for (let i = 0; i < 8; i++)
        for (let j = 0; j < 7; j++)
          for (let k = 0; k < 2; k++) {
            const inside = i >= draw.top[b] && i < draw.top[b] + 4 && j >= draw.left[b] && j < draw.left[b] + 3;
            const p = at(shape, b, i, j, k);
            assert.ok(cut[p] === (inside ? 0 : values[p]), `image ${b} (${i}, ${j}, ${k}): ${cut[p]}`);
          }
    // Image 1's square starts 2 rows above the image: 2 rows × 3 columns × 2 channels are zero.
    const zeros = (b: number) => cut.slice(b * 112, (b + 1) * 112).filter((v) => v === 0).length;
    assert.deepEqual([zeros(0), zeros(1), zeros(2)], [24, 12, 12]);
    x.dispose();
  });

  test(
    `colour with known amounts equals brightness, saturation, contrast computed plainly (${name})`,
    { skip },
    async () => {
      await useBackend(name);
      for (const shape of [
        [2, 4, 5, 3],
        [2, 4, 5, 1],
      ] as [number, number, number, number][]) {
        const x = batch(shape, 3);
        const [bright, con] = [
          [0.3, -0.45],
          [1.4, 0.6],
        ];
        const sat = shape[3] > 1 ? [1.7, 0.2] : null;
        const draw = {
          brightness: Float32Array.from(bright),
          saturation: sat && Float32Array.from(sat),
          contrast: Float32Array.from(con),
        };
        const y = adjustColor(x, draw);
        const expected = coloredReference(x.dataSync() as Float32Array, shape, bright, sat, con);
        assertClose(y.dataSync() as Float32Array, expected, 1e-5, `shape ${shape}`);
        tf.dispose([x, y]);
      }
    },
  );

  test(`each transform's Jacobian-vector product matches central finite differences (${name})`, { skip }, async () => {
    await useBackend(name);
    const shape: [number, number, number, number] = [2, 8, 8, 3];
    const draw = drawAugmentation(AUGMENTATIONS, new Rng(5), shape);
    const transforms: [string, (x: tf.Tensor4D) => tf.Tensor][] = [
      ['color', (x) => adjustColor(x, draw.color!)],
      ['translation', (x) => translate(x, draw.translation!)],
      ['cutout', (x) => cutout(x, draw.cutout!)],
      ['all three', (x) => applyAugmentation(x, draw)],
      // Through a nonlinearity after the transform, as D is: the product must hold at this x, not only for linear maps.
      ['all three, then tanh', (x) => tf.tanh(tf.mul(2, applyAugmentation(x, draw)))],
    ];
    const x = batch(shape, 6);
    const v = batch(shape, 7);
    for (const [what, f] of transforms) {
      const jv = jacobianTimes(f, x, v);
      // float32 outputs of size ~1 err by ~1e-7 per evaluation, ~1e-5 over 2h = 2e-2 (measured: 2e-5 for colour's
      // sums); tanh's curvature adds h²/6 · |f'''| · |Jv|³ ≲ 2e-5 · 16 · 27 ≈ 1e-2 at the worst (measured: 1e-3).
      const h = 1e-2;
      const fd = centralDifference(f, x, v, h);
      assertClose(jv, fd, what.endsWith('tanh') ? 1e-2 : 2e-4, what);
      // And the product is not trivially zero: the direction moves every transform's output.
      assert.ok(
        jv.some((e) => Math.abs(e) > 0.1),
        `${what}: J·v has no entry above 0.1`,
      );
    }
    tf.dispose([x, v]);
  });
}

test('draws: ranges of the paper, every shift and position reached, saturation not drawn for 1 channel', () => {
  const draw = drawAugmentation(AUGMENTATIONS, new Rng(1), [4000, 28, 28, 1]);
  const range = (a: ArrayLike<number>) => [Math.min(...Array.from(a)), Math.max(...Array.from(a))];
  const [b0, b1] = range(draw.color!.brightness);
  assert.ok(b0 >= -0.5 && b0 < -0.49 && b1 < 0.5 && b1 > 0.49, `brightness in [${b0}, ${b1}]`);
  const [c0, c1] = range(draw.color!.contrast);
  assert.ok(c0 >= 0.5 && c0 < 0.51 && c1 < 1.5 && c1 > 1.49, `contrast in [${c0}, ${c1}]`);
  assert.equal(draw.color!.saturation, null);
  // 28 px: shifts of −4..4 (int(28/8 + 0.5) = 4), each about equally often.
  for (const shifts of [draw.translation!.dy, draw.translation!.dx]) {
    assert.deepEqual(range(shifts), [-4, 4]);
    assert.equal(new Set(shifts).size, 9);
  }
  // A 14 × 14 square from row −7 to row 21: at least 7 of its rows and columns lie inside.
  assert.deepEqual([draw.cutout!.height, draw.cutout!.width], [14, 14]);
  assert.deepEqual(range(draw.cutout!.top), [-7, 21]);
  assert.deepEqual(range(draw.cutout!.left), [-7, 21]);
  const rgb = drawAugmentation(['color'], new Rng(1), [1000, 32, 32, 3]);
  const [s0, s1] = range(rgb.color!.saturation!);
  assert.ok(s0 >= 0 && s0 < 0.02 && s1 < 2 && s1 > 1.98, `saturation in [${s0}, ${s1}]`);
});

test('draws follow the seed; an empty policy draws nothing and returns the batch itself', () => {
  const same = (seed: number): AugmentDraw => drawAugmentation(AUGMENTATIONS, new Rng(seed), [8, 28, 28, 3]);
  assert.deepEqual(same(3), same(3));
  assert.notDeepEqual(same(3).translation, same(4).translation);
  // The order asked for does not matter: the transforms are drawn and applied in AUGMENTATIONS's order.
  assert.deepEqual(drawAugmentation(['cutout', 'color'], new Rng(3), [8, 28, 28, 3]), {
    color: same(3).color,
    cutout: drawAugmentation(['color', 'cutout'], new Rng(3), [8, 28, 28, 3]).cutout,
  });
  const rng = new Rng(9);
  const state = rng.getState();
  const x = tf.zeros([2, 4, 4, 1]);
  assert.equal(augment(x, [], rng), x);
  assert.deepEqual(rng.getState(), state);
  x.dispose();
});

test('non-image data is refused, saying what was expected, what arrived and what to do', () => {
  assert.throws(
    () => augment(tf.zeros([5, 2]), ['color'], new Rng(1)),
    /Expected image batches \[n, height, width, channels\] for --augment \(DiffAugment transforms images\) but received a batch of shape \[5, 2\]; leave --augment out \(or set it to none\) for 1D\/2D data/,
  );
  assert.throws(
    () => resolveOptions({ data: 'ring8', augment: ['translation'] }),
    /Expected image data for --augment \(DiffAugment transforms images\) but ring8 is 2D points; leave --augment out \(or set it to none\)/,
  );
  assert.deepEqual(resolveOptions({ data: 'ring8' }).augment, []);
  assert.deepEqual(resolveOptions({ data: 'fashion-mnist', augment: ['cutout', 'color'] }).augment, [
    'cutout',
    'color',
  ]);
  assert.throws(
    () => resolveOptions({ data: 'fashion-mnist', augment: ['colour' as never] }),
    /Expected augment to be a list of color, translation, cutout \(empty: none\) but received \["colour"\]/,
  );
});

test('augmented steps with R1 every step and with WGAN-GP: finite losses, no tensor left behind', async () => {
  await useBackend(nativeSkip ? 'cpu' : 'native');
  const data = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-augment-')), 'tiny.npy');
  const pixels = new Uint8Array(64 * 28 * 28 * 3);
  const rng = new Rng(4);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextUint32() & 255;
  await writeNpy(data, pixels, [64, 28, 28, 3]);
  const settings: Partial<TrainRequest>[] = [{ r1: 1, r1Every: 1 }, { loss: 'wgan-gp' }];
  for (const extra of settings) {
    const counts: number[] = [];
    const out = mkdtempSync(path.join(tmpdir(), 'gankit-augment-'));
    const base = { data, model: 'mlp' as const, gHidden: [32], dHidden: [16], batchSize: 16, steps: 6 };
    const result = await train(
      { ...base, ...extra, augment: ['color', 'translation', 'cutout'], plotEvery: 0, evalMetrics: [], out },
      { onStep: () => counts.push(tf.memory().numTensors) },
    );
    const what = JSON.stringify(extra);
    assert.equal(result.trainedSteps, 6, what);
    const lines = stepLines(out);
    assert.ok(
      lines.every((l) => [l.lossD, l.lossG].every(Number.isFinite)),
      `${what}: ${JSON.stringify(lines)}`,
    );
    assert.deepEqual(
      counts.slice(2),
      counts.slice(2).map(() => counts[2]),
      `${what}: tensors after each step ${counts}`,
    );
  }
});
