// Every kernel the native backend replaces, against tfjs-backend-cpu on the
// same seeded inputs: odd sizes, batch 1, strides 1 and 2, same/valid/explicit
// padding, dilation, every broadcasting pattern; sizes above 1 M elements, where
// the native loops and oneDNN split the work among threads; and NaN, ±Inf, −0 and
// float32's extremes, which must come out as the cpu backend gives them.
// Tolerance, per element (helpers.ts closeEnough): |a − e| ≤ rtol·|e| + atol, with
// rtol 1e-5 and atol 1e-6 for element-wise ops; for sums of products (matmul,
// convolutions, reductions, their gradients) the absolute floor is atol·Σ|terms|,
// Σ|terms| being the same computation on the inputs' absolute values: float
// rounding error is proportional to it, and a small output of a large sum is
// checked as tightly as its own rounding allows. Each case also checks that the
// native path ran rather than the cpu fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { closeEnough, input, nativeSkipReason, runOn, withSpecials, type Input } from './helpers.js';
import { kernelCounts } from '../../src/backend/kernels/util.js';
import { getNumThreads, setNumThreads } from '../../src/backend/index.js';

const skip = nativeSkipReason() ?? false;

interface AgreeOptions {
  rtol?: number;
  atol?: number;
  /**
   * A sum of products: the absolute floor scales with Σ|terms| (see the header), which
   * f computes on absolute inputs; or this function does, for ops whose activation
   * would squash it (the pre-activation sum: every fused activation's slope is ≤ 1).
   */
  sums?: boolean | ((...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]);
}

async function agree(
  label: string,
  kernel: string | string[],
  inputs: Input[],
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  o: AgreeOptions = {},
): Promise<void> {
  const kernels = Array.isArray(kernel) ? kernel : [kernel];
  const t0 = performance.now();
  const expected = await runOn('cpu', inputs, f);
  const scaleOf = typeof o.sums === 'function' ? o.sums : f;
  const scales = o.sums ? await runOn('cpu', inputs.map(absolute), scaleOf) : undefined;
  const before = kernels.map((k) => kernelCounts.native.get(k) ?? 0);
  const actual = await runOn('native', inputs, f);
  kernels.forEach((k, i) => {
    assert.ok((kernelCounts.native.get(k) ?? 0) > before[i], `${label}: ${k} did not run natively`);
  });
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => {
    assert.deepEqual(a.shape, expected[i].shape, `${label}: shape`);
    assert.equal(a.dtype, expected[i].dtype, `${label}: dtype`);
    const bad = closeEnough(a.values, expected[i].values, { rtol: o.rtol, atol: o.atol, scale: scales?.[i].values });
    assert.equal(bad, undefined, `${label}: ${bad}`);
  });
  if (process.env.TIMES) console.log(`# ${label}: ${(performance.now() - t0).toFixed(0)} ms`);
}

/** The input with every value made non-negative (bool inputs unchanged). */
function absolute(x: Input): Input {
  return x.dtype === 'bool' ? x : { ...x, values: (x.values as Float32Array).map(Math.abs) };
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
    await agree(
      `matMul ${sa} ${sb} ${ta} ${tb}`,
      'BatchMatMul',
      [input(sa, seed++), input(sb, seed++)],
      (a, b) => tf.matMul(a, b, ta, tb),
      { sums: true },
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
      { sums: (a, b, bias) => tf.add(tf.matMul(a, b), bias) },
    );
  }
  // Other linear cases run as the plain ops.
  await agree(
    'fused matMul linear, no bias',
    'BatchMatMul',
    [input([9, 17], 1), input([17, 11], 2)],
    (a, b) => tf.fused.matMul({ a, b }),
    { sums: true },
  );
  await agree(
    'fused matMul linear, transposeA',
    ['BatchMatMul', 'Add'],
    [input([17, 9], 1), input([17, 11], 2), input([11], 3)],
    (a, b, bias) => tf.fused.matMul({ a, b, bias, transposeA: true }),
    { sums: true },
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
    { sums: true },
  );
  await agree(
    'fused matMul scalar bias, transposeB',
    '_FusedMatMul',
    [input([4, 6], 4), input([5, 6], 5), input([1], 6)],
    (a, b, bias) => tf.fused.matMul({ a, b, bias, transposeB: true, activation: 'relu' }),
    { sums: (a, b, bias) => tf.add(tf.matMul(a, b, false, true), bias) },
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
    await agree(
      `conv2d ${JSON.stringify(c)}`,
      'Conv2D',
      [input(c.x, seed++), input(c.f, seed++)],
      (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.s, c.pad, 'NHWC', c.d ?? 1),
      { sums: true },
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
      { sums: (x, f, bias) => tf.add(tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 2, 'same'), bias) },
    );
  }
});

test("FusedConv2D kernel, linear with bias (tfjs-layers' path on other backends)", { skip }, async () => {
  await agree(
    'FusedConv2D linear',
    'FusedConv2D',
    [input([2, 9, 7, 3], 250), input([3, 3, 3, 5], 251), input([5], 252)],
    (x, filter, bias) =>
      tf.engine().runKernel(
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
    { sums: true },
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
      { sums: true },
    );
  }
  for (const c of convCases.filter((c) => (c.d ?? 1) === 1)) {
    await agree(
      `dconv/dx ${JSON.stringify(c)}`,
      'Conv2DBackpropInput',
      [input(c.x, seed++), input(c.f, seed++)],
      (x, f) =>
        tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, f as tf.Tensor4D, c.s, c.pad), 0.5)))(x),
      { sums: true },
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
      { sums: true },
    );
  }
});

// The element-wise ops under test, each with the input range it is checked on; the
// small-shape tests and the large (multi-threaded) ones below share them.
const unaryOps: [string, (x: tf.Tensor) => tf.Tensor, number, number][] = [
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

const binaryOps: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, number, number][] = [
  ['Add', tf.add, -2, 2],
  ['Sub', tf.sub, -2, 2],
  ['Multiply', tf.mul, -2, 2],
  ['RealDiv', tf.div, 0.5, 2],
  ['Maximum', tf.maximum, -2, 2],
  ['Minimum', tf.minimum, -2, 2],
  ['SquaredDifference', tf.squaredDifference, -2, 2],
  ['Pow', tf.pow, 0.5, 2],
];

const comparisons: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
  ['Greater', tf.greater],
  ['GreaterEqual', tf.greaterEqual],
  ['Less', tf.less],
  ['LessEqual', tf.lessEqual],
  ['Equal', tf.equal],
  ['NotEqual', tf.notEqual],
];

test('unary element-wise ops: small, odd and large (JIT path) sizes', { skip }, async () => {
  const ops = unaryOps;
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
  const ops = binaryOps;
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
  const ops = comparisons;
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
          { sums: true },
        );
      }
    }
    await agree(`${name} batch-norm moments`, name, [input([64, 7, 7, 128], seed++, lo, hi)], (x) => f(x, [0, 1, 2]), {
      sums: true,
    });
    await agree(`${name} rows`, name, [input([17, 1001], seed++, lo, hi)], (x) => f(x, 1), { sums: true });
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

// ── Sizes where the work is split among threads ──────────────────────────────────
// Element-wise loops, reductions, transposes and batch norm go parallel above 1 M
// elements (kParallelGrain), matmul above 2^24 flops, im2col's copies above 1 M
// values; oneDNN's convolutions always split. With one thread nothing would split,
// so these run with at least two.

const LARGE = [1030, 1030]; // 1,060,900 elements, just above 2^20

async function withThreads(n: number, body: () => Promise<void>): Promise<void> {
  const before = getNumThreads() ?? 1;
  setNumThreads(Math.max(n, before));
  try {
    await body();
  } finally {
    setNumThreads(before);
  }
}

test('large matmuls and convolutions (multi-threaded oneDNN and im2col)', { skip }, async () => {
  await withThreads(2, async () => {
    let seed = 2000;
    await agree(
      'matMul 1100×64 · 64×1000',
      'BatchMatMul',
      [input([1100, 64], seed++), input([64, 1000], seed++)],
      (a, b) => tf.matMul(a, b),
      { sums: true },
    );
    await agree(
      'batched matMul, transposed b',
      'BatchMatMul',
      [input([4, 300, 64], seed++), input([4, 1000, 64], seed++)],
      (a, b) => tf.matMul(a, b, false, true),
      { sums: true },
    );
    await agree(
      'fused matMul relu',
      '_FusedMatMul',
      [input([1100, 64], seed++), input([64, 1000], seed++), input([1000], seed++)],
      (a, b, bias) => tf.fused.matMul({ a, b, bias, activation: 'relu' }),
      { sums: (a, b, bias) => tf.add(tf.matMul(a, b), bias) },
    );
    // oneDNN's direct kernels (5 channels in) and the im2col path (1 channel in), each
    // with outputs (or im2col's patch matrix) above 2^20 values.
    const cases: ConvCase[] = [
      { x: [4, 64, 65, 5], f: [3, 3, 5, 64], s: 1, pad: 'same' },
      { x: [72, 64, 64, 1], f: [4, 4, 1, 32], s: 2, pad: 'same' },
    ];
    for (const c of cases) {
      const [x, f] = [input(c.x, seed++), input(c.f, seed++)];
      await agree(
        `large conv2d ${JSON.stringify(c)}`,
        'Conv2D',
        [x, f],
        (xx, ff) => tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.s, c.pad),
        { sums: true },
      );
      const yShape = tf.backend_util.computeConv2DInfo(c.x as Shape4, c.f as Shape4, c.s, 1, c.pad as 'same').outShape;
      const dy = input(yShape, seed++);
      await agree(
        `large conv2dTranspose (dx) ${JSON.stringify(c)}`,
        'Conv2DBackpropInput',
        [dy, f],
        (d, ff) => tf.conv2dTranspose(d as tf.Tensor4D, ff as tf.Tensor4D, c.x as Shape4, c.s, c.pad as 'same'),
        { sums: true },
      );
      await agreeFilterGradient(`large dfilter ${JSON.stringify(c)}`, x, dy, c);
    }
  });
});

type Shape4 = [number, number, number, number];

/**
 * Conv2DBackpropFilter at sizes where tfjs-cpu's own kernel takes minutes (37 s for a
 * 9×64×64×8 input): the reference is the definition, in float64,
 *   dW[i, j, c, o] = Σ_{b, r, s} x[b, r·sh + i − top, s·sw + j − left, c] · dy[b, r, s, o]
 * (positions outside x count as zero), with Σ|terms| as the tolerance's scale.
 */
async function agreeFilterGradient(label: string, x: Input, dy: Input, c: ConvCase): Promise<void> {
  const info = tf.backend_util.computeConv2DInfo(c.x as Shape4, c.f as Shape4, c.s, 1, c.pad as 'same');
  const { batchSize: n, inHeight: ih, inWidth: iw, inChannels: ic, outHeight: oh, outWidth: ow } = info;
  const { outChannels: oc, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const [xv, dv] = [x.values as Float32Array, dy.values as Float32Array];
  const ref = new Float64Array(kh * kw * ic * oc),
    mag = new Float64Array(ref.length);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < oh; r++) {
      for (let s = 0; s < ow; s++) {
        const d = ((b * oh + r) * ow + s) * oc;
        for (let i = 0; i < kh; i++) {
          const y = r * sh + i - top;
          if (y < 0 || y >= ih) continue;
          for (let j = 0; j < kw; j++) {
            const xx = s * sw + j - left;
            if (xx < 0 || xx >= iw) continue;
            for (let ch = 0; ch < ic; ch++) {
              const xval = xv[((b * ih + y) * iw + xx) * ic + ch];
              const w = ((i * kw + j) * ic + ch) * oc;
              for (let o = 0; o < oc; o++) {
                ref[w + o] += xval * dv[d + o];
                mag[w + o] += Math.abs(xval * dv[d + o]);
              }
            }
          }
        }
      }
    }
  }
  const before = kernelCounts.native.get('Conv2DBackpropFilter') ?? 0;
  const [actual] = await runOn(
    'native',
    [x, dy],
    (xx, d) =>
      tf.engine().runKernel(
        'Conv2DBackpropFilter',
        { x: xx, dy: d },
        {
          strides: c.s,
          pad: c.pad,
          dataFormat: 'NHWC',
          filterShape: c.f,
        },
      ) as tf.Tensor,
  );
  assert.ok((kernelCounts.native.get('Conv2DBackpropFilter') ?? 0) > before, `${label}: did not run natively`);
  assert.deepEqual(actual.shape, c.f);
  const bad = closeEnough(actual.values, ref, { scale: mag });
  assert.equal(bad, undefined, `${label}: ${bad}`);
}

const reductions: [string, (x: tf.Tensor, axis?: number | number[]) => tf.Tensor][] = [
  ['Sum', tf.sum],
  ['Mean', tf.mean],
  ['Max', tf.max],
  ['Min', tf.min],
  ['Prod', tf.prod],
];

test('large element-wise ops, reductions, transposes and batch norm (multi-threaded loops)', { skip }, async () => {
  await withThreads(2, async () => {
    let seed = 2100;
    for (const [name, f, lo, hi] of unaryOps) {
      await agree(`large ${name}`, name, [input(LARGE, seed++, lo, hi)], f);
    }
    for (const [name, f, lo, hi] of binaryOps) {
      await agree(`large ${name}`, name, [input(LARGE, seed++, lo, hi), input(LARGE, seed++, lo, hi)], f);
      await agree(
        `large ${name}, row broadcast`,
        name,
        [input(LARGE, seed++, lo, hi), input([1030], seed++, lo, hi)],
        f,
      );
    }
    for (const [name, f] of comparisons) {
      const round = (x: Input) => ({ ...x, values: x.values.map((v) => Math.round(v)) });
      await agree(`large ${name}`, name, [round(input(LARGE, seed++, -2, 2)), round(input([1030], seed++, -2, 2))], f);
    }
    const c = input(LARGE, seed++);
    const cond: Input = { shape: LARGE, values: Uint8Array.from(c.values, (v) => (v > 0 ? 1 : 0)), dtype: 'bool' };
    await agree('large Select', 'Select', [cond, input(LARGE, seed++), input(LARGE, seed++)], (cc, t, e) =>
      tf.where(cc, t, e),
    );
    // Rows (inner 1), one outer block split by rows among threads, and many outer blocks.
    for (const [name, f] of reductions) {
      const [lo, hi] = name === 'Prod' ? [0.999, 1.001] : [-2, 2];
      await agree(`large ${name} rows`, name, [input(LARGE, seed++, lo, hi)], (x) => f(x, 1), { sums: true });
      await agree(`large ${name} columns`, name, [input([2100, 505], seed++, lo, hi)], (x) => f(x, 0), { sums: true });
      await agree(`large ${name} middle axis`, name, [input([8, 1030, 130], seed++, lo, hi)], (x) => f(x, 1), {
        sums: true,
      });
    }
    await agree('large transpose', 'Transpose', [input([16, 32, 32, 130], seed++)], (x) =>
      tf.transpose(x, [0, 3, 1, 2]),
    );
    await agree('large tile', 'Tile', [input([1, 32, 32, 130], seed++)], (x) => tf.tile(x, [16, 1, 1, 1]));
    const x = input([16, 32, 32, 130], seed++);
    const stat = (lo: number, hi: number) => input([130], seed++, lo, hi);
    await agree(
      'large batchNorm',
      'FusedBatchNorm',
      [x, stat(-1, 1), stat(0.1, 2), stat(-1, 1), stat(0.5, 1.5)],
      (xx, m, v, o, s) => tf.batchNorm(xx, m, v, o, s, 1e-3),
    );
    await agree('large relu grad', 'GankitActivationGrad', [input(LARGE, seed++), input(LARGE, seed++)], (xx, ww) =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), ww)))(xx),
    );
  });
});

// ── NaN, ±Inf, −0 and float32's extremes ──────────────────────────────────────────
// Sizes both below and above the thresholds where a loop goes parallel or a unary op
// goes to oneDNN's JIT (2^14 elements), since each path handles them its own way.

test('unary ops pass NaN, ±Inf, −0 and extremes through as cpu does', { skip }, async () => {
  await withThreads(2, async () => {
    let seed = 3000;
    for (const [name, f, lo, hi] of unaryOps) {
      for (const shape of [[3, 17], [200, 101], LARGE]) {
        const x = withSpecials(input(shape, seed++, lo, hi), seed++, { extremes: true });
        await agree(`${name} ${shape} with specials`, name, [x], f);
      }
    }
  });
});

test('binary ops, comparisons and Select with NaN, ±Inf, −0 and extremes on either side', { skip }, async () => {
  let seed = 3200;
  const special = (shape: number[], lo: number, hi: number) =>
    withSpecials(input(shape, seed++, lo, hi), seed++, { extremes: true, count: 3 });
  for (const [name, f, lo, hi] of binaryOps) {
    for (const [sa, sb] of [
      [
        [7, 9],
        [7, 9],
      ],
      [[7, 9], [9]],
      [
        [300, 301],
        [300, 301],
      ],
    ]) {
      await agree(
        `${name} ${JSON.stringify(sa)} ${JSON.stringify(sb)} with specials`,
        name,
        [special(sa, lo, hi), special(sb, lo, hi)],
        f,
      );
    }
  }
  for (const [name, f] of comparisons) {
    await agree(`${name} with specials`, name, [special([7, 9], -2, 2), special([7, 9], -2, 2)], f);
  }
  const shape = [300, 301];
  const c = input(shape, seed++);
  const cond: Input = { shape, values: Uint8Array.from(c.values, (v) => (v > 0 ? 1 : 0)), dtype: 'bool' };
  await agree('Select with specials', 'Select', [cond, special(shape, -1, 1), special(shape, -1, 1)], (cc, t, e) =>
    tf.where(cc, t, e),
  );
});

test('reductions with NaN and ±Inf: rows, columns, all axes', { skip }, async () => {
  await withThreads(2, async () => {
    let seed = 3400;
    for (const [name, f] of reductions) {
      const [lo, hi] = name === 'Prod' ? [0.999, 1.001] : [-2, 2];
      // Few specials in a large tensor, so that most outputs stay finite.
      for (const [shape, axis] of [
        [[40, 50], 1],
        [[40, 50], 0],
        [
          [3, 5, 7],
          [0, 2],
        ],
        [LARGE, 1],
        [[2100, 505], 0],
      ] as [number[], number | number[]][]) {
        const x = withSpecials(input(shape, seed++, lo, hi), seed++, { count: 1 });
        await agree(`${name} ${shape} axis ${JSON.stringify(axis)} with specials`, name, [x], (t) => f(t, axis), {
          sums: true,
        });
      }
    }
  });
});

test('matmul, fused activations, convolutions and batch norm with NaN and ±Inf inputs', { skip }, async () => {
  let seed = 3600;
  const special = (shape: number[], lo = -1, hi = 1) =>
    withSpecials(input(shape, seed++, lo, hi), seed++, { count: 1 });
  await agree(
    'matMul with specials',
    'BatchMatMul',
    [special([37, 129]), special([129, 65])],
    (a, b) => tf.matMul(a, b),
    {
      sums: true,
    },
  );
  for (const activation of ['relu', 'relu6', 'leakyrelu', 'elu', 'sigmoid'] as const) {
    await agree(
      `fused matMul ${activation} with specials`,
      '_FusedMatMul',
      [special([37, 29], -3, 3), special([29, 31]), input([31], seed++)],
      (a, b, bias) => tf.fused.matMul({ a, b, bias, activation, leakyreluAlpha: 0.3 }),
      { sums: (a, b, bias) => tf.add(tf.matMul(a, b), bias) },
    );
  }
  // Specials in the activations only: in a filter, the padding's zeros would meet
  // them (0·Inf = NaN) in some implementations and not in others.
  for (const c of [
    { x: [2, 9, 11, 8], f: [3, 3, 8, 5], s: 1, pad: 'same' },
    { x: [4, 28, 28, 1], f: [4, 4, 1, 16], s: 2, pad: 'same' },
  ] as ConvCase[]) {
    await agree(
      `conv2d ${JSON.stringify(c)} with specials`,
      'Conv2D',
      [special(c.x), input(c.f, seed++)],
      (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.s, c.pad),
      { sums: true },
    );
    await agree(
      `dconv/dfilter ${JSON.stringify(c)} with specials`,
      'Conv2DBackpropFilter',
      [special(c.x), input(c.f, seed++)],
      (x, f) => tf.grad((ff: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, ff as tf.Tensor4D, c.s, c.pad)))(f),
      { sums: true },
    );
  }
  await agree(
    'batchNorm with specials',
    'FusedBatchNorm',
    [special([3, 5, 7, 6]), input([6], seed++), input([6], seed++, 0.1, 2), input([6], seed++), input([6], seed++)],
    (xx, m, v, o, s) => tf.batchNorm(xx, m, v, o, s, 1e-3),
  );
  await agree('relu grad with specials', 'GankitActivationGrad', [special([40, 50]), special([40, 50])], (xx, ww) =>
    tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), ww)))(xx),
  );
  await agree('transpose with specials', 'Transpose', [special([5, 6, 7])], (x) => tf.transpose(x, [2, 0, 1]));
});
