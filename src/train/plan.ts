// Planning a run: every option resolved and checked, the data opened, and the options
// that follow from the data (steps from epochs, the number of classes) filled in. The
// options are then frozen: the trainer writes them to options.json before step 1, and
// nothing changes them after.
import { promises as fs } from 'node:fs';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describeBackend, initBackend, type BackendChoice } from '../backend/index.js';
import { conditioningFor, isConditionalModel, usesLabels, type Conditioning } from '../games/conditional.js';
import { presetNetworks } from '../networks/presets.js';
import { Rng } from '../rng.js';
import { resolveSavedOptions } from '../run/options-file.js';
import { runPaths } from '../run/paths.js';
import { openTrainingData, type TrainingData } from './data.js';
import { resolveOptions, type TrainOptions } from './options.js';
import { recipeWarnings } from '../games/recipes.js';

export interface TrainRequest extends Partial<TrainOptions> {
  /** Continue the run in `out` from its latest checkpoint. */
  resume?: boolean;
  /** Start a new run in `out` even where a run is: the old run's checkpoints, record and pictures are deleted. */
  force?: boolean;
  /**
   * Your own G (latentDim → data) and D (data → one logit) instead of the preset;
   * the run records model 'custom'. Pass the same architectures again to resume.
   */
  networks?: { generator: tfl.LayersModel; discriminator: tfl.LayersModel };
}

export interface RunPlan {
  /** Every setting of the run, frozen. */
  options: Readonly<TrainOptions>;
  /** The run directory: `out` as asked for, also when resuming a run that was copied or moved. */
  runDir: string;
  resume: boolean;
  /** A resumed run: its length as last planned (options.json's steps); --steps may change it. */
  previousSteps?: number;
  /** A new run may replace the run in runDir (--force). */
  replace: boolean;
  backend: BackendChoice;
  data: TrainingData;
  /** Conditional models: labels and codes (src/games/conditional.ts). */
  conditioning?: Conditioning;
}

export async function planRun(request: TrainRequest, say: (message: string) => void): Promise<RunPlan> {
  const { resume = false, force = false, networks, ...given } = request;
  if (resume && force)
    throw new Error('Expected either --resume (continue the run) or --force (replace it) but received both');
  if (networks) given.model = 'custom';
  let previousSteps: number | undefined;
  const options = resume ? await resumedOptions(given, (steps) => (previousSteps = steps)) : resolveOptions(given);
  if (options.model === 'custom' && !networks) {
    throw new Error(
      `Expected the run's own generator and discriminator (model 'custom') in request.networks but received none`,
    );
  }
  if (!resume) {
    const set = new Set(Object.keys(given).filter((name) => given[name as keyof typeof given] !== undefined));
    for (const warning of recipeWarnings(options, set)) say(`warning: ${warning}`);
  }
  const data = await openTrainingData(options, say);
  // auto may time this run's step (an unconditional preset's) on a GPU against native: backend/auto.ts.
  const timed = !networks && !isConditionalModel(options.model);
  const backend = await initBackend(
    options.backend,
    timed
      ? {
          model: options.model,
          shape: data.shape,
          batch: options.batchSize,
          latentDim: options.latentDim,
          build: () => presetNetworks(options, data.shape, new Rng(options.seed)),
        }
      : undefined,
  );
  say(describeBackend(backend));
  if (data.kind === 'images' && options.epochs > 0) options.steps = options.epochs * data.batches.stepsPerEpoch;
  if (usesLabels(options.model)) options.numClasses = labelledClasses(options, data.classes);
  return {
    options: Object.freeze(options),
    runDir: options.out,
    resume,
    previousSteps,
    replace: force,
    backend,
    data,
    conditioning: conditioningFor(options),
  };
}

/** A resumed run keeps its settings; only its length and backend may change, and it lives where it is now. */
async function resumedOptions(given: Partial<TrainOptions>, saw: (steps: number) => void): Promise<TrainOptions> {
  if (!given.out) throw new Error('Expected --out DIR naming the run to resume but received none');
  const out = given.out;
  try {
    return await resolveSavedOptions(out, (saved) => {
      if (typeof saved.steps === 'number') saw(saved.steps);
      return resolveOptions({
        ...(saved as Partial<TrainOptions>),
        out,
        ...(given.model ? { model: given.model } : {}),
        ...(given.steps ? { steps: given.steps, epochs: 0 } : {}),
        ...(given.backend ? { backend: given.backend } : {}),
        ...(given.recover !== undefined ? { recover: given.recover } : {}),
      });
    });
  } catch (err) {
    if (!(await folderHasNoOptions(out))) throw err;
    if (!(await exists(out)))
      throw new Error(
        `Expected --out to name a run to resume but ${out} does not exist; check the path (gankit train prints ` +
          "its run's folder as 'run directory: …'), or start a new run without --resume",
      );
    throw new Error(
      `Expected ${runPaths(out).options} from an earlier run to resume but there is none: the run was stopped ` +
        `before it started (or --out names another folder); start it again with gankit train --force --out ${out} ` +
        'and its options',
    );
  }
}

const exists = (file: string) =>
  fs.stat(file).then(
    () => true,
    () => false,
  );

async function folderHasNoOptions(run: string): Promise<boolean> {
  return fs.stat(runPaths(run).options).then(
    () => false,
    () => true,
  );
}

/** cgan and acgan: the data's number of classes, refusing data without labels. */
function labelledClasses(options: TrainOptions, classes: number | undefined): number {
  if (classes === undefined || classes < 2) {
    throw new Error(
      `Expected labelled data for model ${options.model} but ${options.data} has ` +
        `${classes === undefined ? 'no labels' : 'a single class'} (an .npy file has none; a folder of images has ` +
        'them when its images sit in one sub-folder per class); use --model infogan, which learns its codes ' +
        'without labels, or an unconditional model',
    );
  }
  return classes;
}
