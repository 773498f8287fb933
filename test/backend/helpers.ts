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

export async function useBackend(name: 'native' | 'cpu' | 'wasm'): Promise<void> {
  if (name === 'native') await initBackend('native');
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

/** Runs f on fresh copies of the inputs on one backend; returns flat copies of the outputs. */
export async function runOn(
  backend: 'native' | 'cpu' | 'wasm',
  inputs: Input[],
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<{ shape: number[]; dtype: string; values: number[] }[]> {
  await useBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values.slice(), i.shape, i.dtype ?? 'float32'));
    const ys = f(...xs);
    return (Array.isArray(ys) ? ys : [ys]).map((y) => ({
      shape: y.shape,
      dtype: y.dtype,
      values: Array.from(y.dataSync()),
    }));
  });
}

/**
 * |a − e| ≤ 1e-4 · max(|e|, mean|e|) element-wise: relative error, with the
 * tensor's mean magnitude as the floor for entries that cancel to near zero.
 */
export function closeEnough(actual: number[], expected: number[], rtol = 1e-4): string | undefined {
  if (actual.length !== expected.length) return `length ${actual.length} vs ${expected.length}`;
  let meanAbs = 0;
  for (const e of expected) meanAbs += Math.abs(e);
  meanAbs = expected.length ? meanAbs / expected.length : 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i],
      e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const tol = rtol * Math.max(Math.abs(e), meanAbs, 1e-30);
    if (!(Math.abs(a - e) <= tol)) return `element ${i}: ${a} vs ${e} (tolerance ${tol.toExponential(2)})`;
  }
  return undefined;
}
