// Run directories made without training: a randomly initialised G (and D) saved as a
// checkpoint beside options.json, which is all the sampling tools read. Enough for
// shapes, formats and round trips; nothing here depends on what G has learned.
import { promises as fs, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../src/backend/index.js';
import { dcgan28Discriminator, dcgan28Generator } from '../../src/networks/dcgan.js';
import { mlpDiscriminator, mlpGenerator } from '../../src/networks/mlp.js';
import { Rng } from '../../src/rng.js';
import { saveCheckpoint } from '../../src/run/checkpoint.js';
import { resolveOptions } from '../../src/train/options.js';

/** dcgan28: 28×28×1 from z ∈ R^100; tinyconv: 8×8×3 from z ∈ R^8; mlp2d: points in R² from z ∈ R². */
export type FixtureKind = 'dcgan28' | 'tinyconv' | 'mlp2d';

export const LATENT_DIM: Record<FixtureKind, number> = { dcgan28: 100, tinyconv: 8, mlp2d: 2 };

export interface FixtureRun {
  dir: string;
  latentDim: number;
  /** The trained G as saved (the caller disposes it). */
  generator: tfl.LayersModel;
  /** G's moving average, when asked for. */
  average?: tfl.LayersModel;
}

export interface FixtureOptions {
  seed?: number;
  prior?: 'normal' | 'uniform';
  /** Save a differently initialised G as the moving average too. */
  average?: boolean;
  step?: number;
  /** Where to write the run (default: a new temporary folder). */
  dir?: string;
  /** The run's Jacobian truncation (default 0: samples are G(z) for the seed's z, in order). */
  jacobianTruncation?: number;
  /** A G of the test's own to save in place of the kind's (it takes the kind's z); returned as `generator`. */
  generator?: tfl.LayersModel;
  /** Fields of options.json to set after the defaults, e.g. a conditional model and its classes. */
  options?: Record<string, unknown>;
}

export function tempDir(prefix = 'gankit-sampling-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** G: z ∈ R^8 → dense 4·4·8 → transposed conv 3×3 stride 2 → 8×8×3, tanh. Glorot weights, so outputs fill [−1, 1]. */
export function tinyConvGenerator(seed: number): tfl.LayersModel {
  const init = (k: number) => tfl.initializers.glorotUniform({ seed: seed + k });
  const z = tfl.input({ shape: [8] });
  let h = tfl.layers
    .dense({ units: 4 * 4 * 8, activation: 'relu', kernelInitializer: init(0) })
    .apply(z) as tfl.SymbolicTensor;
  h = tfl.layers.reshape({ targetShape: [4, 4, 8] }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers
    .conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(1) })
    .apply(h) as tfl.SymbolicTensor;
  const x = tfl.layers.activation({ activation: 'tanh' }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: z, outputs: x, name: 'generator' });
}

function networks(kind: FixtureKind, seed: number): { generator: tfl.LayersModel; discriminator: tfl.LayersModel } {
  if (kind === 'dcgan28') return { generator: dcgan28Generator(100, seed), discriminator: dcgan28Discriminator(seed) };
  if (kind === 'mlp2d') {
    const rng = new Rng(seed);
    return {
      generator: mlpGenerator(2, 2, { hidden: [16, 16] }, rng),
      discriminator: mlpDiscriminator(2, { hidden: [8] }, rng),
    };
  }
  const x = tfl.input({ shape: [8, 8, 3] });
  const flat = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;
  const logit = tfl.layers.dense({ units: 1 }).apply(flat) as tfl.SymbolicTensor;
  return {
    generator: tinyConvGenerator(seed),
    discriminator: tfl.model({ inputs: x, outputs: logit, name: 'discriminator' }),
  };
}

export async function makeRun(kind: FixtureKind, o: FixtureOptions = {}): Promise<FixtureRun> {
  await initBackend();
  const seed = o.seed ?? 1;
  const step = o.step ?? 7;
  const dir = o.dir ?? tempDir();
  const latentDim = LATENT_DIM[kind];
  const built = networks(kind, seed);
  const { discriminator } = built;
  const generator = o.generator ?? built.generator;
  if (o.generator) built.generator.dispose();
  const average = o.average ? networks(kind, seed + 100).generator : undefined;
  // data stays a toy name: options.json is validated as today's trainer writes it.
  const options = resolveOptions({
    data: 'ring8',
    latentDim,
    prior: o.prior,
    seed,
    out: dir,
    jacobianTruncation: o.jacobianTruncation ?? 0,
  });
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'options.json'), JSON.stringify({ ...options, ...o.options }, null, 1));
  const optimizer = { kind: 'adam' as const, step, slots: [] };
  await saveCheckpoint(
    dir,
    { generator, discriminator, generatorAverage: average },
    { step, rng: new Rng(seed).getState(), optimizers: { generator: optimizer, discriminator: { ...optimizer } } },
  );
  discriminator.dispose();
  return { dir, latentDim, generator, average };
}
