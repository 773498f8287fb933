// Shared helpers for the native kernels: reach the Float32Array behind a
// tensor (no copy), make outputs, and fall back to the cpu kernel for the cases
// a native kernel does not cover (int32 inputs, NCHW, exotic broadcasts).
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { NativeAddon } from '../addon.js';

export const BACKEND_NAME = 'native';

let theAddon: NativeAddon | undefined;
export function setAddon(a: NativeAddon): void {
  theAddon = a;
}
/** The loaded addon; kernels are registered only after it loaded. */
export function addon(): NativeAddon {
  if (!theAddon)
    throw new Error('Expected the native addon to be loaded before a native kernel runs but received none');
  return theAddon;
}

export interface KernelArgs {
  /** Optional inputs (bias, offset, …) may be absent: read them as `TensorInfo | undefined`. */
  inputs: Record<string, TensorInfo>;
  backend: MathBackendCPU;
  attrs?: NamedAttrMap;
}

/** The tensor's storage when it is float32 held in a Float32Array, else undefined. */
export function f32(backend: MathBackendCPU, t: TensorInfo | undefined): Float32Array | undefined {
  if (!t || t.dtype !== 'float32') return undefined;
  const v = backend.data.get(t.dataId).values;
  return v instanceof Float32Array ? v : undefined;
}

/** The storage of a bool tensor (tfjs-backend-cpu keeps bools as Uint8Array). */
export function u8(backend: MathBackendCPU, t: TensorInfo): Uint8Array | undefined {
  if (t.dtype !== 'bool') return undefined;
  const v = backend.data.get(t.dataId).values;
  return v instanceof Uint8Array ? v : undefined;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function out(
  backend: MathBackendCPU,
  shape: number[],
  values: Float32Array | Uint8Array,
  dtype: 'float32' | 'bool' = 'float32',
): TensorInfo {
  return backend.makeTensorInfo(shape, dtype, values);
}

/** The cpu implementation of a kernel, looked up once, for cases we don't handle natively. */
export function cpuFallback(kernelName: string): KernelFunc {
  let fn: KernelFunc | undefined;
  return (args) => {
    fn ??= tf.getKernel(kernelName, 'cpu')?.kernelFunc;
    if (!fn) throw new Error(`Expected a cpu kernel for ${kernelName} but received none`);
    return fn(args);
  };
}

/**
 * How often each replaced kernel ran natively and how often it fell back to
 * the cpu kernel — tests assert the native path really ran, profiling reads it.
 */
export const kernelCounts = { native: new Map<string, number>(), fallback: new Map<string, number>() };

function bump(map: Map<string, number>, name: string): void {
  map.set(name, (map.get(name) ?? 0) + 1);
}

/** Builds a KernelConfig whose function tries `native` and else runs the cpu kernel. */
export function nativeKernel(
  kernelName: string,
  native: (args: KernelArgs) => TensorInfo | TensorInfo[] | undefined,
): KernelConfig {
  const fallback = cpuFallback(kernelName);
  const kernelFunc: KernelFunc = (args) => {
    const result = native(args as unknown as KernelArgs);
    if (result !== undefined) {
      bump(kernelCounts.native, kernelName);
      return result;
    }
    bump(kernelCounts.fallback, kernelName);
    return fallback(args);
  };
  return { kernelName, backendName: BACKEND_NAME, kernelFunc };
}

// Int32Array views of small shape arrays; cached by content so hot kernels
// don't allocate a typed array per call.
const dimsCache = new Map<string, Int32Array>();
export function dims(values: readonly number[]): Int32Array {
  const key = values.join(',');
  let a = dimsCache.get(key);
  if (!a) {
    a = Int32Array.from(values);
    if (dimsCache.size > 4096) dimsCache.clear();
    dimsCache.set(key, a);
  }
  return a;
}
