// The run's pictures: what G makes over the data density, what D thinks of the plane
// and where it pushes G's samples, D against the optimal D* in 1D, and the curves;
// for image data, a grid of G's images from a fixed noise vector, and the curves.
// Conditional image runs show a class grid instead (one row per class or categorical
// code value), and InfoGAN runs a traversal of each continuous code.
// Written to RUN/*.png (latest) and, for snapshots, RUN/snapshots/step-N-*.png.
// The curves' panels are in curve-panels.ts; D's field, G's push and D beside D* are
// computed in game-views.ts, which the dashboard's live.json shares.
import { promises as fs } from 'node:fs';
import type * as tfl from '@tensorflow/tfjs-layers';
import { plot1d, plotCurves, plotDiscriminator2d, plotSamples2d } from '../plots/index.js';
import { plotSamples1d } from '../plots/samples1d.js';
import { densityGrid, type ToyDataset } from '../data/toy.js';
import { Rng } from '../rng.js';
import { writeFileAtomic } from '../io/atomic.js';
import { runPaths } from '../run/paths.js';
import { generate, type Gan } from './gan.js';
import type { History } from '../run/stats.js';
import { describeMetrics } from '../metrics/modes.js';
import { curveEvents, curvePanels } from './curve-panels.js';
import { tileImages } from '../plots/grid.js';
import { describeSource, labelledGrid, tilingFor, type GridLabels } from '../plots/labelled-grid.js';
import {
  classGridInputs,
  classGridLabels,
  classGridSubtitle,
  traversalInputs,
  traversalLabels,
  traversalSubtitle,
  type GridInputs,
} from '../generate/conditional-inputs.js';
import { IMAGE_REGISTRY } from '../data/images/index.js';
import { runGenerator } from '../generate/latent.js';
import { drawTruncated } from '../generate/truncation.js';
import { discriminatorField, fixedNoise, fixedSamples, generatorPush, lineView, sliceCodes } from './game-views.js';

export interface PictureRequest {
  runDir: string;
  step: number;
  /** Also keep a copy under snapshots/ so pictures can be compared over time. */
  snapshot: boolean;
  data: ToyDataset;
  gan: Gan;
  /** The generator that samples (G's moving average when there is one). */
  sampler: tfl.LayersModel;
  history: History;
  seed: number;
  /** The run's Jacobian truncation ratio (samples.png shows the truncated samples). */
  jacobianTruncation: number;
}

const FIELD_RESOLUTION = 120;
const ARROWS = 160;

export async function drawPictures(r: PictureRequest): Promise<void> {
  const title = `${r.data.name} · step ${r.step}`;
  const lastEval = r.history.evaluations().at(-1);
  const subtitle = lastEval ? `step ${lastEval.step} · ${describeMetrics(lastEval.metrics)}` : undefined;
  // The same noise every time, so pictures of one run compare across steps (game-views.ts).
  const { fake, codes } = await fixedSamples(r.gan, r.sampler, r.seed, 2500);
  const real = r.data.sample(new Rng(r.seed + 2_000_003), 1000);

  const pictures: Record<string, Buffer> = {};
  if (r.data.dim === 2) {
    // samples.png shows what the run's sampler gives (and its metrics measure): with
    // Jacobian truncation, G's samples less the bridges; discriminator.png shows G itself.
    const ratio = r.jacobianTruncation;
    pictures.samples = await plotSamples2d({
      fake: ratio > 0 ? await truncatedSamples(r, ratio) : fake,
      real,
      density: densityGrid(r.data, 200),
      modes: r.data.modes,
      bounds: r.data.bounds,
      title:
        `Generated samples over the data density — ${title}` +
        (ratio > 0 ? ` · Jacobian truncation ${+(100 * ratio).toFixed(2)}%` : ''),
      subtitle,
    });
    pictures.discriminator = await plotDiscriminator2d({
      field: await discriminatorField(r.gan, r.data, FIELD_RESOLUTION),
      fake,
      arrows: await generatorPush(r.gan, fake.subarray(0, 2 * ARROWS), codes && sliceCodes(r.gan, codes, 0, ARROWS)),
      bounds: r.data.bounds,
      title: `D(x) and the direction G's samples are pushed — ${title}`,
      subtitle,
    });
  } else {
    pictures.discriminator = await oneDimensional(r, fake, title);
    const over = `Generated samples over the data density — ${title}`;
    pictures.samples = await plotSamples1d({ fake, bounds: r.data.bounds, density: r.data.density, title: over });
  }
  pictures.curves = await plotCurves({
    title: `Training curves — ${r.data.name}`,
    panels: curvePanels(r.history, auxName(r.gan)),
    ...curveEvents(r.history),
  });

  await writePictures(r, pictures);
}

/** 2,500 samples of the run's sampler from the pictures' fixed noise, JBT-truncated at `ratio`. */
async function truncatedSamples(r: PictureRequest, ratio: number): Promise<Float32Array> {
  const { prior, latentDim } = r.gan.options;
  const cond = r.gan.conditioning;
  const codes = cond && { dim: cond.codeDim, draw: (rng: Rng, n: number) => cond.draw(rng, n) };
  const draw = await drawTruncated(r.sampler, fixedNoise(r.seed), prior, latentDim, 2500, ratio, codes);
  return runGenerator(r.sampler, draw.z, latentDim, 500, draw.codes);
}

export interface ImagePictureRequest extends Omit<PictureRequest, 'data' | 'jacobianTruncation'> {
  /** The data set's name, for titles. */
  name: string;
  /** The data's class names (a known data set's, or a folder's sub-folders), for class grids. */
  classNames?: string[];
}

/** Grid side of the fixed-noise sample picture (8 × 8 = 64 images, like pytorch/examples dcgan). */
const GRID = 8;

/**
 * samples.png: G's images from one fixed noise vector, so grids compare over the run
 * (conditional runs: the class grid; InfoGAN also traversal-N.png); and the curves.
 */
export async function drawImagePictures(r: ImagePictureRequest): Promise<void> {
  const fixed = () => fixedNoise(r.seed);
  const [h, w, c] = r.sampler.outputs[0].shape.slice(1) as number[];
  const source = describeSource({
    run: r.runDir,
    data: r.name,
    step: r.step,
    generator: r.gan.average !== undefined && r.sampler === r.gan.average.model ? 'average' : 'trained',
  });
  // Enlarged to a readable width by a whole factor, pixels kept sharp, under a title.
  const png = (images: Float32Array, n: number, columns: number, labels: GridLabels) =>
    labelledGrid(tileImages(images, [n, h, w, c], { columns }), tilingFor(n, h, w, columns), labels);
  const pictures: Record<string, Buffer> = {};
  const cond = r.gan.conditioning;
  const { prior, latentDim } = r.gan.options;
  if (!cond) {
    const n = GRID * GRID;
    pictures.samples = await png(await generate(r.sampler, (m) => r.gan.noise(m, fixed()), n), n, GRID, {
      title: source,
      subtitle: `${n} samples from one fixed noise vector (the same at every step)`,
    });
  } else {
    const grid = async (g: GridInputs, labels: GridLabels) =>
      png(
        await runGenerator(r.sampler, g.z, latentDim, 500, { values: g.codes.input, dim: cond.codeDim }),
        g.rows * g.columns,
        g.columns,
        labels,
      );
    pictures.samples = await grid(classGridInputs(cond, fixed(), prior, latentDim), {
      title: source,
      subtitle: classGridSubtitle(cond),
      ...classGridLabels(cond, r.classNames ?? IMAGE_REGISTRY[r.name]?.classNames),
    });
    // The traversals' one z is the class grid's first column's.
    for (let code = 1; code <= cond.continuous; code++)
      pictures[`traversal-${code}`] = await grid(traversalInputs(cond, fixed(), prior, latentDim, code), {
        title: `Continuous code c${code} from −2 to 2 — ${source}`,
        subtitle: traversalSubtitle(code),
        ...traversalLabels(cond, code),
      });
  }
  pictures.curves = await plotCurves({
    title: `Training curves — ${r.name}`,
    panels: curvePanels(r.history, auxName(r.gan)),
    ...curveEvents(r.history),
  });
  await writePictures(r, pictures);
}

/** RUN/NAME.png, and for snapshots a copy under snapshots/ (the curves already span the run). */
async function writePictures(
  r: { runDir: string; step: number; snapshot: boolean },
  pictures: Record<string, Buffer>,
): Promise<void> {
  const paths = runPaths(r.runDir);
  if (r.snapshot) await fs.mkdir(paths.snapshots, { recursive: true });
  for (const [name, png] of Object.entries(pictures)) {
    await writeFileAtomic(paths.picture(name), png);
    if (r.snapshot && name !== 'curves') await writeFileAtomic(paths.snapshot(r.step, name), png);
  }
}

async function oneDimensional(r: PictureRequest, fake: Float32Array, title: string): Promise<Buffer> {
  return plot1d({
    ...(await lineView(r.gan, r.data, fake, 400)),
    title: `D(x) beside D*(x) = p_data/(p_data + p_g) — ${title}`,
  });
}

/** What StepStats.aux holds for this run. */
function auxName(gan: Gan): string {
  return gan.conditioning?.row.auxLoss ?? 'auxiliary loss';
}
