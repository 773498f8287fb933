// Conditional runs sampled by class: the class grid or an InfoGAN traversal of a
// trained run (the inputs come from src/generate/conditional-inputs.ts), and a run's G
// as a per-class sampler for the conditional metrics.
import { Rng } from '../rng.js';
import { tileImages, type Picture } from '../plots/grid.js';
import { drawLatents, runGenerator } from '../generate/latent.js';
import { classGridInputs, traversalInputs } from '../generate/conditional-inputs.js';
import { openRun, type RunOptions } from '../run/open.js';

export interface GridRequest {
  run: string;
  /**
   * 'classes': one row per class (InfoGAN: categorical value);
   * 'traversal': InfoGAN's continuous code `code` from −2 to 2.
   */
  grid: 'classes' | 'traversal';
  /** The continuous code a traversal sweeps, 1-based (default 1). */
  code?: number;
  /** Seed for z and the codes (default: the run's seed). */
  seed?: number;
  /** Columns of the class grid (default 10). */
  columns?: number;
  generator?: 'average' | 'trained';
}

export interface ConditionalGrid {
  picture: Picture;
  rows: number;
  columns: number;
  options: RunOptions;
}

/** The class grid or a traversal of a conditional image run, tiled with pixels kept exact. */
export async function conditionalGrid(r: GridRequest): Promise<ConditionalGrid> {
  if (r.grid !== 'classes' && r.grid !== 'traversal')
    throw new Error(`Expected the grid to be classes or traversal but received "${r.grid}"`);
  const { options, model, output } = await openRun(r.run, r.generator, 'any');
  try {
    const cond = options.conditioning;
    if (!cond)
      throw new Error(
        `Expected a conditional run (model cgan, acgan or infogan) for a ${r.grid} grid but ${r.run} was trained ` +
          `with model ${options.model}`,
      );
    if (output.kind !== 'image')
      throw new Error(
        `Expected an image run for a ${r.grid} grid but ${r.run}'s generator outputs ${output.dim}D points`,
      );
    const rng = new Rng(r.seed ?? options.seed);
    const { prior, latentDim } = options;
    const inputs =
      r.grid === 'classes'
        ? classGridInputs(cond, rng, prior, latentDim, r.columns)
        : traversalInputs(cond, rng, prior, latentDim, r.code ?? 1);
    const images = runGenerator(model, inputs.z, latentDim, 500, { values: inputs.codes.input, dim: cond.codeDim });
    const picture = tileImages(images, [inputs.rows * inputs.columns, ...output.shape], { columns: inputs.columns });
    return { picture, rows: inputs.rows, columns: inputs.columns, options };
  } finally {
    model.dispose();
  }
}

export interface ClassSamplerRun {
  /**
   * n samples (NHWC images or points, row-major) of class (InfoGAN: categorical value) k; z and other codes continue
   * one seeded stream.
   */
  sample: (k: number, n: number) => Float32Array;
  /** Classes (or categorical values) the run's G takes. */
  classes: number;
  options: RunOptions;
  /** Frees G. */
  dispose: () => void;
}

/**
 * A conditional run's G as the synchronous sampler the conditional metrics take
 * (src/metrics/conditional.ts): e.g. conditionalAccuracy(classify, s.sample, s.classes, 1000).
 */
export async function openClassSampler(r: {
  run: string;
  seed?: number;
  generator?: 'average' | 'trained';
}): Promise<ClassSamplerRun> {
  const { options, model } = await openRun(r.run, r.generator, 'any');
  const cond = options.conditioning;
  if (!cond) {
    model.dispose();
    throw new Error(
      `Expected a conditional run (model cgan, acgan or infogan) to sample by class but ${r.run} was trained with ` +
        `model ${options.model}`,
    );
  }
  const rng = new Rng(r.seed ?? options.seed);
  const sample = (k: number, n: number) => {
    const z = drawLatents(rng, options.prior, n, options.latentDim);
    return runGenerator(model, z, options.latentDim, 500, { values: cond.draw(rng, n, k).input, dim: cond.codeDim });
  };
  return { sample, classes: cond.classes, options, dispose: () => model.dispose() };
}
