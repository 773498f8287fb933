// One benchmark measurement in its own process (see main.ts): prints a JSON line.
// webgpu can only read asynchronously in Node, so its step reads the losses with
// `await data()`; the other backends read with dataSync unless --read async says otherwise
// (measured: see SYNC_NOTE). A software WebGPU adapter (llvmpipe) takes tens of seconds for
// one DCGAN step of batch 64, so webgpu is timed on a budget: at a smaller batch where a
// step would outlast STEP_BUDGET_MS, and over fewer steps where steps are slow, the row's
// note saying which.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../src/backend/index.js';
import { getNumThreads } from '../src/backend/native.js';
import { nativeMemoryUse } from '../src/backend/memory.js';
import { describeAdapter, webgpuAdapter } from '../src/backend/webgpu.js';
import { WORKLOADS, type GanStep, type StepLosses } from './workloads.js';

// A pure-JS cpu DCGAN-28 step takes minutes; time one batch-2 step first and
// skip the measurement when a full step would exceed this.
const CPU_BUDGET_MS = 3000;
const WARMUP_MS = 1500;
const TIMED_MS = 2000;
/** webgpu: the longest step timed; a batch whose step would take longer is halved until one fits. */
const STEP_BUDGET_MS = 3000;
/** webgpu steps slower than this are timed over at least SLOW_STEPS steps and SLOW_TIMED_MS, not `steps`. */
const SLOW_STEP_MS = 500;
const SLOW_STEPS = 3;
const SLOW_TIMED_MS = 10_000;

export interface ChildOptions {
  steps: number;
  warmup: number;
  /** The batch to time; the workload's own when undefined. */
  batch?: number;
  /** How the step reads its losses: 'async' (await data()) or 'sync' (dataSync). */
  read?: 'sync' | 'async';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function runChild(workload: string, backend: string, o: ChildOptions): Promise<void> {
  const spec = WORKLOADS[workload];
  if (!spec) throw new Error(`Expected workload ${Object.keys(WORKLOADS).join(', ')} but received ${workload}`);
  const choice = await initBackend(backend as BackendName);
  const wanted = o.batch ?? spec.batch;
  const base = { workload, backend: choice.name, batch: wanted, threads: getNumThreads() };
  if (choice.name !== backend) {
    // webgpu falls back instead of failing: a row timed on native would be mislabelled.
    console.log(
      JSON.stringify({ ...base, backend, stepMs: null, skipped: `${backend} did not start (${choice.note})` }),
    );
    return;
  }
  const read = o.read ?? (backend === 'webgpu' ? 'async' : 'sync');
  const once = async (s: GanStep, real: tf.Tensor): Promise<StepLosses> =>
    read === 'async' ? await s.stepAsync(real) : s.step(real);
  const adapter = webgpuAdapter();
  const adapterNote = adapter && backend === 'webgpu' ? describeAdapter(adapter) : undefined;

  if (backend === 'cpu' && workload !== 'mlp2d') {
    const probe = spec.make(7, 2);
    probe.step.step(probe.real);
    const t = performance.now();
    probe.step.step(probe.real);
    const estimate = ((performance.now() - t) * wanted) / 2;
    if (estimate > CPU_BUDGET_MS) {
      console.log(
        JSON.stringify({
          ...base,
          stepMs: null,
          skipped: `too slow to time: ~${(estimate / 1000).toFixed(0)} s/step (extrapolated from a batch-2 step)`,
        }),
      );
      return;
    }
  }

  const fit: { batch: number; stepMs?: number; estimateMs?: number } =
    backend === 'webgpu' ? await batchWithinBudget(spec.make, wanted, once) : { batch: wanted };
  const { step, real } = spec.make(7, fit.batch);
  // Warm-up: at least `warmup` steps and WARMUP_MS (V8 needs a few hundred
  // calls to optimize the engine's hot paths; small workloads finish 3 steps
  // in milliseconds). Timed: at least `steps` steps and TIMED_MS, at most 1000,
  // so a millisecond-scale median is not at the mercy of one busy moment.
  // bench/torch_dcgan28.py applies the same rules. Slow webgpu steps: see the header.
  const slow = fit.stepMs !== undefined && fit.stepMs > SLOW_STEP_MS;
  const warmupSteps = slow ? 1 : o.warmup;
  let start = performance.now();
  for (let i = 0; i < warmupSteps || (!slow && performance.now() - start < WARMUP_MS && i < 1000); i++)
    await once(step, real);
  const times: number[] = [];
  let last = { lossD: 0, lossG: 0 };
  const [minSteps, minMs] = slow ? [SLOW_STEPS, SLOW_TIMED_MS] : [o.steps, TIMED_MS];
  start = performance.now();
  for (let i = 0; i < minSteps || (performance.now() - start < minMs && i < 1000); i++) {
    const t = performance.now();
    if (read === 'async') last = await step.stepAsync(real);
    else last = step.step(real);
    times.push(performance.now() - t);
  }
  const notes = [
    adapterNote,
    fit.batch < wanted
      ? `batch ${fit.batch}: a step of batch ${wanted} would take ~${(fit.estimateMs! / 1000).toFixed(0)} s (extrapolated)`
      : undefined,
    slow ? `median of ${times.length} steps after 1 warm-up step (slow steps)` : undefined,
    read === 'async' && backend !== 'webgpu' ? 'async reads' : undefined,
  ].filter(Boolean);
  console.log(
    JSON.stringify({
      ...base,
      batch: fit.batch,
      stepMs: Number(median(times).toFixed(2)),
      steps: times.length,
      read,
      ...(adapter && backend === 'webgpu' ? { adapter: describeAdapter(adapter), software: adapter.software } : {}),
      ...(notes.length ? { note: notes.join('; ') } : {}),
      peakRssMB: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
      numTensors: tf.memory().numTensors,
      ...nativeMemory(),
      lossD: last.lossD,
      lossG: last.lossG,
    }),
  );
}

/**
 * The largest batch up to `wanted` whose step fits STEP_BUDGET_MS: from batch 1, doubling
 * while the step, extrapolated in proportion to the batch, stays inside it. Each batch's
 * first step compiles its shaders, so each is stepped twice and the second is the one timed.
 */
async function batchWithinBudget(
  make: (seed?: number, batch?: number) => { step: GanStep; real: tf.Tensor },
  wanted: number,
  once: (s: GanStep, real: tf.Tensor) => Promise<StepLosses>,
): Promise<{ batch: number; stepMs: number; estimateMs?: number }> {
  const timeAt = async (batch: number) => {
    const { step, real } = make(7, batch);
    try {
      await once(step, real);
      const t = performance.now();
      await once(step, real);
      return performance.now() - t;
    } finally {
      step.dispose();
      step.G.dispose();
      step.D.dispose();
      real.dispose();
    }
  };
  let batch = Math.min(wanted, 4);
  let ms = await timeAt(batch);
  while (batch < wanted && ms * (Math.min(wanted, 2 * batch) / batch) <= STEP_BUDGET_MS) {
    batch = Math.min(wanted, 2 * batch);
    ms = await timeAt(batch);
  }
  // Halve from a batch already too slow (e.g. the asked batch was small but its step is not).
  while (batch > 1 && ms > STEP_BUDGET_MS) {
    batch = Math.max(1, batch >> 1);
    ms = await timeAt(batch);
  }
  return { batch, stepMs: ms, ...(batch < wanted ? { estimateMs: (ms * wanted) / batch } : {}) };
}

/** The native backend's own memory after the timed steps (src/backend/memory.ts): caches, scratch, pool. */
function nativeMemory(): { nativeMB?: number; nativeCacheEntries?: number } {
  const use = nativeMemoryUse();
  if (!use) return {};
  return {
    nativeMB: Number((use.totalBytes / 2 ** 20).toFixed(1)),
    nativeCacheEntries: use.caches.reduce((t, c) => t + c.entries, 0),
  };
}
