// One benchmark measurement in its own process (see main.ts): prints a JSON line.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/backend/index.js';
import { getNumThreads } from '../src/backend/native.js';
import { nativeMemoryUse } from '../src/backend/memory.js';
import { dcgan28Workload, mlp2dWorkload } from './workloads.js';

// A pure-JS cpu DCGAN-28 step takes minutes; time one batch-2 step first and
// skip the measurement when a full step would exceed this.
const CPU_BUDGET_MS = 3000;
const WARMUP_MS = 1500;
const TIMED_MS = 2000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function runChild(workload: string, backend: string, steps: number, warmup: number): Promise<void> {
  const choice = await initBackend(backend as 'native' | 'wasm' | 'cpu');
  const make = workload === 'dcgan28' ? dcgan28Workload : workload === 'mlp2d' ? mlp2dWorkload : undefined;
  if (!make) throw new Error(`Expected workload dcgan28 or mlp2d but received ${workload}`);
  const base = { workload, backend: choice.name, threads: getNumThreads() };
  if (backend === 'cpu' && workload === 'dcgan28') {
    const probe = make(7, 2);
    probe.step.step(probe.real);
    const t = performance.now();
    probe.step.step(probe.real);
    const estimate = ((performance.now() - t) * 64) / 2;
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
  const { step, real } = make();
  // Warm-up: at least `warmup` steps and WARMUP_MS (V8 needs a few hundred
  // calls to optimize the engine's hot paths; small workloads finish 3 steps
  // in milliseconds). Timed: at least `steps` steps and TIMED_MS, at most 1000,
  // so a millisecond-scale median is not at the mercy of one busy moment.
  // bench/torch_dcgan28.py applies the same rules.
  let start = performance.now();
  for (let i = 0; i < warmup || (performance.now() - start < WARMUP_MS && i < 1000); i++) step.step(real);
  const times: number[] = [];
  let last = { lossD: 0, lossG: 0 };
  start = performance.now();
  for (let i = 0; i < steps || (performance.now() - start < TIMED_MS && i < 1000); i++) {
    const t = performance.now();
    last = step.step(real);
    times.push(performance.now() - t);
  }
  console.log(
    JSON.stringify({
      ...base,
      stepMs: Number(median(times).toFixed(2)),
      steps: times.length,
      peakRssMB: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
      numTensors: tf.memory().numTensors,
      ...nativeMemory(),
      lossD: last.lossD,
      lossG: last.lossG,
    }),
  );
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
