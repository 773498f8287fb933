// The "native" tfjs backend: tfjs-backend-cpu's storage and kernels, with the
// kernels that dominate training replaced by oneDNN ones from our addon that
// read and write the very same Float32Array buffers.
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { availableParallelism } from 'node:os';
import { loadAddon, type NativeAddon } from './addon.js';
import { nativeKernelConfigs } from './kernels/register.js';
import { BACKEND_NAME, setAddon } from './kernels/util.js';
import { clearPool, markEscaped, release } from './pool.js';
import { installNativeGradients } from './gradients.js';
import { installUnfusedLinearOps } from './unfused.js';

/**
 * Same data storage as the cpu backend (so every cpu kernel works on it
 * unchanged), plus recycling of native outputs' buffers (see pool.ts).
 */
export class NativeBackend extends MathBackendCPU {
  override readSync(dataId: object): tf.backend_util.BackendValues {
    if (this.data.has(dataId)) markEscaped(this.data.get(dataId).values);
    return super.readSync(dataId);
  }

  override read(dataId: object): Promise<tf.backend_util.BackendValues> {
    if (this.data.has(dataId)) markEscaped(this.data.get(dataId).values);
    return super.read(dataId);
  }

  override disposeData(dataId: object, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const freed = super.disposeData(dataId, force);
    if (freed && values !== undefined && !this.data.has(dataId)) release(values);
    return freed;
  }

  override dispose(): void {
    clearPool();
    super.dispose();
  }
}

let registered = false;
let loaded: NativeAddon | undefined;

/**
 * Registers the "native" backend and its kernels. Returns undefined on success,
 * else why it is unavailable and what to install.
 */
export function registerNativeBackend(): string | undefined {
  if (registered) return undefined;
  const { addon, why } = loadAddon();
  if (!addon) return why;
  loaded = addon;
  setAddon(addon);
  applyThreadsFromEnv(addon);
  tf.registerBackend(BACKEND_NAME, () => new NativeBackend(), 3);
  const replaced = new Set<string>();
  for (const config of nativeKernelConfigs) {
    tf.registerKernel(config);
    replaced.add(config.kernelName);
  }
  for (const config of tf.getKernelsForBackend('cpu')) {
    if (!replaced.has(config.kernelName)) tf.registerKernel({ ...config, backendName: BACKEND_NAME });
  }
  registered = true;
  installNativeGradients();
  installUnfusedLinearOps();
  return undefined;
}

function applyThreadsFromEnv(addon: NativeAddon): void {
  const env = process.env.GANKIT_THREADS;
  if (env === undefined || env === '') {
    addon.setNumThreads(availableParallelism());
    return;
  }
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`Expected GANKIT_THREADS to be a positive integer but received "${env}"`);
  }
  addon.setNumThreads(n);
}

/** Sets the number of threads native kernels use (default: every core, or GANKIT_THREADS). */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`Expected threads to be a positive integer but received ${String(n)}`);
  }
  const addon = loaded ?? loadAddon().addon;
  if (!addon) throw new Error(`Expected the native addon for setNumThreads but received none: ${loadAddon().why}`);
  addon.setNumThreads(n);
}

/** Threads native kernels use, or undefined when the addon is not loaded. */
export function getNumThreads(): number | undefined {
  return loaded?.getNumThreads();
}

/** The loaded addon (for fused updates and tests), if any. */
export function nativeAddon(): NativeAddon | undefined {
  return loaded;
}
