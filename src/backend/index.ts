// Picks the fastest TensorFlow.js backend that works here and says which one runs.
// Order in Node: native (our oneDNN addon) → wasm → cpu. GANKIT_BACKEND or the
// `backend` argument forces one; forcing one that cannot start is an error, except
// webgpu, which needs an optional package and a GPU driver: without them it says what
// is missing and falls back to that order. `auto` never picks webgpu: it would only once
// a hardware adapter has been measured faster than native for the workload, and no such
// measurement exists yet (a software adapter, Mesa's llvmpipe, is always slower).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-core's Node bundle registers no gradient functions; tfjs-layers' bundle
// registers all of them, so autograd works only once it is loaded.
import '@tensorflow/tfjs-layers';
import { registerNativeBackend } from './native.js';
import { registerWasmKernels } from './wasm/register.js';
import { installNativeGradients } from './gradients.js';
import { describeAdapter, registerWebgpuBackend, webgpuAdapter } from './webgpu.js';

export { setNumThreads, getNumThreads } from './native.js';
export { fusedAdam, fusedSgdMomentum } from './fused.js';
export { nativeMemoryUse, releaseNativeMemory, describeNativeMemory, type NativeMemoryUse } from './memory.js';

export const BACKENDS = ['native', 'wasm', 'cpu', 'webgpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
/** What `auto` tries, in order (see the header for why webgpu is not here). */
export const AUTO_ORDER: readonly BackendName[] = ['native', 'wasm', 'cpu'];

export interface BackendChoice {
  name: BackendName;
  /** Why a faster backend is not running and what to do about it; empty on native. */
  note: string;
}

let current: BackendChoice | undefined;

// tfjs prints a banner recommending tfjs-node on first use; gankit says it once itself.
tf.env().set('PROD', true);

export async function initBackend(requested?: BackendName | 'auto'): Promise<BackendChoice> {
  // 'auto' (the options' default) defers to GANKIT_BACKEND, so the variable steers every entry point.
  const wanted =
    requested && requested !== 'auto' ? requested : ((process.env.GANKIT_BACKEND || 'auto') as BackendName | 'auto');
  if (wanted !== 'auto' && !BACKENDS.includes(wanted)) {
    throw new Error(`Expected backend to be one of auto, ${BACKENDS.join(', ')} but received "${wanted}"`);
  }
  if (current && (wanted === 'auto' || wanted === current.name)) {
    // Someone may have switched with tf.setBackend since; switch back.
    if (tf.getBackend() !== current.name) await tf.setBackend(current.name);
    // Modules imported since (tfjs-layers registers tfjs's gradients) may have
    // replaced the native gradient wrappers; reinstalling is idempotent.
    if (current.name === 'native') installNativeGradients();
    return current;
  }

  // webgpu falls back (see the header); the others, forced, run or fail.
  const order: BackendName[] =
    wanted === 'auto' ? [...AUTO_ORDER] : wanted === 'webgpu' ? ['webgpu', ...AUTO_ORDER] : [wanted];
  const failures: string[] = [];
  for (const name of order) {
    const failure = await tryBackend(name);
    if (failure === undefined) {
      current = { name, note: failures.join('; ') };
      return current;
    }
    failures.push(`${name}: ${failure}`);
  }
  throw new Error(`No TensorFlow.js backend could start (${failures.join('; ')})`);
}

/** Returns undefined when `name` is now the active backend, else why it is not. */
async function tryBackend(name: BackendName): Promise<string | undefined> {
  try {
    if (name === 'native') {
      const why = registerNativeBackend();
      if (why) return why;
    }
    if (name === 'wasm') registerWasmKernels();
    if (name === 'webgpu') {
      const why = await registerWebgpuBackend();
      if (why) return why;
    }
    const ok = await tf.setBackend(name);
    if (!ok) return 'failed to initialise';
    await tf.ready();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The one line printed at start-up: which backend runs and, if not native, why. */
export function describeBackend(choice: BackendChoice): string {
  // A webgpu request that fell back says why on the same line.
  if (choice.name === 'native') return `backend: native (oneDNN)${choice.note ? `; ${choice.note}` : ''}`;
  const adapter = webgpuAdapter();
  if (choice.name === 'webgpu' && adapter) return `backend: webgpu (${describeAdapter(adapter)})`;
  return `backend: ${choice.name} (slower; ${choice.note || 'native backend not requested'})`;
}
