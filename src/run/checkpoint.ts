// Checkpoints: RUN/checkpoints/step-NNNNNNN/ holds G and D (and G's average) as tfjs
// models, the optimizers' slots in optimizers.bin and the rest in state.json. A
// checkpoint is written in a temporary directory and renamed into place, and only then
// does RUN/checkpoints/latest (itself replaced atomically) point at it; so a crash at
// any moment leaves the previous checkpoint intact.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { RngState } from '../rng.js';
import { loadModel, saveModel } from '../io/model-files.js';
import { temporaryPathFor, writeFileAtomic } from '../io/atomic.js';
import { runPaths, stepName } from './paths.js';

export interface CheckpointModels {
  generator: tfl.LayersModel;
  discriminator: tfl.LayersModel;
  /** Moving average of G's weights, when the run keeps one. */
  generatorAverage?: tfl.LayersModel;
}

/** An optimizer's state as a checkpoint keeps it (src/train/optimizers.ts makes and reads it). */
export interface OptimizerState {
  kind: 'adam' | 'sgd';
  step: number;
  /** One Float32Array per slot variable, in slot order (Adam: all m then all v). */
  slots: Float32Array[];
}

export interface CheckpointState {
  step: number;
  rng: RngState;
  optimizers: { generator: OptimizerState; discriminator: OptimizerState };
}

interface StateFile {
  format: 'gankit-checkpoint';
  version: 1;
  step: number;
  rng: RngState;
  optimizers: Record<
    'generator' | 'discriminator',
    { kind: OptimizerState['kind']; step: number; slotSizes: number[] }
  >;
}

const KEEP = 2;

export async function saveCheckpoint(
  runDir: string,
  models: CheckpointModels,
  state: CheckpointState,
): Promise<string> {
  const root = runPaths(runDir).checkpoints;
  await fs.mkdir(root, { recursive: true });
  const name = stepName(state.step);
  const final = path.join(root, name);
  const tmp = temporaryPathFor(final);
  try {
    await fs.mkdir(tmp);
    for (const [role, model] of Object.entries(models) as [string, tfl.LayersModel | undefined][]) {
      if (!model) continue;
      await fs.mkdir(path.join(tmp, role));
      await saveModel(model, path.join(tmp, role));
    }
    const { generator: og, discriminator: od } = state.optimizers;
    const slots = [...og.slots, ...od.slots];
    const bytes = Buffer.concat(slots.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength)));
    await fs.writeFile(path.join(tmp, 'optimizers.bin'), bytes);
    const file: StateFile = {
      format: 'gankit-checkpoint',
      version: 1,
      step: state.step,
      rng: state.rng,
      optimizers: {
        generator: { kind: og.kind, step: og.step, slotSizes: og.slots.map((s) => s.length) },
        discriminator: { kind: od.kind, step: od.step, slotSizes: od.slots.map((s) => s.length) },
      },
    };
    await fs.writeFile(path.join(tmp, 'state.json'), JSON.stringify(file, null, 1));
    await fs.rm(final, { recursive: true, force: true }); // a stale one from an earlier, longer run
    await fs.rename(tmp, final);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  await writeFileAtomic(path.join(root, 'latest'), name + '\n');
  await pruneOld(root, name);
  return final;
}

async function pruneOld(root: string, keep: string): Promise<void> {
  const names = (await fs.readdir(root)).filter((n) => /^step-\d+$/.test(n)).sort();
  const old = names.filter((n) => n !== keep).slice(0, Math.max(0, names.length - KEEP));
  await Promise.all(old.map((n) => fs.rm(path.join(root, n), { recursive: true, force: true })));
}

/** The directory `latest` points at, or undefined when the run has no checkpoint. */
export async function latestCheckpoint(runDir: string): Promise<string | undefined> {
  const root = runPaths(runDir).checkpoints;
  try {
    const name = (await fs.readFile(path.join(root, 'latest'), 'utf8')).trim();
    return path.join(root, name);
  } catch {
    return undefined;
  }
}

export async function loadCheckpoint(dir: string): Promise<{ models: CheckpointModels; state: CheckpointState }> {
  let file: StateFile;
  try {
    file = JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8'));
  } catch (err) {
    throw new Error(
      `Expected a gankit checkpoint in ${dir} but could not read its state.json: ${(err as Error).message}`,
    );
  }
  if (file.format !== 'gankit-checkpoint' || file.version !== 1) {
    throw new Error(
      `Expected a gankit checkpoint (version 1) in ${dir} but received format ${file.format} version ${file.version}`,
    );
  }
  const bytes = await fs.readFile(path.join(dir, 'optimizers.bin'));
  const sizes = [...file.optimizers.generator.slotSizes, ...file.optimizers.discriminator.slotSizes];
  const total = sizes.reduce((a, b) => a + b, 0);
  if (bytes.length !== 4 * total) {
    throw new Error(
      `Expected ${4 * total} bytes in ${path.join(dir, 'optimizers.bin')} but received ${bytes.length}: the ` +
        'checkpoint is damaged',
    );
  }
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let offset = 0;
  const take = (n: number) => all.slice(offset, (offset += n));
  const optimizer = (o: StateFile['optimizers']['generator']): OptimizerState => ({
    kind: o.kind,
    step: o.step,
    slots: o.slotSizes.map(take),
  });
  const generatorOpt = optimizer(file.optimizers.generator);
  const discriminatorOpt = optimizer(file.optimizers.discriminator);
  const models: CheckpointModels = {
    generator: await loadModel(path.join(dir, 'generator')),
    discriminator: await loadModel(path.join(dir, 'discriminator')),
    generatorAverage: (await hasAverage(dir)) ? await loadModel(path.join(dir, 'generatorAverage')) : undefined,
  };
  return {
    models,
    state: { step: file.step, rng: file.rng, optimizers: { generator: generatorOpt, discriminator: discriminatorOpt } },
  };
}

/** The generator of a run's latest checkpoint: G's moving average when it has one, unless `trained` is asked for. */
export async function loadGenerator(
  runDir: string,
  which: 'average' | 'trained' = 'average',
): Promise<tfl.LayersModel> {
  const dir = await latestCheckpoint(runDir);
  if (!dir)
    throw new Error(
      `Expected a trained run in ${runDir} (with checkpoints/latest) but found none; train one with gankit train ` +
        `--out ${runDir}`,
    );
  const useAverage = which === 'average' && (await hasAverage(dir));
  return loadModel(path.join(dir, useAverage ? 'generatorAverage' : 'generator'));
}

/** Whether a checkpoint kept G's moving average. */
export async function hasAverage(dir: string): Promise<boolean> {
  return fs.stat(path.join(dir, 'generatorAverage')).then(
    () => true,
    () => false,
  );
}

/** The step a checkpoint was written at, from its state.json. */
export async function checkpointStep(dir: string): Promise<number> {
  const file = path.join(dir, 'state.json');
  try {
    const step = JSON.parse(await fs.readFile(file, 'utf8')).step;
    if (Number.isInteger(step)) return step;
  } catch {
    // reported below
  }
  throw new Error(
    `Expected a checkpoint state with an integer step at ${file} but could not read one; the checkpoint is damaged`,
  );
}

/** Placeholder until the durable-checkpoint work lands: removes temporaries a killed process left. */
export async function removeTemporaries(runDir: string): Promise<void> {
  for (const dir of [runDir, runPaths(runDir).checkpoints]) {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((n) => /\.tmp-\d+-\d+$/.test(n))
        .map((n) => fs.rm(path.join(dir, n), { recursive: true, force: true })),
    );
  }
}
