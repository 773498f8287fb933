// The webgpu backend (src/backend/webgpu.ts) against tfjs-backend-cpu: every op gankit's
// networks and games use, on small seeded inputs (software adapters are slow), then
// seeded Adam steps of the 2D MLP GAN and of DCGAN-28 giving cpu's losses, and the
// process-level promises: a process on webgpu exits by itself, and one without an
// adapter says what is missing and falls back. CI runs this on Mesa's llvmpipe (the
// Debian packages of scripts/system-packages.txt); elsewhere it skips without an adapter.
// Tolerance (helpers.ts closeEnough): element-wise |a − e| ≤ rtol·|e| + atol, and for sums
// of products an absolute floor of atol·Σ|terms|, as in conformance.test.ts. Functions
// the GPU evaluates with its own approximations (exp, log, tanh, sigmoid, softplus) get
// rtol 1e-4: WGSL promises those to a few ulps of float32, not to cpu's results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { closeEnough, input, runOn, useBackend, type Input, type TestBackend } from './helpers.js';
import { registerWebgpuBackend, SYNC_READ } from '../../src/backend/webgpu.js';
import { dcgan28Workload, mlp2dWorkload } from '../../bench/workloads.js';
import { skipUnless } from '../requirements.js';

const why = await registerWebgpuBackend();
const skip = skipUnless(why === undefined, `no WebGPU adapter: ${why}`);
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const TRANSCENDENTAL = { rtol: 1e-4, atol: 1e-6 };

async function agree(
  label: string,
  inputs: Input[],
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  o: { rtol?: number; atol?: number; sums?: boolean } = {},
): Promise<void> {
  const expected = await runOn('cpu', inputs, f);
  const abs = inputs.map((x) => (x.dtype === 'bool' ? x : { ...x, values: (x.values as Float32Array).map(Math.abs) }));
  const scales = o.sums ? await runOn('cpu', abs, f) : undefined;
  const actual = await runOn('webgpu', inputs, f);
  assert.equal(actual.length, expected.length, `${label}: outputs`);
  actual.forEach((a, i) => {
    assert.deepEqual(a.shape, expected[i].shape, `${label}: shape`);
    assert.equal(a.dtype, expected[i].dtype, `${label}: dtype`);
    const bad = closeEnough(a.values, expected[i].values, { rtol: o.rtol, atol: o.atol, scale: scales?.[i].values });
    assert.equal(bad, undefined, `${label}: ${bad}`);
  });
}

test('webgpu: matMul, transposes and batches; fused matMul with bias and activations', { skip }, async () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[7, 13], [13, 5], false, false],
    [[13, 7], [13, 5], true, false],
    [[7, 13], [5, 13], false, true],
    [[3, 9, 4], [3, 4, 6], false, false],
    [[37, 129], [129, 65], false, false],
  ];
  let seed = 1;
  for (const [sa, sb, ta, tb] of cases) {
    await agree(
      `matMul ${sa} ${sb} ${ta} ${tb}`,
      [input(sa, seed++), input(sb, seed++)],
      (a, b) => tf.matMul(a, b, ta, tb),
      { sums: true },
    );
  }
  for (const activation of ['linear', 'relu', 'leakyrelu', 'sigmoid'] as const) {
    await agree(
      `fused matMul ${activation}`,
      [input([9, 17], seed++, -3, 3), input([17, 11], seed++), input([11], seed++)],
      (a, b, bias) => tf.fused.matMul({ a, b, bias, activation, leakyreluAlpha: 0.2 }),
      { sums: activation !== 'sigmoid', ...(activation === 'sigmoid' ? TRANSCENDENTAL : {}) },
    );
  }
});

const convCases: { x: number[]; f: number[]; s: number; pad: 'same' | 'valid' }[] = [
  { x: [1, 5, 5, 1], f: [3, 3, 1, 1], s: 1, pad: 'same' },
  { x: [2, 9, 11, 3], f: [3, 3, 3, 5], s: 1, pad: 'valid' },
  { x: [2, 9, 11, 3], f: [4, 4, 3, 8], s: 2, pad: 'same' },
  // DCGAN-28's discriminator: 28×28×1 → 14×14×64 → 7×7×128 (channels cut to keep it quick).
  { x: [2, 28, 28, 1], f: [4, 4, 1, 16], s: 2, pad: 'same' },
  { x: [2, 14, 14, 16], f: [4, 4, 16, 8], s: 2, pad: 'same' },
];

test('webgpu: conv2d and its gradients (input and filter)', { skip }, async () => {
  let seed = 100;
  for (const c of convCases) {
    const inputs = [input(c.x, seed++), input(c.f, seed++)];
    const conv = (x: tf.Tensor, f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.s, c.pad);
    await agree(`conv2d ${JSON.stringify(c)}`, inputs, conv, { sums: true });
    // d/dx and d/dw of Σ conv·w for a fixed weight w: Conv2DBackpropInput and Conv2DBackpropFilter.
    await agree(
      `conv2d gradients ${JSON.stringify(c)}`,
      inputs,
      (x, f) => tf.grads((xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.mul(conv(xx, ff), 0.5)))([x, f]),
      { sums: true },
    );
  }
  await agree(
    'fused conv2d with bias and relu',
    [input([2, 9, 7, 3], seed++), input([3, 3, 3, 5], seed++), input([5], seed++)],
    (x, filter, bias) =>
      tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: filter as tf.Tensor4D,
        strides: 2,
        pad: 'same',
        bias,
        activation: 'relu',
      }),
    { sums: true },
  );
});

test('webgpu: conv2dTranspose (the generator) and its gradients', { skip }, async () => {
  const cases = [
    // DCGAN-28's generator: 7×7 → 14×14 → 28×28 (channels cut).
    { x: [1, 7, 7, 16], f: [4, 4, 8, 16], out: [1, 14, 14, 8], s: 2, pad: 'same' as const },
    { x: [2, 14, 14, 8], f: [4, 4, 1, 8], out: [2, 28, 28, 1], s: 2, pad: 'same' as const },
    { x: [2, 4, 5, 3], f: [3, 3, 2, 3], out: [2, 9, 11, 2], s: 2, pad: 'valid' as const },
  ];
  let seed = 300;
  for (const c of cases) {
    const deconv = (x: tf.Tensor, f: tf.Tensor) =>
      tf.conv2dTranspose(x as tf.Tensor4D, f as tf.Tensor4D, c.out as [number, number, number, number], c.s, c.pad);
    const inputs = [input(c.x, seed++), input(c.f, seed++)];
    await agree(`conv2dTranspose ${JSON.stringify(c)}`, inputs, deconv, { sums: true });
    await agree(
      `conv2dTranspose gradients ${JSON.stringify(c)}`,
      inputs,
      (x, f) => tf.grads((xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.mul(deconv(xx, ff), 0.5)))([x, f]),
      { sums: true },
    );
  }
});

test('webgpu: batch normalization pieces (moments, batchNorm) and their gradients', { skip }, async () => {
  const x = input([4, 5, 5, 6], 500, -2, 2);
  const offset = input([6], 501);
  const scale = input([6], 502, 0.5, 1.5);
  await agree('moments over N, H, W', [x], (t) => {
    const { mean, variance } = tf.moments(t, [0, 1, 2]);
    return [mean, variance];
  });
  const normalize = (t: tf.Tensor, o: tf.Tensor, s: tf.Tensor) => {
    const { mean, variance } = tf.moments(t, [0, 1, 2]);
    return tf.batchNorm(t, mean, variance, o, s, 1e-3);
  };
  await agree('batchNorm with batch statistics', [x, offset, scale], normalize, { rtol: 1e-4, atol: 1e-5 });
  await agree(
    'batchNorm gradients (x, offset, scale)',
    [x, offset, scale, input([4, 5, 5, 6], 503)],
    (t, o, s, w) =>
      tf.grads((tt: tf.Tensor, oo: tf.Tensor, ss: tf.Tensor) => tf.sum(tf.mul(normalize(tt, oo, ss), w)))([t, o, s]),
    { rtol: 1e-4, atol: 1e-4 },
  );
});

test('webgpu: element-wise ops, comparisons and their gradients', { skip }, async () => {
  const x = input([3, 37], 600, -4, 4);
  const y = input([3, 37], 601, -4, 4);
  const exact: [string, (t: tf.Tensor) => tf.Tensor][] = [
    ['relu', tf.relu],
    ['leakyRelu', (t) => tf.leakyRelu(t, 0.2)],
    ['neg', tf.neg],
    ['abs', tf.abs],
    ['square', tf.square],
    ['clipByValue', (t) => tf.clipByValue(t, -1, 1)],
    ['mul by scalar', (t) => tf.mul(t, 0.5)],
  ];
  for (const [name, f] of exact) await agree(name, [x], f);
  const approx: [string, (t: tf.Tensor) => tf.Tensor][] = [
    ['sigmoid', tf.sigmoid],
    ['tanh', tf.tanh],
    ['softplus', tf.softplus],
    ['exp', tf.exp],
    ['log of |x| + 0.1', (t) => tf.log(tf.add(tf.abs(t), 0.1))],
    ['sqrt of |x|', (t) => tf.sqrt(tf.abs(t))],
    ['logSoftmax', (t) => tf.logSoftmax(t)],
  ];
  for (const [name, f] of approx) await agree(name, [x], f, TRANSCENDENTAL);
  for (const [name, f] of [...exact, ...approx]) {
    await agree(`d/dx ${name}`, [x], (t) => tf.grad(f)(t), TRANSCENDENTAL);
  }
  const row = input([37], 602, -4, 4);
  await agree('add, sub, mul, div with broadcasting', [x, y, row], (a, b, r) => [
    tf.add(a, r),
    tf.sub(a, b),
    tf.mul(r, b),
    tf.div(a, tf.add(tf.abs(b), 0.5)),
  ]);
  await agree('maximum, minimum', [x, y], (a, b) => [tf.maximum(a, b), tf.minimum(a, b)]);
  await agree('greater, where, isFinite, logicalNot', [x, y], (a, b) => {
    const g = tf.greater(a, b);
    return [g, tf.where(g, a, b), tf.isFinite(tf.div(a, b)), tf.logicalNot(g)];
  });
});

test('webgpu: reductions, reshapes, concat, slice, stack, transpose, addN of many terms', { skip }, async () => {
  const x = input([4, 6, 5], 700);
  for (const axis of [undefined, 0, 1, 2, [0, 1], [1, 2]] as (number | number[] | undefined)[]) {
    await agree(
      `sum, mean, max over ${JSON.stringify(axis)}`,
      [x],
      (t) => [tf.sum(t, axis), tf.mean(t, axis), tf.max(t, axis)],
      {
        sums: false,
        rtol: 1e-5,
        atol: 1e-5,
      },
    );
  }
  await agree('reshape, transpose, slice', [x], (t) => [
    tf.reshape(t, [24, 5]),
    tf.transpose(t, [2, 0, 1]),
    tf.slice(t, [1, 2, 0], [2, 3, 5]),
  ]);
  await agree('concat, stack', [x, input([4, 6, 5], 701)], (a, b) => [tf.concat([a, b], 2), tf.stack([a, b], 1)]);
  // More terms than a shader may bind storage buffers (8 to 16): src/backend/webgpu.ts splits the sum.
  const many = Array.from({ length: 29 }, (_, i) => input([3, 4], 800 + i));
  await agree('addN of 29 tensors', many, (...ts) => tf.addN(ts), { sums: true });
});

/** Seeded steps of a reference workload: losses on webgpu (read asynchronously) and on cpu. */
async function stepLosses(
  backend: TestBackend,
  workload: typeof mlp2dWorkload,
  steps: number,
  batch: number,
): Promise<number[]> {
  await useBackend(backend);
  const { step, real } = workload(5, batch);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const l = await step.stepAsync(real);
    out.push(l.lossD, l.lossG);
  }
  step.dispose();
  real.dispose();
  return out;
}

function assertSameLosses(label: string, actual: number[], expected: number[], rtol: number): void {
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= rtol * Math.max(1, Math.abs(expected[i])),
      `${label} loss ${i}: webgpu ${actual[i]} vs cpu ${expected[i]} (all: ${actual} vs ${expected})`,
    );
  }
}

test('webgpu: seeded Adam steps of the 2D MLP GAN give cpu losses', { skip }, async () => {
  const cpu = await stepLosses('cpu', mlp2dWorkload, 5, 64);
  const gpu = await stepLosses('webgpu', mlp2dWorkload, 5, 64);
  assertSameLosses('MLP', gpu, cpu, 1e-4);
});

test('webgpu: seeded Adam steps of DCGAN-28 give cpu losses', { skip }, async () => {
  const cpu = await stepLosses('cpu', dcgan28Workload, 2, 2);
  const gpu = await stepLosses('webgpu', dcgan28Workload, 2, 2);
  assertSameLosses('DCGAN-28', gpu, cpu, 1e-4);
});

test('webgpu: a synchronous read says to read asynchronously', { skip }, async () => {
  await useBackend('webgpu');
  const t = tf.square(tf.tensor1d([1, 2, 3]));
  assert.throws(() => t.dataSync(), { message: SYNC_READ });
  assert.deepEqual(Array.from(await t.data()), [1, 4, 9]);
  t.dispose();
});

/** Runs a module snippet in a fresh Node that imports the built backend; kills it after `seconds`. */
function runNode(code: string, env: NodeJS.ProcessEnv, seconds: number) {
  const module = `import * as tf from '@tensorflow/tfjs-core';
import { initBackend, describeBackend } from '${path.join(DIST, 'src/backend/index.js')}';
${code}`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', module], {
    encoding: 'utf8',
    timeout: seconds * 1000,
    env: { ...process.env, ...env },
    cwd: DIST,
  });
}

test('webgpu: a process that used the device exits by itself', { skip }, () => {
  const r = runNode(
    `const c = await initBackend('webgpu');
console.log(describeBackend(c));
console.log('sum', (await tf.sum(tf.range(0, 10)).data())[0]);`,
    {},
    60,
  );
  assert.equal(r.signal, null, `the process did not exit by itself within 60 s:\n${r.stdout}\n${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^backend: webgpu \(.+\)$/m);
  assert.match(r.stdout, /^sum 45$/m);
});

// Only on Linux can the environment hide every adapter from Dawn (Metal and Direct3D ignore it).
const linux = process.platform === 'linux' ? false : 'hiding the adapters through the environment works on Linux only';

test(
  'webgpu without an adapter: the message names what was tried and what to install, then falls back',
  { skip: linux },
  () => {
    // No display for Mesa's EGL and no Vulkan device: Dawn finds no adapter on any route.
    const r = runNode(
      `const c = await initBackend('webgpu');
console.log(describeBackend(c));
console.log('running', tf.getBackend());`,
      { EGL_PLATFORM: 'x11', DISPLAY: ':99', VK_ICD_FILENAMES: '/nonexistent.json' },
      60,
    );
    assert.equal(r.status, 0, r.stderr);
    const line = /^backend: .*$/m.exec(r.stdout)?.[0] ?? '';
    assert.match(
      line,
      /webgpu: (no WebGPU adapter \(Dawn's routes: default: .*libegl-mesa0|the optional package webgpu)/,
    );
    assert.doesNotMatch(r.stdout, /running webgpu/);
  },
);
