// One reading of a training process's memory: tfjs's tensors, the process's RSS and
// the native backend's own use (src/backend/memory.ts). Used by the soak
// (bench/soak.ts) and its short version in the tests (test/train/memory.test.ts).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import { nativeMemoryUse } from '../src/backend/index.js';

export interface MemorySample {
  step: number;
  numTensors: number;
  numBytes: number;
  rssMB: number;
  /** The native backend's caches, scratch and pool (MiB); undefined off native. */
  nativeMB?: number;
  /** Entries in the native primitive caches, all together. */
  nativeEntries?: number;
}

let collect: (() => void) | undefined;

/** V8's full collection: node --expose-gc's gc(), or the same function obtained by setting the flag now. */
function collectGarbage(): void {
  if (!collect) {
    collect = (globalThis as { gc?: () => void }).gc;
    if (!collect) {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  collect();
}

/**
 * Reads memory now, after a full garbage collection, so RSS says what is retained
 * rather than when V8 last happened to collect.
 */
export function sampleMemory(step: number): MemorySample {
  collectGarbage();
  const { numTensors, numBytes } = tf.memory();
  const native = nativeMemoryUse();
  return {
    step,
    numTensors,
    numBytes,
    rssMB: process.memoryUsage.rss() / 2 ** 20,
    ...(native
      ? {
          nativeMB: native.totalBytes / 2 ** 20,
          nativeEntries: native.caches.reduce((t, c) => t + c.entries, 0),
        }
      : {}),
  };
}

/** A markdown table of the samples. */
export function memoryTable(samples: MemorySample[]): string {
  const rows = samples.map(
    (s) =>
      `| ${s.step} | ${s.numTensors} | ${s.numBytes.toLocaleString('en-US')} | ${s.rssMB.toFixed(0)} | ` +
      `${s.nativeMB === undefined ? '—' : s.nativeMB.toFixed(1)} | ${s.nativeEntries ?? '—'} |`,
  );
  return [
    '| step | tensors | tensor bytes | RSS MiB | native MiB | native cache entries |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

/**
 * What is wrong with a run's samples, one sentence each (empty: flat). From the warm-up
 * sample on, the tensor count must not change at all and RSS must stay within
 * `rssSlack` (0.1 = +10%) of its value at warm-up.
 */
export function flatnessProblems(samples: MemorySample[], warmupStep: number, rssSlack: number): string[] {
  const base = samples.find((s) => s.step === warmupStep);
  if (!base) return [`Expected a sample at the warm-up step ${warmupStep} but the samples are at other steps`];
  const problems: string[] = [];
  for (const s of samples.filter((x) => x.step > warmupStep)) {
    if (s.numTensors !== base.numTensors) {
      problems.push(
        `Expected ${base.numTensors} tensors (as at step ${base.step}) at step ${s.step} but found ${s.numTensors}`,
      );
    }
    if (s.rssMB > base.rssMB * (1 + rssSlack)) {
      problems.push(
        `Expected RSS within +${(rssSlack * 100).toFixed(0)}% of ${base.rssMB.toFixed(0)} MiB (step ${base.step}) ` +
          `at step ${s.step} but found ${s.rssMB.toFixed(0)} MiB`,
      );
    }
  }
  return problems;
}
