// Fused optimizer updates, in place, for gankit's own optimizers
// (src/train/optimizers.ts). Each returns false when the active backend has no
// fused path (not native) so the caller falls back to tf ops.
//
// Formulas (t = opts.step, counted from 1):
//   Adam (as tf.train.adam and torch.optim.Adam):
//     m ← β1·m + (1−β1)·g
//     v ← β2·v + (1−β2)·g²
//     p ← p − lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + eps)
//   SGD with momentum (PyTorch convention, dampening 0, no Nesterov):
//     buf ← μ·buf + g
//     p   ← p − lr·buf
//
// "In place" means the Float32Array behind each variable is updated directly.
// When that storage is shared with another tensor (tf.clone shares it, and so
// does a variable created from a tensor that is still alive) writing it would
// change that tensor too; such a variable first gets a private copy.
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { nativeAddon } from './native.js';

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  step: number;
}
export interface SgdMomentumOptions {
  lr: number;
  momentum: number;
}

function nativeBackend(): MathBackendCPU | undefined {
  if (tf.getBackend() !== 'native' || !nativeAddon()) return undefined;
  return tf.backend() as MathBackendCPU;
}

/** Storage of t, writable in place; undefined when t is not float32 on this backend. */
function ownedStorage(backend: MathBackendCPU, v: tf.Variable): Float32Array | undefined {
  if (v.dtype !== 'float32') return undefined;
  const data = backend.data.get(v.dataId);
  if (!(data.values instanceof Float32Array)) return undefined;
  if (backend.refCount(v.dataId) > 1) {
    // Shared: give the variable its own buffer before writing.
    const fresh = tf.add(v, 0);
    v.assign(fresh);
    fresh.dispose();
    return backend.data.get(v.dataId).values as Float32Array;
  }
  return data.values;
}

function readOnly(backend: MathBackendCPU, t: tf.Tensor): Float32Array | undefined {
  if (t.dtype !== 'float32') return undefined;
  const values = backend.data.get(t.dataId).values;
  return values instanceof Float32Array ? values : undefined;
}

function checkLengths(name: string, n: number, ...lists: unknown[][]): void {
  for (const l of lists) {
    if (l.length !== n) throw new Error(`Expected ${n} entries for ${name} but received ${l.length}`);
  }
}

export function fusedAdam(
  vars: tf.Variable[],
  grads: tf.Tensor[],
  m: tf.Variable[],
  v: tf.Variable[],
  opts: AdamOptions,
): boolean {
  const backend = nativeBackend();
  const addon = nativeAddon();
  if (!backend || !addon) return false;
  checkLengths('grads, m and v', vars.length, grads, m, v);
  const plan: [Float32Array, Float32Array, Float32Array, Float32Array][] = [];
  for (let i = 0; i < vars.length; i++) {
    const p = ownedStorage(backend, vars[i]),
      g = readOnly(backend, grads[i]);
    const mi = ownedStorage(backend, m[i]),
      vi = ownedStorage(backend, v[i]);
    if (!p || !g || !mi || !vi) return false;
    plan.push([p, g, mi, vi]);
  }
  for (const [p, g, mi, vi] of plan) {
    addon.adamUpdate(p, g, mi, vi, opts.lr, opts.beta1, opts.beta2, opts.eps, opts.step);
  }
  return true;
}

export function fusedSgdMomentum(
  vars: tf.Variable[],
  grads: tf.Tensor[],
  bufs: tf.Variable[],
  opts: SgdMomentumOptions,
): boolean {
  const backend = nativeBackend();
  const addon = nativeAddon();
  if (!backend || !addon) return false;
  checkLengths('grads and bufs', vars.length, grads, bufs);
  const plan: [Float32Array, Float32Array, Float32Array][] = [];
  for (let i = 0; i < vars.length; i++) {
    const p = ownedStorage(backend, vars[i]),
      g = readOnly(backend, grads[i]),
      b = ownedStorage(backend, bufs[i]);
    if (!p || !g || !b) return false;
    plan.push([p, g, b]);
  }
  for (const [p, g, b] of plan) addon.sgdMomentumUpdate(p, g, b, opts.lr, opts.momentum);
  return true;
}
