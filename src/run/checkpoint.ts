// Checkpoints: RUN/checkpoints/step-NNNNNNN/ holds G and D (and G's average) as tfjs
// models, the optimizers' slots in optimizers.bin and the rest in state.json, with the
// size and SHA-256 of every other file (checkpoint-state.ts). A checkpoint is written in
// a temporary folder, every file and the folder flushed to the disk, renamed into place
// and the checkpoints folder flushed; only then is RUN/checkpoints/latest replaced
// (atomically, flushed) to name it, and older ones pruned. So `latest` names a complete
// checkpoint whatever moment a crash or power cut strikes; when it does not (a damaged
// `latest`, a folder removed by hand), the newest complete checkpoint is used, and said.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { RngState } from '../rng.js';
import { loadModel, saveModel } from '../io/model-files.js';
// Registers the spectrally normalised layers, which checkpoints of runs with --spectral-norm hold.
import '../networks/spectral-norm.js';
import { explained, writeFileAtomic } from '../io/atomic.js';
import { writeFolderAtomic } from '../io/folder.js';
import { runPaths, stepName } from './paths.js';
import {
  CHECKPOINT_VERSION,
  fileChecker,
  fileSums,
  incompleteness,
  OPTIMIZERS_FILE,
  readState,
  recoveryAdvice,
  slotTotal,
  STATE_FILE,
  stepOf,
  type SavedOptimizer,
  type StateFile,
} from './checkpoint-state.js';

export { removeTemporaries } from './temporaries.js';

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

/** The checkpoint a run continues from. */
export interface FoundCheckpoint {
  dir: string;
  /** Set when `latest` could not be used and `dir` is the newest complete checkpoint instead: why, in words. */
  note?: string;
}

type Role = keyof CheckpointModels;
const KEEP = 2;

export async function saveCheckpoint(
  runDir: string,
  models: CheckpointModels,
  state: CheckpointState,
): Promise<string> {
  const root = runPaths(runDir).checkpoints;
  await fs.mkdir(root, { recursive: true }).catch((err) => {
    throw explained(err, root, 'creating the checkpoints folder');
  });
  const name = stepName(state.step);
  const final = path.join(root, name);
  const fill = async (tmp: string) => {
    for (const [role, model] of Object.entries(models) as [Role, tfl.LayersModel | undefined][]) {
      if (!model) continue;
      await fs.mkdir(path.join(tmp, role));
      await saveModel(model, path.join(tmp, role));
    }
    const { generator: og, discriminator: od } = state.optimizers;
    const slots = [...og.slots, ...od.slots];
    const bytes = Buffer.concat(slots.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength)));
    await fs.writeFile(path.join(tmp, OPTIMIZERS_FILE), bytes);
    const saved = (o: OptimizerState): SavedOptimizer => ({
      kind: o.kind,
      step: o.step,
      slotSizes: o.slots.map((s) => s.length),
    });
    const file: StateFile = {
      format: 'gankit-checkpoint',
      version: CHECKPOINT_VERSION,
      step: state.step,
      rng: state.rng,
      optimizers: { generator: saved(og), discriminator: saved(od) },
      files: await fileSums(tmp),
    };
    await fs.writeFile(path.join(tmp, STATE_FILE), JSON.stringify(file, null, 1));
  };
  // A folder of the same step is a stale one from an earlier, longer run: replaced.
  await writeFolderAtomic(final, fill, () => true, `the checkpoint`);
  await writeFileAtomic(path.join(root, 'latest'), name + '\n', 'writing checkpoints/latest');
  await pruneOld(root, name);
  return final;
}

/** Removes all but the KEEP newest checkpoints, never `keep` (the one `latest` names). */
async function pruneOld(root: string, keep: string): Promise<void> {
  const names = (await fs.readdir(root)).filter((n) => stepOf(n) !== undefined).sort((a, b) => stepOf(b)! - stepOf(a)!);
  const old = names.slice(KEEP).filter((n) => n !== keep);
  for (const n of old) {
    await fs.rm(path.join(root, n), { recursive: true, force: true }).catch((err) => {
      throw explained(err, path.join(root, n), 'removing an old checkpoint');
    });
  }
}

/**
 * The checkpoint `latest` names, when it is complete; otherwise the newest complete
 * checkpoint, with a note saying why. Undefined when the run has no checkpoint at all;
 * throws when it has checkpoint folders but none is complete.
 */
export async function findCheckpoint(runDir: string): Promise<FoundCheckpoint | undefined> {
  const root = runPaths(runDir).checkpoints;
  const latestFile = path.join(root, 'latest');
  let why: string;
  let tried: string | undefined;
  try {
    const name = (await fs.readFile(latestFile, 'utf8')).trim();
    if (name === '') why = 'is empty';
    else if (stepOf(name) === undefined) why = `names ${JSON.stringify(name.slice(0, 80))}, not a checkpoint folder`;
    else {
      tried = name;
      const problem = await incompleteness(path.join(root, name));
      if (!problem) return { dir: path.join(root, name) };
      why = `names an incomplete checkpoint (${problem})`;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    why = code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? (err as Error).message})`;
  }
  const names = (await fs.readdir(root).catch(() => [] as string[]))
    .filter((n) => stepOf(n) !== undefined && n !== tried)
    .sort((a, b) => stepOf(b)! - stepOf(a)!);
  const problems: string[] = [];
  for (const name of names) {
    const problem = await incompleteness(path.join(root, name));
    if (!problem) {
      return {
        dir: path.join(root, name),
        note: `${latestFile} ${why}; using ${name}, the newest complete checkpoint`,
      };
    }
    problems.push(problem);
  }
  if (names.length === 0 && tried === undefined) return undefined; // no checkpoint was ever completed
  throw new Error(
    `Expected a complete checkpoint in ${root} but ${latestFile} ${why}` +
      (problems.length > 0 ? ` and the others are incomplete too: ${problems.join('; ')}` : '') +
      `; the checkpoints are damaged: start the run again with gankit train --force --out ${runDir} and its ` +
      'options',
  );
}

/** The directory of the checkpoint a run continues from (findCheckpoint), or undefined when it has none. */
export async function latestCheckpoint(runDir: string): Promise<string | undefined> {
  return (await findCheckpoint(runDir))?.dir;
}

/** Loads checkpoint `dir`, every file checked against state.json (its checksums from version 2 on). */
export async function loadCheckpoint(dir: string): Promise<{ models: CheckpointModels; state: CheckpointState }> {
  const advice = await recoveryAdvice(dir);
  const file = await readState(dir, advice);
  const check = file.files ? fileChecker(dir, file.files, advice) : undefined;
  const all = await readOptimizers(dir, file, advice, check);
  let offset = 0;
  const take = (n: number) => all.slice(offset, (offset += n));
  const optimizer = (o: SavedOptimizer): OptimizerState => ({
    kind: o.kind,
    step: o.step,
    slots: o.slotSizes.map(take),
  });
  const optimizers = {
    generator: optimizer(file.optimizers.generator),
    discriminator: optimizer(file.optimizers.discriminator),
  };
  const loaded: tfl.LayersModel[] = [];
  const load = async (role: Role) => {
    const model = await loadModel(path.join(dir, role), { check }).catch((err) => {
      throw withAdvice(err, advice);
    });
    loaded.push(model);
    return model;
  };
  try {
    const models: CheckpointModels = {
      generator: await load('generator'),
      discriminator: await load('discriminator'),
      generatorAverage: (await averageKept(dir, file)) ? await load('generatorAverage') : undefined,
    };
    return { models, state: { step: file.step, rng: file.rng, optimizers } };
  } catch (err) {
    for (const model of loaded) model.dispose();
    throw err;
  }
}

/** optimizers.bin as float32 values, its size checked against the slot sizes before it is read. */
async function readOptimizers(
  dir: string,
  file: StateFile,
  advice: string,
  check?: (file: string, bytes: Uint8Array) => void,
): Promise<Float32Array> {
  const binary = path.join(dir, OPTIMIZERS_FILE);
  const expected = 4 * slotTotal(file);
  const stat = await fs.stat(binary).catch((err) => {
    throw new Error(
      `Expected ${binary} but could not read it (${err.code ?? err}); the checkpoint is damaged: ${advice}`,
    );
  });
  if (!stat.isFile() || stat.size !== expected) {
    throw new Error(
      `Expected ${expected} bytes in ${binary} (the slot sizes in ${path.join(dir, STATE_FILE)}) but it ` +
        `${stat.isFile() ? `holds ${stat.size}` : 'is not a regular file'}; the checkpoint is damaged: ${advice}`,
    );
  }
  const bytes = await fs.readFile(binary);
  if (bytes.length !== expected) throw new Error(`Expected ${expected} bytes in ${binary} but it changed while read`);
  check?.(binary, bytes);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * The generator of a run's checkpoint (findCheckpoint): G's moving average when it has
 * one, unless `trained` is asked for; its files checked against the checkpoint's checksums.
 */
export async function loadGenerator(
  runDir: string,
  which: 'average' | 'trained' = 'average',
): Promise<tfl.LayersModel> {
  const found = await findCheckpoint(runDir);
  if (!found)
    throw new Error(
      `Expected a trained run in ${runDir} (with checkpoints/latest) but found none; train one with gankit train ` +
        `--out ${runDir}`,
    );
  return loadCheckpointGenerator(found.dir, which);
}

/** G (or its moving average) of checkpoint `dir`, checked as loadGenerator checks it. */
export async function loadCheckpointGenerator(dir: string, which: 'average' | 'trained'): Promise<tfl.LayersModel> {
  const advice = await recoveryAdvice(dir);
  const file = await readState(dir, advice);
  const role: Role = which === 'average' && (await averageKept(dir, file)) ? 'generatorAverage' : 'generator';
  const check = file.files ? fileChecker(dir, file.files, advice) : undefined;
  return loadModel(path.join(dir, role), { check }).catch((err) => {
    throw withAdvice(err, advice);
  });
}

/** A model file's refusal with what to do about a checkpoint instead of about a lone model. */
function withAdvice(err: unknown, advice: string): unknown {
  if (!(err instanceof Error) || err.constructor !== Error) return err;
  const generic = /restore it or write it again$/;
  return generic.test(err.message) ? new Error(err.message.replace(generic, advice), { cause: err }) : err;
}

/** Whether a checkpoint kept G's moving average. */
export async function hasAverage(dir: string): Promise<boolean> {
  const file = await readState(dir).catch(() => undefined);
  return averageKept(dir, file);
}

/** Version 2 lists the average's files; version 1 has its folder. */
async function averageKept(dir: string, file: StateFile | undefined): Promise<boolean> {
  if (file?.files) return Object.hasOwn(file.files, 'generatorAverage/model.json');
  return fs.stat(path.join(dir, 'generatorAverage')).then(
    () => true,
    () => false,
  );
}

/** The step a checkpoint was written at, from its state.json. */
export async function checkpointStep(dir: string): Promise<number> {
  return (await readState(dir, await recoveryAdvice(dir))).step;
}
