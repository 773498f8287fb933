// Sampling a trained run: load its generator, draw z from the run's prior with a
// seed of the caller's choosing, and write the samples as .npy, .csv or a .png plot.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend/index.js';
import { densityGrid, toyDataset } from '../data/toy.js';
import { writeFileAtomic } from '../io/atomic.js';
import { writeNpy } from '../io/npy.js';
import { describeMetrics, modeMetrics } from '../metrics/modes.js';
import { plotSamples2d } from '../plots/index.js';
import { Rng } from '../rng.js';
import { loadGenerator } from '../train/checkpoint.js';
import { generate } from '../train/gan.js';
import { resolveOptions, type TrainOptions } from '../train/options.js';

export const SAMPLE_FORMATS = ['.npy', '.csv', '.png'] as const;

export interface SampleRequest {
  run: string;
  n: number;
  seed?: number;
  /** Use G's moving average (default, when the run kept one) or the trained G itself. */
  generator?: 'average' | 'trained';
}

export interface Samples {
  data: Float32Array;
  shape: [number, number];
  options: TrainOptions;
}

export async function readRunOptions(run: string): Promise<TrainOptions> {
  const file = path.join(run, 'options.json');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new Error(`Expected a run directory with options.json at ${run} but found none; train one with gankit train --out ${run}`);
  }
  return resolveOptions(JSON.parse(text));
}

export async function sampleRun(r: SampleRequest): Promise<Samples> {
  const options = await readRunOptions(r.run);
  await initBackend(options.backend);
  const model = await loadGenerator(r.run, r.generator);
  const rng = new Rng(r.seed ?? options.seed);
  const noise = (n: number) => {
    const values = new Float32Array(n * options.latentDim);
    if (options.prior === 'uniform') rng.fillUniform(values, -1, 1);
    else rng.fillNormal(values);
    return tf.tensor2d(values, [n, options.latentDim]);
  };
  const data = generate(model, noise, r.n);
  model.dispose();
  const dim = data.length / r.n;
  return { data, shape: [r.n, dim], options };
}

/** Writes samples in the format the file's extension names. */
export async function writeSamples(file: string, samples: Samples): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  if (ext === '.npy') return writeNpy(file, samples.data, samples.shape);
  if (ext === '.csv') return writeFileAtomic(file, toCsv(samples));
  if (ext === '.png') return writeFileAtomic(file, await plot(samples));
  throw new Error(`Expected --out to end in one of ${SAMPLE_FORMATS.join(', ')} but received "${file}"`);
}

function toCsv({ data, shape: [n, dim] }: Samples): string {
  const header = dim === 1 ? 'x' : Array.from({ length: dim }, (_, i) => `x${i + 1}`).join(',');
  const rows = [header];
  for (let i = 0; i < n; i++) rows.push(Array.from(data.subarray(i * dim, (i + 1) * dim), (v) => String(v)).join(','));
  return rows.join('\n') + '\n';
}

async function plot(samples: Samples): Promise<Buffer> {
  const data = toyDataset(samples.options.data);
  if (data.dim !== 2) throw new Error(`Expected 2D samples for a .png plot but the run's data (${data.name}) is ${data.dim}D; write .npy or .csv instead`);
  const metrics = data.modes && data.modeStd ? modeMetrics(samples.data, data.modes, data.modeStd) : undefined;
  return plotSamples2d({
    fake: samples.data,
    density: densityGrid(data, 200),
    modes: data.modes,
    bounds: data.bounds,
    title: `${samples.shape[0]} samples — ${data.name}`,
    subtitle: metrics ? describeMetrics(metrics) : undefined,
  });
}
