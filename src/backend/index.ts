// Picks the fastest TensorFlow.js backend that works here and says which one runs.
// Order in Node: native (our oneDNN addon) → wasm → cpu. GANKIT_BACKEND or the
// `backend` argument forces one; forcing one that cannot start is an error, except
// webgpu, which needs an optional package and a GPU driver: without them it says what
// is missing and falls back to that order. `auto` picks webgpu only for a workload (the
// run's networks and batch) on a hardware adapter where timing that workload's step
// found webgpu faster than native (auto.ts; the verdict is cached per machine). Without a
// workload, without a GPU device node, or with only a software adapter (Mesa's llvmpipe,
// always slower) it keeps to that order and measures nothing. A forced backend never measures.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-core's Node bundle registers no gradient functions; tfjs-layers' bundle
// registers all of them, so autograd works only once it is loaded.
import '@tensorflow/tfjs-layers';
import { registerNativeBackend } from './native.js';
import { registerWasmKernels } from './wasm/register.js';
import { installNativeGradients } from './gradients.js';
import { describeAdapter, probeWebgpuAdapter, registerWebgpuBackend, releaseWebgpu, webgpuAdapter } from './webgpu.js';
import {
  autoVerdict,
  countsAsHardware,
  describeDecision,
  hardwareGpuMayExist,
  verdictKey,
  type AutoDecision,
  type Workload,
} from './auto.js';
import { secondsPerStep, timeGanStep } from './step-timing.js';

export { setNumThreads, getNumThreads } from './native.js';
export { fusedAdam, fusedSgdMomentum } from './fused.js';
export type { Workload } from './auto.js';
export { nativeMemoryUse, releaseNativeMemory, describeNativeMemory, type NativeMemoryUse } from './memory.js';

export const BACKENDS = ['native', 'wasm', 'cpu', 'webgpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
/** What `auto` tries, in order (see the header for why webgpu is not here). */
export const AUTO_ORDER: readonly BackendName[] = ['native', 'wasm', 'cpu'];

export interface BackendChoice {
  name: BackendName;
  /** Why a faster backend is not running and what to do about it; empty on native. */
  note: string;
  /** auto timed (or recalled timing) the workload on a hardware WebGPU adapter: the verdict. */
  auto?: AutoDecision;
}

let current: BackendChoice | undefined;
/** The verdict key `current` was chosen for, when auto timed a workload. */
let currentKey: string | undefined;

/** Seconds of timing per backend when auto measures a workload (after the warm-up steps). */
const AUTO_SECONDS = 1.5;

// tfjs prints a banner recommending tfjs-node on first use; gankit says it once itself.
tf.env().set('PROD', true);

/**
 * Starts the backend asked for (default GANKIT_BACKEND, else auto). `workload`, the run's
 * training step, lets auto time webgpu against native on a hardware adapter (see the header).
 */
export async function initBackend(requested?: BackendName | 'auto', workload?: Workload): Promise<BackendChoice> {
  // 'auto' (the options' default) defers to GANKIT_BACKEND, so the variable steers every entry point.
  const wanted =
    requested && requested !== 'auto' ? requested : ((process.env.GANKIT_BACKEND || 'auto') as BackendName | 'auto');
  if (wanted !== 'auto' && !BACKENDS.includes(wanted)) {
    throw new Error(`Expected backend to be one of auto, ${BACKENDS.join(', ')} but received "${wanted}"`);
  }
  // The device-node test first: without a GPU, auto costs what it did before (no Dawn loaded).
  if (wanted === 'auto' && workload && hardwareGpuMayExist()) {
    const measured = await autoForWorkload(workload);
    if (measured) return measured;
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
  current = await firstThatStarts(order);
  currentKey = undefined;
  return current;
}

async function firstThatStarts(order: readonly BackendName[], failures: string[] = []): Promise<BackendChoice> {
  for (const name of order) {
    const failure = await tryBackend(name);
    if (failure === undefined) return { name, note: failures.join('; ') };
    failures.push(`${name}: ${failure}`);
  }
  throw new Error(`No TensorFlow.js backend could start (${failures.join('; ')})`);
}

/**
 * auto with a workload on a machine that may have a GPU: undefined (auto as without a
 * workload) unless Dawn finds a hardware adapter; then the faster of webgpu and the CPU
 * backend auto would pick, by the cached verdict or by timing both now.
 */
async function autoForWorkload(workload: Workload): Promise<BackendChoice | undefined> {
  const { adapter } = await probeWebgpuAdapter();
  if (!adapter || !countsAsHardware(adapter)) return undefined;
  const cpuSide = current && !current.auto && current.name !== 'webgpu' ? current : await firstThatStarts(AUTO_ORDER);
  const key = verdictKey(adapter, cpuSide.name, workload);
  if (current && currentKey === key) {
    if (tf.getBackend() !== current.name) await tf.setBackend(current.name);
    return current;
  }
  const decision = await autoVerdict(adapter, describeAdapter(adapter), cpuSide.name, workload, async () => {
    const extrapolatedFrom: { against?: number; webgpu?: number } = {};
    const time = async (name: BackendName, as: 'against' | 'webgpu') => {
      if ((await tryBackend(name)) !== undefined) return Infinity;
      const t = await timeGanStep(() => workload.build(), workload, workload.batch, AUTO_SECONDS);
      if (t.estimate !== undefined) extrapolatedFrom[as] = t.batch;
      return secondsPerStep(t);
    };
    const against = await time(cpuSide.name, 'against');
    return { against, webgpu: await time('webgpu', 'webgpu'), extrapolatedFrom };
  });
  let note = cpuSide.note;
  if (decision.backend === 'webgpu') {
    const failure = await tryBackend('webgpu');
    if (failure === undefined) {
      [current, currentKey] = [{ name: 'webgpu', note: '', auto: decision }, key];
      return current;
    }
    note = [note, `webgpu: ${failure}`].filter(Boolean).join('; ');
  }
  // The device would keep the process alive and hold the GPU's memory for nothing.
  releaseWebgpu();
  if ((await tryBackend(cpuSide.name)) !== undefined) return undefined;
  [current, currentKey] = [{ name: cpuSide.name, note, auto: decision }, key];
  return current;
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
  const decided = choice.auto;
  const adapter = webgpuAdapter();
  if (choice.name === 'webgpu' && adapter)
    return `backend: webgpu (${describeAdapter(adapter)})${decided ? `, ${describeDecision(decided)}` : ''}`;
  // auto's verdict against webgpu, and why a faster backend is not running (a webgpu request that fell back).
  const why = [decided && `webgpu (${decided.adapter}) ${describeDecision(decided)}`, choice.note]
    .filter(Boolean)
    .join('; ');
  if (choice.name === 'native') return `backend: native (oneDNN)${why ? `; ${why}` : ''}`;
  return `backend: ${choice.name} (slower; ${why || 'native backend not requested'})`;
}
