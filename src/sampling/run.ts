// A trained run as the sampling tools see it: the few options they need and the
// generator. Only these fields of options.json are read (not resolveOptions), so runs
// of models and data sets this file does not know about still sample.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { BACKENDS, initBackend, type BackendName } from '../backend/index.js';
import { loadGenerator } from '../train/checkpoint.js';

export interface RunOptions {
  data: string;
  model: string;
  latentDim: number;
  prior: 'normal' | 'uniform';
  seed: number;
  /** The backend the run was trained on ('auto' when it did not say). */
  backend: BackendName | 'auto';
}

/** What G outputs per example: an image (H×W×C) or a point in R^dim. */
export type GeneratorOutput = { kind: 'image'; shape: [h: number, w: number, c: number] } | { kind: 'points'; dim: number };

export interface OpenRun {
  options: RunOptions;
  model: tfl.LayersModel;
  output: GeneratorOutput;
}

export async function readRunInfo(run: string): Promise<RunOptions> {
  const file = path.join(run, 'options.json');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new Error(`Expected a run directory with options.json at ${run} but found none; train one with gankit train --out ${run}`);
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`Expected JSON in ${file} but could not parse it: ${(err as Error).message}`);
  }
  const fail = (name: string, expected: string): never => {
    throw new Error(`Expected ${name} in ${file} to be ${expected} but received ${JSON.stringify(raw[name])}`);
  };
  const { data, model, latentDim, prior, seed, backend } = raw;
  if (typeof data !== 'string') fail('data', 'a data set name');
  if (!Number.isInteger(latentDim) || (latentDim as number) < 1) fail('latentDim', 'a positive integer');
  if (prior !== 'normal' && prior !== 'uniform') fail('prior', 'normal or uniform');
  if (!Number.isInteger(seed)) fail('seed', 'an integer');
  return {
    data: data as string,
    model: typeof model === 'string' ? model : 'unknown',
    latentDim: latentDim as number,
    prior: prior as RunOptions['prior'],
    seed: seed as number,
    backend: BACKENDS.includes(backend as BackendName) ? (backend as BackendName) : 'auto',
  };
}

/** Starts the run's backend and loads its generator (caller disposes `model`). */
export async function openRun(run: string, which: 'average' | 'trained' = 'average'): Promise<OpenRun> {
  const options = await readRunInfo(run);
  await initBackend(options.backend);
  const model = await loadGenerator(run, which);
  try {
    const input = model.inputs[0].shape;
    if (model.inputs.length !== 1 || input.length !== 2 || input[1] !== options.latentDim) {
      throw new Error(`Expected G to take z of shape [batch, ${options.latentDim}] (latentDim in options.json) but it takes [${input.map(String).join(', ')}]`);
    }
    return { options, model, output: generatorOutput(model) };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** Image run when G's output is [batch, H, W, C], 2D run when it is [batch, D]. */
export function generatorOutput(model: tfl.LayersModel): GeneratorOutput {
  const shape = model.outputs[0].shape;
  const rest = shape.slice(1);
  if (rest.every((d): d is number => typeof d === 'number' && d > 0)) {
    if (rest.length === 3) return { kind: 'image', shape: rest as [number, number, number] };
    if (rest.length === 1) return { kind: 'points', dim: rest[0] };
  }
  throw new Error(`Expected G to output [batch, D] points or [batch, H, W, C] images but it outputs [${shape.map(String).join(', ')}]`);
}
