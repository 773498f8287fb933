// Fault injection, for the tests of recovery from divergence: a NaN in one real batch,
// as a corrupt example or a flaky device would put there. It fires once: the rollback
// that follows trains through the same step again, this time on clean data.
// The CLI reads GANKIT_INJECT_NAN_AT=STEP (documented in docs/design.md, "Reliability").
import * as tf from '@tensorflow/tfjs-core';
import type { BatchSource } from '../data/batches.js';

/** A batch source that knows the trainer's step. */
export interface SteppedBatches extends BatchSource {
  step: number;
}

export function injectNan(source: BatchSource, at?: number): SteppedBatches {
  let fired = false;
  const stepped: SteppedBatches = {
    step: 0,
    batch(rng, n) {
      const batch = source.batch(rng, n);
      if (at === undefined || fired || stepped.step !== at) return batch;
      fired = true;
      const values = (batch.x.dataSync() as Float32Array).slice();
      values[0] = NaN;
      const x = tf.tensor(values, batch.x.shape);
      batch.x.dispose();
      return { ...batch, x };
    },
  };
  return stepped;
}
