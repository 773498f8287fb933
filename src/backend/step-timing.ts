// Times a GAN training step (D then G, non-saturating loss, tfjs Adam) on the active
// backend, within a budget of seconds. `gankit doctor` times DCGAN-28 with it on each
// backend; `auto` (auto.ts) times the run's own networks on native and on a hardware
// WebGPU adapter with it, so the two always measure the same thing.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** What a timing trains: G (z → example) and D (example → logit), built fresh on the active backend. */
export interface StepNetworks {
  generator: tfl.LayersModel;
  discriminator: tfl.LayersModel;
}

export interface StepTiming {
  /** The batch the steps ran at: the one asked for, or a smaller one where a step outlasts the budget. */
  batch: number;
  steps: number;
  seconds: number;
  /** Seconds a step of the batch asked for would take, extrapolated when `batch` is smaller. */
  estimate?: number;
}

/** Seconds per step at the batch asked for: measured, or extrapolated from a smaller batch. */
export function secondsPerStep(t: StepTiming): number {
  return t.estimate ?? t.seconds / t.steps;
}

/**
 * Times steps for about `budget` seconds. Starts at batch 1 (twice: the first step compiles
 * kernels or shaders) and doubles the batch up to the one asked for while a step stays
 * well inside the budget: where a step of that batch would outlast it (the cpu backend,
 * a software adapter), the timing runs at the largest batch that fits.
 */
export async function timeGanStep(
  build: () => StepNetworks,
  example: { latentDim: number; shape: number[] },
  wanted: number,
  budget: number,
): Promise<StepTiming> {
  const { generator: G, discriminator: D } = build();
  const optG = tf.train.adam(2e-4, 0.5);
  const optD = tf.train.adam(2e-4, 0.5);
  const run = async (batch: number, seconds: number) => {
    const real = tf.tidy(() => tf.tanh(tf.randomNormal([batch, ...example.shape], 0, 1, 'float32', 3)));
    try {
      const start = performance.now();
      let steps = 0;
      do {
        await step(G, D, real, optG, optD, batch, example.latentDim);
        steps++;
      } while (performance.now() - start < seconds * 1000);
      return { batch, steps, seconds: (performance.now() - start) / 1000 };
    } finally {
      real.dispose();
    }
  };
  try {
    await run(1, 0);
    let batch = 1;
    const one = await run(1, 0);
    // One step outlasts the budget: that step is the timing.
    if (one.seconds >= budget) return { ...one, estimate: wanted > 1 ? one.seconds * wanted : undefined };
    let last = one.seconds;
    // A step's time grows at most in proportion to its batch; keep two steps inside the budget.
    while (batch < wanted && last * (Math.min(wanted, 2 * batch) / batch) <= budget / 2) {
      batch = Math.min(wanted, 2 * batch);
      last = (await run(batch, 0)).seconds; // also this batch's warm-up
    }
    const timed = await run(batch, budget);
    return { ...timed, estimate: batch < wanted ? (timed.seconds / timed.steps) * (wanted / batch) : undefined };
  } finally {
    G.dispose();
    D.dispose();
    optG.dispose();
    optD.dispose();
  }
}

const meanSoftplus = (x: tf.Tensor) => tf.mean(tf.softplus(x));

/** The non-saturating GAN step; the losses are read asynchronously, which also waits for a GPU. */
async function step(
  G: tfl.LayersModel,
  D: tfl.LayersModel,
  real: tf.Tensor,
  optG: tf.Optimizer,
  optD: tf.Optimizer,
  batch: number,
  latentDim: number,
): Promise<void> {
  const z = tf.randomNormal([batch, latentDim]);
  const fake = tf.tidy(() => G.apply(z, { training: true }) as tf.Tensor);
  const lossD = optD.minimize(
    () =>
      tf.add(
        meanSoftplus(tf.neg(D.apply(real, { training: true }) as tf.Tensor)),
        meanSoftplus(D.apply(fake, { training: true }) as tf.Tensor),
      ) as tf.Scalar,
    true,
    D.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  const lossG = optG.minimize(
    () =>
      meanSoftplus(
        tf.neg(D.apply(G.apply(z, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor),
      ) as tf.Scalar,
    true,
    G.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  await Promise.all([lossD!.data(), lossG!.data()]);
  tf.dispose([z, fake, lossD!, lossG!]);
}
