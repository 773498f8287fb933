// Shared by the backend tests: whether the native addon is here (tests that
// need it skip only when it is genuinely not built, and say why), seeded
// random inputs, and the tolerance the conformance suite holds kernels to.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients
import { existsSync } from 'node:fs';
import { initBackend } from '../../src/backend/index.js';
import { addonPath, loadAddon } from '../../src/backend/addon.js';
import { registerNativeBackend } from '../../src/backend/native.js';

/** undefined when the native backend is usable, else why not. A built addon that fails to load is a failure, not a skip. */
export function nativeSkipReason(): string | undefined {
  if (!existsSync(addonPath())) {
    const why = `native addon not built: ${loadAddon().why}`;
    console.log(`# skipping native backend tests: ${why}`);
    return why;
  }
  const why = registerNativeBackend();
  if (why) throw new Error(`The native addon is built but does not load: ${why}`);
  return undefined;
}

export type TestBackend = 'native' | 'cpu' | 'wasm' | 'webgpu';

export async function useBackend(name: TestBackend): Promise<void> {
  if (name === 'native') await initBackend('native');
  else if (name === 'webgpu') {
    // initBackend falls back when webgpu cannot start; a webgpu test must not pass on another backend.
    const choice = await initBackend('webgpu');
    if (choice.name !== 'webgpu') throw new Error(`Expected the webgpu backend to start but received ${choice.note}`);
  } else if (name === 'wasm')
    await initBackend('wasm'); // with the kernels gankit supplies
  else if (!(await tf.setBackend(name))) throw new Error(`Expected backend ${name} to start`);
}

/** Deterministic pseudo-random floats in [lo, hi) (mulberry32). */
export function rand(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

export interface Input {
  shape: number[];
  values: Float32Array | Uint8Array;
  dtype?: 'float32' | 'bool';
}

export function input(shape: number[], seed: number, lo = -1, hi = 1): Input {
  return {
    shape,
    values: rand(
      shape.reduce((a, b) => a * b, 1),
      seed,
      lo,
      hi,
    ),
  };
}

/** Runs f on fresh copies of the inputs on one backend; returns copies of the outputs' values. */
export async function runOn(
  backend: TestBackend,
  inputs: Input[],
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<{ shape: number[]; dtype: string; values: Float32Array | Int32Array | Uint8Array }[]> {
  await useBackend(backend);
  // The values are read outside tidy: tidy walks its result looking for tensors,
  // which took seconds on a million-element array.
  const ys = tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values.slice(), i.shape, i.dtype ?? 'float32'));
    const out = f(...xs);
    return Array.isArray(out) ? out : [out];
  });
  const result = [];
  for (const y of ys) {
    // webgpu can only read asynchronously in Node (src/backend/webgpu.ts).
    const values = backend === 'webgpu' ? await y.data() : y.dataSync();
    result.push({ shape: y.shape, dtype: y.dtype, values: (values as Float32Array | Int32Array | Uint8Array).slice() });
  }
  tf.dispose(ys);
  return result;
}

/** Tolerances of closeEnough. */
export interface Tolerance {
  /** Relative, per element: allowed |a − e| grows with |e|. */
  rtol?: number;
  /** Absolute floor, multiplied by `scale[i]` when a scale is given. */
  atol?: number;
  /**
   * Per-element magnitude for the absolute floor: for a sum of products, Σ|terms| (the
   * same function on the inputs' absolute values), the quantity float rounding error is
   * proportional to. Without it the floor is atol itself.
   */
  scale?: ArrayLike<number>;
}

/**
 * Element by element: |a − e| ≤ rtol·|e| + atol·scale (scale 1 without one); NaN
 * exactly where the reference has NaN, and the same infinities. Returns the first
 * disagreement in words, or undefined. Defaults: rtol 1e-5 (a few float32 ulps),
 * atol 1e-6.
 */
export function closeEnough(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance | number = {},
): string | undefined {
  const { rtol = 1e-5, atol = 1e-6, scale } = typeof tol === 'number' ? { rtol: tol } : tol;
  if (actual.length !== expected.length) return `length ${actual.length} vs ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i],
      e = expected[i];
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))) continue;
      return `element ${i}: ${a} where the reference has ${e}`;
    }
    const floor = scale && Number.isFinite(scale[i]) ? atol * Math.abs(scale[i]) : atol;
    const bound = rtol * Math.abs(e) + floor;
    if (!(Math.abs(a - e) <= bound)) return `element ${i}: ${a} vs ${e} (tolerance ${bound.toExponential(2)})`;
  }
  return undefined;
}

/**
 * A copy of an input with NaN, +Inf, −Inf and −0 at `count` seeded positions each, and
 * with `extremes` also float32's largest finite values, its smallest normal and a
 * denormal: what a kernel must pass through as the cpu backend does. (Extremes only for
 * element-wise ops: where a sum of them overflows depends on the order of addition.)
 */
export function withSpecials(x: Input, seed: number, o: { count?: number; extremes?: boolean } = {}): Input {
  const { count = 2, extremes = false } = o;
  const values = Float32Array.from(x.values as Float32Array);
  const specials = [NaN, Infinity, -Infinity, -0, ...(extremes ? [3.4e38, -3.4e38, 1.2e-38, -1e-45] : [])];
  const pick = rand(specials.length * count, seed, 0, values.length);
  specials.forEach((v, k) => {
    for (let c = 0; c < count; c++) values[Math.floor(pick[k * count + c])] = v;
  });
  return { ...x, values };
}
