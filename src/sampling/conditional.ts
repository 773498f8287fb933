// Conditional runs sampled by class: the class grid or an InfoGAN traversal of a
// trained run (the inputs come from src/generate/conditional-inputs.ts), and a run's G
// as a per-class sampler for the conditional metrics.
import { Rng } from '../rng.js';
import { tileImages, type Picture } from '../plots/grid.js';
import { describeSource, labelledGrid, tilingFor, type GridLabels } from '../plots/labelled-grid.js';
import { drawLatents, runGenerator } from '../generate/latent.js';
import {
  classGridInputs,
  classGridLabels,
  classGridSubtitle,
  traversalInputs,
  traversalLabels,
  traversalSubtitle,
} from '../generate/conditional-inputs.js';
import { IMAGE_REGISTRY } from '../data/images/index.js';
import { checkpointStep } from '../run/checkpoint.js';
import { openRun, type RunOptions } from '../run/open.js';
import { generatorUsed } from './sample.js';

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
  /** The tiles alone, pixels exact (encodeConditionalGrid adds the labels). */
  picture: Picture;
  rows: number;
  columns: number;
  /** The title (run, step, generator), the rows' names and, for a traversal, the columns' values. */
  labels: GridLabels;
  /** One image's height and width. */
  tile: [number, number];
  options: RunOptions;
}

/** The grid as a PNG: its tiles enlarged to a readable width, under its title, rows and columns labelled. */
export function encodeConditionalGrid(grid: ConditionalGrid): Promise<Buffer> {
  const [h, w] = grid.tile;
  return labelledGrid(grid.picture, tilingFor(grid.rows * grid.columns, h, w, grid.columns), grid.labels);
}

/** The class grid or a traversal of a conditional image run, tiled with pixels kept exact. */
export async function conditionalGrid(r: GridRequest): Promise<ConditionalGrid> {
  if (r.grid !== 'classes' && r.grid !== 'traversal')
    throw new Error(`Expected the grid to be classes or traversal but received "${r.grid}"`);
  const { options, model, output, checkpoint } = await openRun(r.run, r.generator, 'any');
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
    const images = await runGenerator(model, inputs.z, latentDim, 500, {
      values: inputs.codes.input,
      dim: cond.codeDim,
    });
    const picture = tileImages(images, [inputs.rows * inputs.columns, ...output.shape], { columns: inputs.columns });
    const generator = await generatorUsed(checkpoint.dir, r.generator ?? 'average');
    const source = describeSource({
      run: r.run,
      data: options.data,
      step: await checkpointStep(checkpoint.dir),
      generator,
    });
    const code = r.code ?? 1;
    const labels: GridLabels =
      r.grid === 'classes'
        ? {
            title: source,
            subtitle: classGridSubtitle(cond),
            ...classGridLabels(cond, IMAGE_REGISTRY[options.data]?.classNames),
          }
        : {
            title: `Continuous code c${code} from −2 to 2 — ${source}`,
            subtitle: traversalSubtitle(code),
            ...traversalLabels(cond, code),
          };
    const tile: [number, number] = [output.shape[0], output.shape[1]];
    return { picture, rows: inputs.rows, columns: inputs.columns, labels, tile, options };
  } finally {
    model.dispose();
  }
}

export interface ClassSamplerRun {
  /**
   * n samples (NHWC images or points, row-major) of class (InfoGAN: categorical value) k; z and other codes continue
   * one seeded stream.
   */
  sample: (k: number, n: number) => Promise<Float32Array>;
  /** Classes (or categorical values) the run's G takes. */
  classes: number;
  options: RunOptions;
  /** Frees G. */
  dispose: () => void;
}

/**
 * A conditional run's G as the sampler the conditional metrics take
 * (src/metrics/conditional.ts): e.g. await conditionalAccuracy(classify, s.sample, s.classes, 1000).
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
