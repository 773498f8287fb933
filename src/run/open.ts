// A trained run as the sampling tools see it: the few options they need and the
// generator. Only these fields of options.json are read (not resolveOptions), so runs
// of models and data sets this file does not know about still sample.
import type * as tfl from '@tensorflow/tfjs-layers';
import { BACKENDS, initBackend, type BackendName } from '../backend/index.js';
import { findCheckpoint, loadCheckpointGenerator, type FoundCheckpoint } from './checkpoint.js';
import { readOptionsFile } from './options-file.js';
import { runPaths } from './paths.js';
import { Conditioning, isConditionalModel, usesLabels } from '../games/conditional.js';
import { generatorOutput, type GeneratorOutput } from '../generate/output.js';

export interface RunOptions {
  data: string;
  model: string;
  latentDim: number;
  prior: 'normal' | 'uniform';
  seed: number;
  /** Jacobian truncation the run samples with (0 for runs from before the option). */
  jacobianTruncation: number;
  /** The backend the run was trained on ('auto' when it did not say). */
  backend: BackendName | 'auto';
  /** Conditional runs (cgan, acgan, infogan): what G's code input holds. */
  conditioning?: Conditioning;
}

export interface OpenRun {
  options: RunOptions;
  model: tfl.LayersModel;
  output: GeneratorOutput;
  /** The checkpoint G came from; with a note when `latest` could not be used (say it to the user). */
  checkpoint: FoundCheckpoint;
}

/** Which runs a command takes: those whose G reads z alone, or conditional ones too (G(z, c)). */
export type AcceptedRuns = 'unconditional' | 'any';

export async function readRunInfo(run: string): Promise<RunOptions> {
  const { values: raw } = await readOptionsFile(run);
  const file = runPaths(run).options;
  const fail = (name: string, expected: string): never => {
    throw new Error(`Expected ${name} in ${file} to be ${expected} but received ${JSON.stringify(raw[name])}`);
  };
  const { data, model, latentDim, prior, seed, backend, jacobianTruncation = 0 } = raw;
  if (typeof data !== 'string') fail('data', 'a data set name');
  let conditioning: Conditioning | undefined;
  if (typeof model === 'string' && isConditionalModel(model)) {
    const count = (name: string, min: number) => {
      if (!Number.isInteger(raw[name]) || (raw[name] as number) < min)
        fail(name, `an integer ≥ ${min} for model ${model}`);
      return raw[name] as number;
    };
    conditioning = usesLabels(model)
      ? new Conditioning(model, count('numClasses', 2))
      : new Conditioning(model, count('infoCategories', 2), count('infoContinuous', 0));
  }
  if (!Number.isInteger(latentDim) || (latentDim as number) < 1) fail('latentDim', 'a positive integer');
  if (prior !== 'normal' && prior !== 'uniform') fail('prior', 'normal or uniform');
  if (!Number.isInteger(seed)) fail('seed', 'an integer');
  if (typeof jacobianTruncation !== 'number' || !(jacobianTruncation >= 0 && jacobianTruncation < 1))
    fail('jacobianTruncation', 'a number in [0, 1)');
  return {
    data: data as string,
    model: typeof model === 'string' ? model : 'unknown',
    latentDim: latentDim as number,
    prior: prior as RunOptions['prior'],
    seed: seed as number,
    jacobianTruncation: jacobianTruncation as number,
    backend: BACKENDS.includes(backend as BackendName) ? (backend as BackendName) : 'auto',
    ...(conditioning ? { conditioning } : {}),
  };
}

/**
 * Starts the run's backend and loads its generator (caller disposes `model`). Commands
 * that feed G z alone refuse conditional runs (accept 'unconditional'), clearly.
 */
export async function openRun(
  run: string,
  which: 'average' | 'trained' = 'average',
  accept: AcceptedRuns = 'unconditional',
): Promise<OpenRun> {
  const options = await readRunInfo(run);
  const cond = options.conditioning;
  if (cond && accept === 'unconditional') {
    throw new Error(
      `Expected a run whose generator takes z alone but ${run} was trained with model ${options.model}, ` +
        `whose generator also takes ${cond.trainsOnLabels ? 'a class label' : "InfoGAN's codes"}; ` +
        'this command does not handle conditional runs yet (gankit sample does, with --class and --grid)',
    );
  }
  await initBackend(options.backend);
  const checkpoint = await findCheckpoint(run);
  if (!checkpoint) {
    throw new Error(
      `Expected a trained run in ${run} (with checkpoints/latest) but found none; train one with gankit train ` +
        `--out ${run}`,
    );
  }
  const model = await loadCheckpointGenerator(checkpoint.dir, which);
  try {
    const shapes = model.inputs.map((t) => `[${t.shape.map(String).join(', ')}]`).join(', ');
    const wanted = [options.latentDim, ...(cond ? [cond.codeDim] : [])];
    if (
      model.inputs.length !== wanted.length ||
      model.inputs.some((t, i) => t.shape.length !== 2 || t.shape[1] !== wanted[i])
    ) {
      const what = cond
        ? `z of shape [batch, ${options.latentDim}] and its code of shape [batch, ${cond.codeDim}]`
        : `z of shape [batch, ${options.latentDim}]`;
      throw new Error(`Expected G to take ${what} (from options.json) but it takes ${shapes}`);
    }
    return { options, model, output: generatorOutput(model), checkpoint };
  } catch (err) {
    model.dispose();
    throw err;
  }
}
