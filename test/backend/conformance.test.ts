// Every kernel the native backend replaces, against tfjs-backend-cpu on the
// same seeded inputs: odd sizes, batch 1, strides 1 and 2, same/valid/explicit
// padding, dilation, every broadcasting pattern. Tolerance: 1e-4 relative
// (see closeEnough). Each case also checks that the native path ran rather
// than the cpu fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { closeEnough, input, nativeSkipReason, runOn, type Input } from './helpers.js';
import { kernelCounts } from '../../src/backend/kernels/util.js';

const skip = nativeSkipReason() ?? false;

async function agree(
  label: string,
  kernel: string | string[],
  inputs: Input[],
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  rtol = 1e-4,
): Promise<void> {
  const kernels = Array.isArray(kernel) ? kernel : [kernel];
  const expected = await runOn('cpu', inputs, f);
  const before = kernels.map((k) => kernelCounts.native.get(k) ?? 0);
  const actual = await runOn('native', inputs, f);
  kernels.forEach((k, i) => {
    assert.ok((kernelCounts.native.get(k) ?? 0) > before[i], `${label}: ${k} did not run natively`);
  });
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => {
    assert.deepEqual(a.shape, expected[i].shape, `${label}: shape`);
    assert.equal(a.dtype, expected[i].dtype, `${label}: dtype`);
    const bad = closeEnough(a.values, expected[i].values, rtol);
    assert.equal(bad, undefined, `${label}: ${bad}`);
  });
}

test('MatMul / BatchMatMul: transposes, odd sizes, batch broadcasting', { skip }, async () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[1, 1], [1, 1], false, false],
    [[7, 13], [13, 5], false, false],
    [[13, 7], [13, 5], true, false],
    [[7, 13], [5, 13], false, true],
    [[13, 7], [5, 13], true, true],
    [[3, 9, 4], [3, 4, 6], false, false],
    [[1, 9, 4], [4, 4, 6], false, false],
    [[4, 9, 4], [4, 6], false, false],
    [[2, 3, 5, 7], [2, 3, 7, 2], false, false],
    [[37, 129], [129, 65], false, false],
    [[256, 128], [128, 128], false, false],
  ];
  let seed = 1;
  for (const [sa, sb, ta, tb] of cases) {
    await agree(`matMul ${sa} ${sb} ${ta} ${tb}`, 'BatchMatMul', [input(sa, seed++), input(sb, seed++)], (a, b) =>
      tf.matMul(a, b, ta, tb),
    );
  }
});

test('_FusedMatMul: bias and every fused activation', { skip }, async () => {
  for (const activation of ['linear', 'relu', 'relu6', 'leakyrelu', 'elu', 'sigmoid'] as const) {
    // A linear 2D matmul with a bias (a Dense layer) runs as GankitDense on native (src/backend/unfused.ts).
    await agree(
      `fused matMul ${activation}`,
      activation === 'linear' ? 'GankitDense' : '_FusedMatMul',
      [input([9, 17], 1, -3, 3), input([17, 11], 2), input([11], 3)],
      (a, b, bias) => tf.fused.matMul({ a, b, bias, activation, leakyreluAlpha: 0.3 }),
    );
  }
  // Other linear cases run as the plain ops.
  await agree('fused matMul linear, no bias', 'BatchMatMul', [input([9, 17], 1), input([17, 11], 2)], (a, b) =>
    tf.fused.matMul({ a, b }),
  );
  await agree(
    'fused matMul linear, transposeA',
    ['BatchMatMul', 'Add'],
    [input([17, 9], 1), input([17, 11], 2), input([11], 3)],
    (a, b, bias) => tf.fused.matMul({ a, b, bias, transposeA: true }),
  );
  await agree(
    '_FusedMatMul kernel, linear with bias',
    '_FusedMatMul',
    [input([9, 17], 7), input([17, 11], 8), input([11], 9)],
    (a, b, bias) =>
      tf
        .engine()
        .runKernel(
          '_FusedMatMul',
          { a: tf.reshape(a, [1, 9, 17]), b: tf.reshape(b, [1, 17, 11]), bias },
          { transposeA: false, transposeB: false, activation: 'linear', leakyreluAlpha: 0.2 },
        ) as tf.Tensor,
  );
  await agree(
    'fused matMul scalar bias, transposeB',
    '_FusedMatMul',
    [input([4, 6], 4), input([5, 6], 5), input([1], 6)],
    (a, b, bias) => tf.fused.matMul({ a, b, bias, transposeB: true, activation: 'relu' }),
  );
});

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase {
  x: number[];
  f: number[];
  s: number | [number, number];
  pad: Pad;
  d?: number;
}
const convCases: ConvCase[] = [
  { x: [1, 5, 5, 1], f: [3, 3, 1, 1], s: 1, pad: 'same' },
  { x: [2, 9, 11, 3], f: [3, 3, 3, 5], s: 1, pad: 'valid' },
  { x: [2, 9, 11, 3], f: [4, 4, 3, 8], s: 2, pad: 'same' },
  { x: [3, 8, 8, 16], f: [1, 1, 16, 7], s: 1, pad: 'same' },
  { x: [1, 10, 7, 4], f: [3, 2, 4, 6], s: [2, 1], pad: 'valid' },
  {
    x: [2, 7, 9, 5],
    f: [3, 3, 5, 4],
    s: 2,
    pad: [
      [0, 0],
      [1, 2],
      [2, 1],
      [0, 0],
    ],
  },
  { x: [2, 12, 12, 3], f: [3, 3, 3, 4], s: 1, pad: 'same', d: 2 },
  { x: [1, 11, 13, 2], f: [2, 3, 2, 3], s: 1, pad: 'valid', d: 2 },
  { x: [4, 28, 28, 1], f: [4, 4, 1, 64], s: 2, pad: 'same' },
];

test('Conv2D: strides, padding (same/valid/explicit), dilation, batch 1, odd sizes', { skip }, async () => {
  let seed = 100;
  for (const c of convCases) {
    await agree(`conv2d ${JSON.stringify(c)}`, 'Conv2D', [input(c.x, seed++), input(c.f, seed++)], (x, f) =>
      tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.s, c.pad, 'NHWC', c.d ?? 1),
    );
  }
});

test('FusedConv2D: bias and activations as oneDNN post-ops', { skip }, async () => {
  let seed = 200;
  for (const activation of ['linear', 'relu', 'relu6', 'leakyrelu', 'elu', 'sigmoid'] as const) {
    await agree(
      `fused conv2d ${activation}`,
      activation === 'linear' ? ['Conv2D', 'Add'] : 'FusedConv2D',
      [input([2, 9, 7, 3], seed++), input([3, 3, 3, 5], seed++), input([5], seed++)],
      (x, f, bias) =>
        tf.fused.conv2d({
          x: x as tf.Tensor4D,
          filter: f as tf.Tensor4D,
          strides: 2,
          pad: 'same',
          bias,
          activation,
          leakyreluAlpha: 0.1,
        }),
    );
  }
});

test("FusedConv2D kernel, linear with bias (tfjs-layers' path on other backends)", { skip }, async () => {
  await agree(
    'FusedConv2D linear',
    'FusedConv2D',
    [input([2, 9, 7, 3], 250), input([3, 3, 3, 5], 251), input([5], 252)],
    (x, filter, bias) =>
      tf
        .engine()
        .runKernel(
          'FusedConv2D',
          { x, filter, bias },
          {
            strides: [1, 1],
            pad: 'same',
            dataFormat: 'NHWC',
            dilations: [1, 1],
            activation: 'linear',
            leakyreluAlpha: 0.2,
          },
        ) as tf.Tensor,
  );
});

test('Conv2DBackpropInput: transposed convolutions and input gradients', { skip }, async () => {
  let seed = 300;
  const tcases: { x: number[]; f: number[]; out: number[]; s: number; pad: 'same' | 'valid' }[] = [
    { x: [1, 7, 7, 128], f: [4, 4, 64, 128], out: [1, 14, 14, 64], s: 2, pad: 'same' },
    { x: [3, 14, 14, 64], f: [4, 4, 1, 64], out: [3, 28, 28, 1], s: 2, pad: 'same' },
    { x: [2, 5, 6, 3], f: [3, 3, 4, 3], out: [2, 5, 6, 4], s: 1, pad: 'same' },
    { x: [2, 4, 5, 3], f: [3, 3, 2, 3], out: [2, 9, 11, 2], s: 2, pad: 'valid' },
  ];
  for (const c of tcases) {
    await agree(
      `conv2dTranspose ${JSON.stringify(c)}`,
      'Conv2DBackpropInput',
      [input(c.x, seed++), input(c.f, seed++)],
      (x, f) =>
        tf.conv2dTranspose(x as tf.Tensor4D, f as tf.Tensor4D, c.out as [number, number, number, number], c.s, c.pad),
    );
  }
  for (const c of convCases.filter((c) => (c.d ?? 1) === 1)) {
    await agree(
      `dconv/dx ${JSON.stringify(c)}`,
      'Conv2DBackpropInput',
      [input(c.x, seed++), input(c.f, seed++)],
      (x, f) =>
        tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, f as tf.Tensor4D, c.s, c.pad), 0.5)))(x),
    );
  }
});

test('Conv2DBackpropFilter: filter gradients', { skip }, async () => {
  let seed = 400;
  for (const c of convCases.filter((c) => (c.d ?? 1) === 1)) {
    await agree(
      `dconv/dfilter ${JSON.stringify(c)}`,
      'Conv2DBackpropFilter',
      [input(c.x, seed++), input(c.f, seed++)],
      (x, f) =>
        tf.grad((ff: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, ff as tf.Tensor4D, c.s, c.pad))))(f),
    );
  }
});

test('unary element-wise ops: small, odd and large (JIT path) sizes', { skip }, async () => {
  const ops: [string, (x: tf.Tensor) => tf.Tensor, number, number][] = [
    ['Neg', tf.neg, -3, 3],
    ['Abs', tf.abs, -3, 3],
    ['Square', tf.square, -3, 3],
    ['Sqrt', tf.sqrt, 0.01, 4],
    ['Rsqrt', tf.rsqrt, 0.01, 4],
    ['Reciprocal', tf.reciprocal, 0.1, 4],
    ['Exp', tf.exp, -5, 5],
    ['Log', tf.log, 0.01, 9],
    ['Log1p', tf.log1p, -0.5, 9],
    ['Tanh', tf.tanh, -6, 6],
    ['Sigmoid', tf.sigmoid, -9, 9],
    ['Softplus', tf.softplus, -20, 20],
    ['Relu', tf.relu, -3, 3],
    ['Relu6', tf.relu6, -3, 9],
    ['LeakyRelu', (x) => tf.leakyRelu(x, 0.2), -3, 3],
    ['Elu', tf.elu, -4, 4],
    ['Step', (x) => tf.step(x, 0.3), -3, 3],
    ['Sign', tf.sign, -3, 3],
    ['ClipByValue', (x) => tf.clipByValue(x, -0.5, 0.7), -3, 3],
  ];
  let seed = 500;
  for (const [name, f, lo, hi] of ops) {
    for (const shape of [[1], [3, 17], [101, 1001]]) {
      await agree(`${name} ${shape}`, name, [input(shape, seed++, lo, hi)], f);
    }
  }
});

const broadcastPatterns: [number[], number[]][] = [
  [
    [3, 4, 5],
    [3, 4, 5],
  ], // same shape
  [[], [3, 4]], // scalar a
  [[3, 4], []], // scalar b
  [[2, 3, 4], [4]], // trailing vector (bias)
  [
    [2, 3, 4],
    [3, 1],
  ], // middle dim
  [
    [4, 1, 5],
    [3, 1],
  ], // both sides broadcast
  [[1], [2, 3]],
  [
    [5, 1, 1, 7],
    [1, 6, 3, 1],
  ],
  [
    [2, 1, 4, 1, 3],
    [1, 5, 1, 6, 1],
  ],
  [[64, 7, 7, 128], [128]], // batch-norm-sized
  [
    [1, 1, 1, 128],
    [64, 7, 7, 128],
  ],
];

test('binary arithmetic ops with every broadcasting pattern', { skip }, async () => {
  const ops: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, number, number][] = [
    ['Add', tf.add, -2, 2],
    ['Sub', tf.sub, -2, 2],
    ['Multiply', tf.mul, -2, 2],
    ['RealDiv', tf.div, 0.5, 2],
    ['Maximum', tf.maximum, -2, 2],
    ['Minimum', tf.minimum, -2, 2],
    ['SquaredDifference', tf.squaredDifference, -2, 2],
    ['Pow', tf.pow, 0.5, 2],
  ];
  let seed = 600;
  for (const [name, f, lo, hi] of ops) {
    for (const [sa, sb] of broadcastPatterns) {
      // The activation-sized patterns cost seconds on cpu; two ops cover them.
      if ((sa.length === 4 && sa[0] === 64) || sb[0] === 64) {
        if (name !== 'Add' && name !== 'Multiply') continue;
      }
      await agree(
        `${name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`,
        name,
        [input(sa, seed++, lo, hi), input(sb, seed++, lo, hi)],
        f,
      );
    }
  }
});

test('comparisons (bool outputs) and Select, as gradients use them', { skip }, async () => {
  const ops: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
    ['Greater', tf.greater],
    ['GreaterEqual', tf.greaterEqual],
    ['Less', tf.less],
    ['LessEqual', tf.lessEqual],
    ['Equal', tf.equal],
    ['NotEqual', tf.notEqual],
  ];
  let seed = 700;
  for (const [name, f] of ops) {
    for (const [sa, sb] of broadcastPatterns.slice(0, 8)) {
      // Rounded values so that equality actually occurs.
      const a = input(sa, seed++, -2, 2),
        b = input(sb, seed++, -2, 2);
      a.values = a.values.map((v) => Math.round(v));
      b.values = b.values.map((v) => Math.round(v));
      await agree(`${name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`, name, [a, b], f);
    }
  }
  for (const shape of [[1], [4, 5], [64, 14, 14, 8]]) {
    const c = input(shape, seed++);
    const cond: Input = { shape, values: Uint8Array.from(c.values, (v) => (v > 0 ? 1 : 0)), dtype: 'bool' };
    await agree(`Select ${shape}`, 'Select', [cond, input(shape, seed++), input(shape, seed++)], (cc, t, e) =>
      tf.where(cc, t, e),
    );
  }
});

test('reductions: Sum, Mean, Max, Min, Prod over every axis pattern', { skip }, async () => {
  const ops: [string, (x: tf.Tensor, axis?: number | number[], keep?: boolean) => tf.Tensor, number, number][] = [
    ['Sum', tf.sum, -2, 2],
    ['Mean', tf.mean, -2, 2],
    ['Max', tf.max, -2, 2],
    ['Min', tf.min, -2, 2],
    ['Prod', tf.prod, 0.9, 1.1],
  ];
  const axes: (number | number[] | undefined)[] = [undefined, 0, 1, 2, -1, [0, 1], [1, 2], [0, 2], [0, 1, 2]];
  let seed = 800;
  for (const [name, f, lo, hi] of ops) {
    for (const axis of axes) {
      for (const keep of [false, true]) {
        await agree(
          `${name} axis=${JSON.stringify(axis)} keep=${keep}`,
          name,
          [input([3, 5, 7], seed++, lo, hi)],
          (x) => f(x, axis, keep),
        );
      }
    }
    await agree(`${name} batch-norm moments`, name, [input([64, 7, 7, 128], seed++, lo, hi)], (x) => f(x, [0, 1, 2]));
    await agree(`${name} rows`, name, [input([17, 1001], seed++, lo, hi)], (x) => f(x, 1));
  }
});

test('Transpose: ranks 2–5 and merged axes', { skip }, async () => {
  const cases: [number[], number[]][] = [
    [
      [3, 5],
      [1, 0],
    ],
    [
      [2, 3, 4],
      [2, 0, 1],
    ],
    [
      [2, 3, 4],
      [0, 2, 1],
    ],
    [
      [2, 3, 4, 5],
      [3, 1, 0, 2],
    ],
    [
      [2, 3, 4, 5],
      [0, 1, 3, 2],
    ],
    [
      [2, 1, 3, 1, 4],
      [4, 3, 2, 1, 0],
    ],
    [
      [64, 7, 7, 128],
      [3, 0, 1, 2],
    ],
    [
      [4, 5],
      [0, 1],
    ],
  ];
  let seed = 900;
  for (const [shape, perm] of cases) {
    await agree(`transpose ${shape} ${perm}`, 'Transpose', [input(shape, seed++)], (x) => tf.transpose(x, perm));
  }
});

test('Tile', { skip }, async () => {
  const cases: [number[], number[]][] = [
    [[3], [4]],
    [
      [2, 3],
      [2, 2],
    ],
    [
      [1, 1, 1, 5],
      [4, 3, 3, 1],
    ],
    [
      [2, 1, 3],
      [1, 5, 1],
    ],
  ];
  let seed = 1000;
  for (const [shape, reps] of cases) {
    await agree(`tile ${shape} ${reps}`, 'Tile', [input(shape, seed++)], (x) => tf.tile(x, reps));
  }
});

test(
  'Slice, PadV2 and SplitV: ranks 1–4, strided and contiguous boxes, size −1, zero-size, a constant',
  { skip },
  async () => {
    const slices: [number[], number[], number[]][] = [
      [[9], [2], [5]],
      [
        [7, 30],
        [0, 2],
        [7, 25],
      ],
      [
        [7, 30],
        [3, 0],
        [2, -1],
      ],
      [
        [4, 5, 6],
        [1, 2, 3],
        [2, 3, 2],
      ],
      [
        [3, 4, 5, 6],
        [0, 1, 0, 2],
        [3, 2, 5, 1],
      ],
      [
        [5, 4],
        [1, 1],
        [0, 3],
      ],
    ];
    let seed = 1050;
    for (const [shape, begin, size] of slices) {
      await agree(`slice ${shape} from ${begin} size ${size}`, 'Slice', [input(shape, seed++)], (x) =>
        tf.slice(x, begin, size),
      );
    }
    const pads: [number[], [number, number][], number][] = [
      [[6], [[2, 3]], 0],
      [
        [7, 5],
        [
          [0, 0],
          [2, 21],
        ],
        0,
      ],
      [
        [3, 4, 5],
        [
          [1, 0],
          [0, 2],
          [3, 1],
        ],
        1.5,
      ],
      [
        [2, 3, 4, 2],
        [
          [0, 1],
          [1, 1],
          [0, 0],
          [2, 0],
        ],
        -2,
      ],
    ];
    for (const [shape, paddings, value] of pads) {
      await agree(`pad ${shape} by ${JSON.stringify(paddings)} with ${value}`, 'PadV2', [input(shape, seed++)], (x) =>
        tf.pad(x, paddings, value),
      );
    }
    const splits: [number[], number | number[], number][] = [
      [[6, 27], [2, 25], 1],
      [[4, 6, 5], 3, 1],
      [[8, 3], [3, -1, 1], 0],
      [[2, 3, 4, 6], [1, 0, 5], -1],
    ];
    for (const [shape, sizes, axis] of splits) {
      await agree(`split ${shape} into ${sizes} along ${axis}`, 'SplitV', [input(shape, seed++)], (x) =>
        tf.split(x, sizes, axis),
      );
    }
    // Concat's gradient is a split; Slice's is a PadV2 of the upstream gradient.
    await agree('concat gradient', 'SplitV', [input([5, 2], seed++), input([5, 7], seed++)], (a, b) =>
      tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.concat([p, q], 1))))([a, b]),
    );
    await agree('slice gradient', ['Slice', 'PadV2'], [input([6, 27], seed++)], (x) =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.slice(t, [0, 2], [6, 25]))))(x),
    );
  },
);

test('FusedBatchNorm: per-channel, scalar and missing offset/scale', { skip }, async () => {
  let seed = 1100;
  const x = () => input([3, 5, 7, 6], seed++);
  const stat = (n: number, lo = -1, hi = 1) => input([n], seed++, lo, hi);
  await agree('batchNorm full', 'FusedBatchNorm', [x(), stat(6), stat(6, 0.1, 2), stat(6), stat(6)], (xx, m, v, o, s) =>
    tf.batchNorm(xx, m, v, o, s, 1e-3),
  );
  await agree('batchNorm no offset/scale', 'FusedBatchNorm', [x(), stat(6), stat(6, 0.1, 2)], (xx, m, v) =>
    tf.batchNorm(xx, m, v, undefined, undefined, 1e-5),
  );
  await agree(
    'batchNorm scalar stats',
    'FusedBatchNorm',
    [x(), stat(1), stat(1, 0.1, 2), stat(6), stat(1)],
    (xx, m, v, o, s) => tf.batchNorm(xx, m, v, o, s, 1e-3),
  );
});

test('Slice returns a copy, not a view of a buffer the pool may reuse', { skip }, async () => {
  await agree('slice', 'Slice', [input([4, 300], 1200)], (x) => tf.slice(x, [1, 0], [2, 300]));
});

test("native gradients of batch norm, mean, ReLU and leaky ReLU match tfjs's own (on cpu)", { skip }, async () => {
  let seed = 1300;
  const x = () => input([4, 3, 5, 6], seed++, -2, 2);
  const w = () => input([4, 3, 5, 6], seed++);
  await agree('relu grad', 'GankitActivationGrad', [x(), w()], (xx, ww) =>
    tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), ww)))(xx),
  );
  await agree('leakyRelu grad', 'GankitActivationGrad', [x(), w()], (xx, ww) =>
    tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(t, 0.2), ww)))(xx),
  );
  for (const axis of [[0, 1, 2], [1], [0, 3], -1]) {
    await agree(`mean grad ${JSON.stringify(axis)}`, 'GankitMeanGrad', [x(), w()], (xx, ww) =>
      tf.grad((t: tf.Tensor) =>
        tf.sum(tf.mul(tf.mean(t, axis, true), tf.slice(ww, [0, 0, 0, 0], tf.mean(t, axis, true).shape))),
      )(xx),
    );
  }
  // Batch norm as tfjs-layers trains it: moments, then batchNorm; all five input gradients.
  const stat = (lo: number, hi: number) => input([6], seed++, lo, hi);
  await agree(
    'batchNorm grads',
    'GankitFusedBatchNormGrad',
    [x(), w(), stat(-1, 1), stat(0.2, 2), stat(-1, 1), stat(0.5, 1.5)],
    (xx, ww, m, v, o, s) => {
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor, e: tf.Tensor) =>
        tf.sum(tf.mul(tf.batchNorm(a, b, c, d, e, 1e-3), ww));
      return tf.grads(f)([xx, m, v, o, s]);
    },
  );
});

test('second-order gradients (gradient penalties) through batch norm and mean match cpu', { skip }, async () => {
  let seed = 1400;
  const x = input([4, 3, 3, 5], seed++, -2, 2),
    w = input([4, 3, 3, 5], seed++);
  const stat = (lo: number, hi: number) => input([5], seed++, lo, hi);
  // (tfjs's own leaky ReLU gradient is not differentiable on cpu, so tanh here.)
  await agree(
    'R1-style double backprop',
    ['FusedBatchNorm', 'GankitMeanGrad'],
    [x, w, stat(0.5, 1.5), stat(-1, 1)],
    (xx, ww, scale, offset) => {
      const penalty = (s: tf.Tensor) => {
        const o = offset;
        const gx = tf.grad((t: tf.Tensor) => {
          const { mean, variance } = tf.moments(t, [0, 1, 2]);
          return tf.sum(tf.mul(tf.tanh(tf.batchNorm(t, mean, variance, o, s, 1e-3)), ww));
        })(xx);
        return tf.mean(tf.square(gx));
      };
      return tf.grad(penalty)(scale);
    },
  );
});
