// How well a conditional run on a 2D mixture obeys its labels or codes, with the
// nearest mode as the classifier (a mixture's label is its mode): CGAN's and ACGAN's
// conditional accuracy, InfoGAN's categorical code accuracy under the best one-to-one
// mapping of code values to modes.
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Conditioning } from '../games/conditional.js';
import {
  conditionalAccuracy,
  infoganCodeAccuracy,
  type ClassSampler,
  type Classifier,
  type ConditionalMetrics,
} from '../metrics/conditional.js';
import type { Rng } from '../rng.js';
import { generate, type Gan } from './gan.js';

/** The index of the nearest of the modes (M×2) for each of n points. */
export function nearestMode(modes: Float32Array): Classifier {
  return (points, n) => {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      for (let j = 0; j < modes.length / 2; j++) {
        const d = (points[2 * i] - modes[2 * j]) ** 2 + (points[2 * i + 1] - modes[2 * j + 1]) ** 2;
        if (d < best) [best, out[i]] = [d, j];
      }
    }
    return out;
  };
}

/** n samples of `sampler` for class (or code value) k, z and the other codes drawn from rng. */
export function classSampler(gan: Gan, sampler: tfl.LayersModel, cond: Conditioning, rng: Rng): ClassSampler {
  return (k, n) => generate(sampler, (m) => gan.generatorInput(gan.noise(m, rng), cond.draw(rng, m, k)), n);
}

/** The conditional metrics on `samples` samples in all, spread evenly over the classes or code values. */
export async function mixtureConditionalMetrics(
  gan: Gan,
  sampler: tfl.LayersModel,
  cond: Conditioning,
  modes: Float32Array,
  rng: Rng,
  samples: number,
): Promise<ConditionalMetrics> {
  const classify = nearestMode(modes);
  const per = Math.ceil(samples / cond.classes);
  const draw = classSampler(gan, sampler, cond, rng);
  if (!cond.trainsOnLabels)
    return { codeAccuracy: (await infoganCodeAccuracy(classify, draw, cond.classes, per, modes.length / 2)).accuracy };
  return { classAccuracy: (await conditionalAccuracy(classify, draw, cond.classes, per)).accuracy };
}

export function describeConditional(m: ConditionalMetrics): string {
  if (m.classAccuracy !== undefined) return ` · class accuracy ${(100 * m.classAccuracy).toFixed(1)}%`;
  if (m.codeAccuracy !== undefined) return ` · code accuracy ${(100 * m.codeAccuracy).toFixed(1)}%`;
  return '';
}
