// Fault injection for tests. A NaN in one real batch, as a corrupt example or a flaky
// device would put there, for the tests of recovery from divergence: it fires once, and
// the rollback that follows trains through the same step again, on clean data. And slow
// steps, for the tests of the progress line: each step's first batch blocks the thread
// for a while, as a large image model's step does.
// The CLI reads GANKIT_INJECT_NAN_AT=STEP and GANKIT_SLOW_STEP_MS=MS (docs/design.md, "Reliability").
import * as tf from '@tensorflow/tfjs-core';
import type { BatchSource } from '../data/batches.js';

/** A batch source that knows the trainer's step. */
export interface SteppedBatches extends BatchSource {
  step: number;
}

export function injectFaults(source: BatchSource, faults: { nanAt?: number; slowStepMs?: number }): SteppedBatches {
  const at = faults.nanAt;
  let fired = false;
  let slowed = -1;
  const stepped: SteppedBatches = {
    step: 0,
    batch(rng, n) {
      if (faults.slowStepMs && slowed !== stepped.step) {
        slowed = stepped.step;
        block(faults.slowStepMs);
      }
      const batch = source.batch(rng, n);
      if (at === undefined || fired || stepped.step !== at) return batch;
      fired = true;
      // Made on the backend (the batch's first value replaced): a batch source cannot await a read.
      const x = tf.tidy(() => {
        const flat = tf.reshape(batch.x, [-1]);
        return tf.reshape(tf.concat([tf.fill([1], NaN), tf.slice(flat, 1)]), batch.x.shape);
      });
      batch.x.dispose();
      return { ...batch, x };
    },
  };
  return stepped;
}

/** Blocks this thread, as a long synchronous kernel does (timers and I/O wait). */
function block(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
