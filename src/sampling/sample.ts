// Sampling a trained run: load its generator, draw z from the run's prior with a
// seed of the caller's choosing (less the latent points Jacobian truncation drops, when
// the run or the caller asks for it: 2D runs do by default), and write the samples.
// 2D runs: .npy, .csv or a .png plot. Image runs (G outputs [batch, H, W, C]): a .png
// grid (titled with the run, step and generator, enlarged to a readable width by a
// whole factor), .npy (N×H×W×C in [−1, 1]) or a folder of PNGs, one per sample.
// Conditional runs sample one class (or InfoGAN categorical code value) on request,
// else classes uniformly, from the seed.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { densityGrid, toyDataset } from '../data/toy.js';
import { writeFileAtomic } from '../io/atomic.js';
import { writeNpy } from '../io/npy.js';
import { describeMetrics, modeMetrics } from '../metrics/modes.js';
import { plotSamples2d } from '../plots/index.js';
import { Rng } from '../rng.js';
import { resolveOptions, type TrainOptions } from '../train/options.js';
import { CONDITIONAL_MODELS } from '../games/conditional.js';
import { writeFolderAtomic } from '../io/folder.js';
import { encodePng, tileImages } from '../plots/grid.js';
import { describeSource, labelledGrid, tilingFor } from '../plots/labelled-grid.js';
import { IMAGE_REGISTRY } from '../data/images/index.js';
import { checkpointStep, hasAverage } from '../run/checkpoint.js';
import { runGenerator } from '../generate/latent.js';
import { drawTruncated } from '../generate/truncation.js';
import { openRun, readRunInfo, type RunOptions } from '../run/open.js';
import { readOptionsFile } from '../run/options-file.js';
import type { GeneratorOutput } from '../generate/output.js';

/** The generator openRun loaded: the average when asked for and the checkpoint kept one, else G. */
export async function generatorUsed(
  checkpointDir: string,
  asked: 'average' | 'trained',
): Promise<'average' | 'trained'> {
  return asked === 'average' && (await hasAverage(checkpointDir)) ? 'average' : 'trained';
}

export const SAMPLE_FORMATS = ['.npy', '.csv', '.png'] as const;
/** Models that take a class label; `--class` needs one of them. */
export { CONDITIONAL_MODELS };

export interface SampleRequest {
  run: string;
  n: number;
  seed?: number;
  /** Use G's moving average (default, when the run kept one) or the trained G itself. */
  generator?: 'average' | 'trained';
  /**
   * Samples of one class (cgan, acgan) or one value of InfoGAN's categorical code;
   * conditional runs sample every class uniformly without it.
   */
  classLabel?: number;
  /** Examples per call of G (default 500): bounds memory for large n. */
  batch?: number;
  /**
   * Drop this fraction of latent points, those where G's Jacobian is largest (see
   * sampling/truncation.ts); default: the run's own setting, 0 for G's samples as they come.
   */
  jacobianTruncation?: number;
  /** Called after each batch of G with the samples made so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface Samples {
  data: Float32Array;
  /** [n, dim] for a 2D run, [n, h, w, c] for an image run. */
  shape: [number, number] | [number, number, number, number];
  options: RunOptions;
  /** Conditional runs: the class (InfoGAN: categorical code value) of each sample. */
  classes?: Int32Array;
  /** What drew them (run, step, generator, truncation), for a .png grid's title. */
  caption?: { title: string; subtitle?: string };
}

/** Where samples go, by the path's form: a file by its extension, or a folder of PNGs. */
export type SampleTarget = { kind: 'file'; format: (typeof SAMPLE_FORMATS)[number] } | { kind: 'folder' };

/** The run's options, resolved and validated as gankit train resolves them. */
export async function readRunOptions(run: string): Promise<TrainOptions> {
  return resolveOptions({ ...((await readOptionsFile(run)).values as Partial<TrainOptions>), out: run });
}

export async function sampleRun(r: SampleRequest): Promise<Samples> {
  return sampleChecked(r, () => {});
}

/** Samples a run and writes them to `out` (checked against the run's kind before any sampling). */
export async function sampleToFile(r: SampleRequest & { out: string }): Promise<Samples> {
  const target = await sampleTarget(r.out); // a bad path fails before the run is loaded
  const samples = await sampleChecked(r, (output) => checkTarget(r.out, target, output));
  await writeSamplesTo(r.out, target, samples);
  return samples;
}

/** Writes samples in the format the path names (see sampleTarget). */
export async function writeSamples(file: string, samples: Samples): Promise<void> {
  const target = await sampleTarget(file);
  checkTarget(file, target, outputOf(samples));
  await writeSamplesTo(file, target, samples);
}

/**
 * A folder when the path ends in a slash, names an existing folder or has no
 * extension; otherwise a file whose extension must be .npy, .csv or .png.
 */
export async function sampleTarget(out: string): Promise<SampleTarget> {
  const isFolder = await fs.stat(out).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (/[\\/]$/.test(out) || isFolder || path.extname(out) === '') return { kind: 'folder' };
  const ext = path.extname(out).toLowerCase();
  const format = SAMPLE_FORMATS.find((f) => f === ext);
  if (!format) {
    throw new Error(
      `Expected --out to end in one of ${SAMPLE_FORMATS.join(', ')} but received "${out}" (image runs also write ` +
        'a folder of PNGs: end the path with /)',
    );
  }
  return { kind: 'file', format };
}

function checkTarget(out: string, target: SampleTarget, output: GeneratorOutput): void {
  if (output.kind === 'points' && target.kind === 'folder') {
    throw new Error(
      `Expected --out to end in one of ${SAMPLE_FORMATS.join(', ')} for a 2D run but received "${out}", a folder ` +
        '(a folder of PNGs is for image runs)',
    );
  }
  if (output.kind === 'image' && target.kind === 'file' && target.format === '.csv') {
    throw new Error(
      `Expected --out to be a .png grid, a .npy file or a folder for an image run but received "${out}" (CSV ` +
        'holds 2D points only)',
    );
  }
}

async function sampleChecked(r: SampleRequest, check: (output: GeneratorOutput) => void): Promise<Samples> {
  if (!Number.isInteger(r.n) || r.n < 1) throw new Error(`Expected a positive integer for n but received ${r.n}`);
  if (r.classLabel !== undefined) {
    const { model, conditioning } = await readRunInfo(r.run);
    if (!conditioning) {
      throw new Error(
        `Expected a conditional run (model ${CONDITIONAL_MODELS.join('/')}) for --class but ${r.run} was trained ` +
          `with model ${model}; sample without --class`,
      );
    }
    conditioning.checkClass(r.classLabel, '--class');
  }
  const { options, model, output, checkpoint } = await openRun(r.run, r.generator, 'any');
  try {
    check(output);
    // z for all n at once, then the codes: sample i is the same whatever the batch
    // size, and without truncation --class K changes only its class.
    const rng = new Rng(r.seed ?? options.seed);
    const cond = options.conditioning;
    const codes = cond && { dim: cond.codeDim, draw: (g: Rng, m: number) => cond.draw(g, m, r.classLabel) };
    const ratio = r.jacobianTruncation ?? options.jacobianTruncation;
    const draw = await drawTruncated(model, rng, options.prior, options.latentDim, r.n, ratio, codes);
    const data = await runGenerator(model, draw.z, options.latentDim, r.batch ?? 500, draw.codes, r.onProgress);
    const shape: Samples['shape'] = output.kind === 'image' ? [r.n, ...output.shape] : [r.n, output.dim];
    const caption = await captionOf(r, options, checkpoint.dir, ratio);
    return { data, shape, options, caption, ...(draw.classes ? { classes: draw.classes } : {}) };
  } finally {
    model.dispose();
  }
}

/** "run · data · step N · G's moving average" over "64 samples · seed 1 · class 4 (Coat)". */
async function captionOf(
  r: SampleRequest,
  options: RunOptions,
  checkpointDir: string,
  jacobianTruncation: number,
): Promise<Samples['caption']> {
  const generator = await generatorUsed(checkpointDir, r.generator ?? 'average');
  const step = await checkpointStep(checkpointDir);
  const title = describeSource({ run: r.run, data: options.data, step, generator, jacobianTruncation });
  const names = IMAGE_REGISTRY[options.data]?.classNames;
  const cond = options.conditioning;
  const what = cond && !cond.trainsOnLabels ? 'categorical code' : 'class';
  const label =
    r.classLabel === undefined
      ? ''
      : ` · ${what} ${r.classLabel}${cond?.trainsOnLabels && names?.[r.classLabel] ? ` (${names[r.classLabel]})` : ''}`;
  return { title, subtitle: `${r.n} samples · seed ${r.seed ?? options.seed}${label}` };
}

function outputOf(samples: Samples): GeneratorOutput {
  const [, ...rest] = samples.shape;
  return rest.length === 3
    ? { kind: 'image', shape: rest as [number, number, number] }
    : { kind: 'points', dim: rest[0] };
}

async function writeSamplesTo(out: string, target: SampleTarget, samples: Samples): Promise<void> {
  if (target.kind === 'folder') return writeImageFolder(out, samples);
  await fs.mkdir(path.dirname(path.resolve(out)), { recursive: true });
  const { shape } = samples;
  if (target.format === '.npy') return writeNpy(out, samples.data, shape);
  if (shape.length === 4) return writeLabelledGrid(out, samples.data, shape, samples.caption);
  if (target.format === '.csv') return writeFileAtomic(out, toCsv(samples.data, shape));
  return writeFileAtomic(out, await plot(samples.data, shape, samples.options.data));
}

/** A grid of ceil(√n) columns, enlarged to a readable width, under the caption (or "N samples"). */
async function writeLabelledGrid(
  out: string,
  data: Float32Array,
  shape: [number, number, number, number],
  caption: Samples['caption'],
): Promise<void> {
  const [n, h, w] = shape;
  const columns = Math.max(1, Math.ceil(Math.sqrt(n)));
  const labels = caption ?? { title: `${n} samples` };
  await writeFileAtomic(
    out,
    await labelledGrid(tileImages(data, shape, { columns }), tilingFor(n, h, w, columns), labels),
  );
}

const PNG_NAME = /^\d{6,}\.png$/;

/** 000000.png, 000001.png, …: written into a temporary folder, then renamed into place. */
async function writeImageFolder(out: string, { data, shape }: Samples): Promise<void> {
  const [n, h, w, c] = shape as [number, number, number, number];
  const size = h * w * c;
  const width = Math.max(6, String(n - 1).length);
  const fill = async (dir: string) => {
    const parallel = 32;
    for (let start = 0; start < n; start += parallel) {
      const indices = Array.from({ length: Math.min(parallel, n - start) }, (_, k) => start + k);
      await Promise.all(
        indices.map(async (i) => {
          const picture = tileImages(data.subarray(i * size, (i + 1) * size), [1, h, w, c], { padding: 0 });
          await fs.writeFile(path.join(dir, `${String(i).padStart(width, '0')}.png`), await encodePng(picture));
        }),
      );
    }
  };
  await writeFolderAtomic(out, fill, (entries) => entries.every((e) => PNG_NAME.test(e)), '--out');
}

function toCsv(data: Float32Array, [n, dim]: [number, number]): string {
  const header = dim === 1 ? 'x' : Array.from({ length: dim }, (_, i) => `x${i + 1}`).join(',');
  const rows = [header];
  for (let i = 0; i < n; i++) rows.push(Array.from(data.subarray(i * dim, (i + 1) * dim), (v) => String(v)).join(','));
  return rows.join('\n') + '\n';
}

async function plot(samples: Float32Array, shape: [number, number], dataName: string): Promise<Buffer> {
  const data = toyDataset(dataName);
  if (data.dim !== 2)
    throw new Error(
      `Expected 2D samples for a .png plot but the run's data (${data.name}) is ${data.dim}D; write .npy or .csv ` +
        'instead',
    );
  const metrics = data.modes && data.modeStd ? modeMetrics(samples, data.modes, data.modeStd) : undefined;
  return plotSamples2d({
    fake: samples,
    density: densityGrid(data, 200),
    modes: data.modes,
    bounds: data.bounds,
    title: `${shape[0]} samples — ${data.name}`,
    subtitle: metrics ? describeMetrics(metrics) : undefined,
  });
}
