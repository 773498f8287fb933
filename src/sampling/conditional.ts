// What a conditional generator is asked for in its pictures: a class grid (one row per
// class or categorical code value, one fixed z per column, so each column shows one
// "style" in every class) and InfoGAN's traversals (one row per categorical value,
// columns sweeping one continuous code from −2 to 2 with z and the other codes fixed,
// as Figure 2 of Chen et al. 2016 does: beyond the [−1, 1] of training, to show what
// the code has come to mean).
import type { Codes, Conditioning } from '../games/conditional.js';
import { Rng } from '../rng.js';
import { tileImages, type Picture } from './grid.js';
import { drawLatents, runGenerator, type Prior } from './latent.js';
import { openRun, type RunOptions } from './run.js';

export interface GridInputs {
  /** rows × columns latent vectors, row-major. */
  z: Float32Array;
  codes: Codes;
  rows: number;
  columns: number;
}

/** Columns of the class grid and of the traversals. */
export const GRID_COLUMNS = 10;
export const TRAVERSAL_STEPS = 9; // −2, −1.5, …, 2: includes 0

/**
 * Row k: class k; column j: the j-th z (and, for InfoGAN, the j-th continuous codes),
 * the same in every row. z is drawn first, then the continuous codes.
 */
export function classGridInputs(cond: Conditioning, rng: Rng, prior: Prior, latentDim: number, columns = GRID_COLUMNS): GridInputs {
  if (!Number.isInteger(columns) || columns < 1) throw new Error(`Expected a positive integer for columns but received ${columns}`);
  const rows = cond.classes;
  const zs = drawLatents(rng, prior, columns, latentDim);
  const continuous = rng.fillUniform(new Float32Array(columns * cond.continuous), -1, 1);
  const z = new Float32Array(rows * columns * latentDim);
  const classes = new Int32Array(rows * columns);
  const cont = new Float32Array(rows * columns * cond.continuous);
  for (let k = 0; k < rows; k++) {
    for (let j = 0; j < columns; j++) {
      const i = k * columns + j;
      z.set(zs.subarray(j * latentDim, (j + 1) * latentDim), i * latentDim);
      classes[i] = k;
      cont.set(continuous.subarray(j * cond.continuous, (j + 1) * cond.continuous), i * cond.continuous);
    }
  }
  return { z, codes: cond.encode(classes, cont), rows, columns };
}

/**
 * InfoGAN: row k is categorical value k; column j sets continuous code `code` (1-based)
 * to −range + 2·range·j/(steps − 1), the other continuous codes 0; one z for the whole grid.
 */
export function traversalInputs(cond: Conditioning, rng: Rng, prior: Prior, latentDim: number, code: number, steps = TRAVERSAL_STEPS, range = 2): GridInputs {
  if (cond.model !== 'infogan' || cond.continuous === 0) {
    throw new Error(`Expected an InfoGAN run with continuous codes for a traversal but received model ${cond.model} with ${cond.continuous} continuous codes`);
  }
  if (!Number.isInteger(code) || code < 1 || code > cond.continuous) {
    throw new Error(`Expected the continuous code to traverse to be 1..${cond.continuous} but received ${code}`);
  }
  const rows = cond.classes;
  const one = drawLatents(rng, prior, 1, latentDim);
  const z = new Float32Array(rows * steps * latentDim);
  const classes = new Int32Array(rows * steps);
  const cont = new Float32Array(rows * steps * cond.continuous);
  for (let k = 0; k < rows; k++) {
    for (let j = 0; j < steps; j++) {
      const i = k * steps + j;
      z.set(one, i * latentDim);
      classes[i] = k;
      cont[i * cond.continuous + code - 1] = -range + (2 * range * j) / (steps - 1);
    }
  }
  return { z, codes: cond.encode(classes, cont), rows, columns: steps };
}

export interface GridRequest {
  run: string;
  /** 'classes': one row per class (InfoGAN: categorical value); 'traversal': InfoGAN's continuous code `code` from −2 to 2. */
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
  if (r.grid !== 'classes' && r.grid !== 'traversal') throw new Error(`Expected the grid to be classes or traversal but received "${r.grid}"`);
  const { options, model, output } = await openRun(r.run, r.generator, 'any');
  try {
    const cond = options.conditioning;
    if (!cond) throw new Error(`Expected a conditional run (model cgan, acgan or infogan) for a ${r.grid} grid but ${r.run} was trained with model ${options.model}`);
    if (output.kind !== 'image') throw new Error(`Expected an image run for a ${r.grid} grid but ${r.run}'s generator outputs ${output.dim}D points`);
    const rng = new Rng(r.seed ?? options.seed);
    const { prior, latentDim } = options;
    const inputs = r.grid === 'classes' ? classGridInputs(cond, rng, prior, latentDim, r.columns) : traversalInputs(cond, rng, prior, latentDim, r.code ?? 1);
    const images = runGenerator(model, inputs.z, latentDim, 500, { values: inputs.codes.input, dim: cond.codeDim });
    const picture = tileImages(images, [inputs.rows * inputs.columns, ...output.shape], { columns: inputs.columns });
    return { picture, rows: inputs.rows, columns: inputs.columns, options };
  } finally {
    model.dispose();
  }
}

export interface ClassSamplerRun {
  /** n samples (NHWC images or points, row-major) of class (InfoGAN: categorical value) k; z and other codes continue one seeded stream. */
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
export async function openClassSampler(r: { run: string; seed?: number; generator?: 'average' | 'trained' }): Promise<ClassSamplerRun> {
  const { options, model } = await openRun(r.run, r.generator, 'any');
  const cond = options.conditioning;
  if (!cond) {
    model.dispose();
    throw new Error(`Expected a conditional run (model cgan, acgan or infogan) to sample by class but ${r.run} was trained with model ${options.model}`);
  }
  const rng = new Rng(r.seed ?? options.seed);
  const sample = (k: number, n: number) => {
    const z = drawLatents(rng, options.prior, n, options.latentDim);
    return runGenerator(model, z, options.latentDim, 500, { values: cond.draw(rng, n, k).input, dim: cond.codeDim });
  };
  return { sample, classes: cond.classes, options, dispose: () => model.dispose() };
}
