// The training run: builds (or resumes) G and D, loops over steps, and keeps the run
// directory up to date — options.json, stats.jsonl, pictures, checkpoints and, at the
// end, metrics.json.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, type BackendChoice } from '../backend/index.js';
import { describeMetrics, modeMetrics } from '../metrics/modes.js';
import { presetNetworks } from '../networks/presets.js';
import { conditioningFor, usesLabels, type Conditioning } from '../games/conditional.js';
import { Rng } from '../rng.js';
import { writeFileAtomic } from '../io/atomic.js';
import { latestCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { WeightAverage } from './ema.js';
import { Gan, type StepStats } from './gan.js';
import { openTrainingData } from './data.js';
import { History, type RunMetrics } from './history.js';
import { resolveOptions, type TrainOptions } from './options.js';
import { drawImagePictures, drawPictures } from './pictures.js';
import { FailureWatch } from './failures.js';
import { describeConditional, mixtureConditionalMetrics } from './conditional-metrics.js';
import { headMetrics, type HeadMetrics } from './heads.js';
import { loadImages } from '../data/images/index.js';
import { evaluateGenerator, prepareEvaluation } from '../metrics/evaluate.js';
import { runGenerator } from '../generate/latent.js';
import { drawPool, firstRows, truncateDraw, truncationPool, type LatentDraw } from '../generate/truncation.js';

export interface TrainHooks {
  /** Called once before the first step: the run's length and, for image data, its epochs. */
  onStart?(plan: TrainPlan): void;
  /** Called after every step (the CLI's progress bar). */
  onStep?(step: number, total: number, stats: StepStats): void;
  /** Evaluations, checkpoints, warnings: one line each. */
  onEvent?(message: string): void;
  /** When aborted, the run saves a checkpoint after the current step and returns. */
  signal?: AbortSignal;
}

export interface TrainPlan {
  /** The first step this call trains (1, or one past a resumed checkpoint) and the last. */
  firstStep: number;
  steps: number;
  batchSize: number;
  /** Image data: steps per pass over the training set (the last batch may be smaller). */
  stepsPerEpoch?: number;
  /** Image data: examples in the training set. */
  examples?: number;
}

export interface TrainRequest extends Partial<TrainOptions> {
  /** Continue the run in `out` from its latest checkpoint. */
  resume?: boolean;
  /**
   * Your own G (latentDim → data) and D (data → one logit) instead of the preset;
   * the run records model 'custom'. Pass the same architectures again to resume.
   */
  networks?: { generator: tfl.LayersModel; discriminator: tfl.LayersModel };
}

export interface TrainResult {
  runDir: string;
  options: TrainOptions;
  backend: BackendChoice;
  /** Final mode metrics (mixture data only), with the conditional metrics of conditional runs. */
  metrics?: RunMetrics;
  seconds: number;
  /** Set when the run stopped early on its abort signal; it can be resumed. */
  interruptedAt?: number;
}

export async function train(request: TrainRequest, hooks: TrainHooks = {}): Promise<TrainResult> {
  const { resume, networks, ...given } = request;
  if (networks) given.model = 'custom';
  const options = resume ? await resumedOptions(given) : resolveOptions(given);
  if (options.model === 'custom' && !networks) {
    throw new Error(`Expected the run's own generator and discriminator (model 'custom') in request.networks but received none`);
  }
  const runDir = options.out;
  const backend = await initBackend(options.backend);
  const say = hooks.onEvent ?? (() => {});
  const data = await openTrainingData(options, say);
  if (data.kind === 'images' && options.epochs > 0) options.steps = options.epochs * data.batches.stepsPerEpoch;
  if (usesLabels(options.model)) options.numClasses = labelledClasses(options, data.classes);
  const conditioning = conditioningFor(options);

  const rng = new Rng(options.seed);
  const { generator, discriminator } = networks ?? presetNetworks(options, data.shape, rng, conditioning);
  checkShapes(generator, discriminator, options.latentDim, data.shape, conditioning);
  const average = options.ema > 0 ? await WeightAverage.of(generator, options.ema) : undefined;
  const gan = new Gan(generator, discriminator, options, rng, average, conditioning);
  const sampler = average?.model ?? generator;

  let start = 0;
  let history: History;
  await fs.mkdir(runDir, { recursive: true });
  const statsFile = path.join(runDir, 'stats.jsonl');
  if (resume) {
    const dir = await latestCheckpoint(runDir);
    if (!dir) throw new Error(`Expected a checkpoint in ${runDir}/checkpoints to resume from but found none; train without --resume`);
    const saved = await loadCheckpoint(dir);
    copyWeights(saved.models.generator, generator);
    copyWeights(saved.models.discriminator, discriminator);
    if (average && saved.models.generatorAverage) copyWeights(saved.models.generatorAverage, average.model);
    gan.optG.setState(saved.state.optimizers.generator);
    gan.optD.setState(saved.state.optimizers.discriminator);
    rng.setState(saved.state.rng);
    start = saved.state.step;
    // Image batches follow from (seed, epoch) alone: skip the ones already drawn.
    if (data.kind === 'images') data.batches.drawn = start * options.dSteps;
    history = await History.resume(statsFile, start);
    say(`resumed from ${dir} at step ${start}`);
  } else {
    // A new run in an old directory: nothing of the old run may be mistaken for this one's.
    await Promise.all(['checkpoints', 'snapshots', 'metrics.json'].map((f) => fs.rm(path.join(runDir, f), { recursive: true, force: true })));
    await fs.writeFile(statsFile, '');
    history = new History(statsFile);
  }
  await writeFileAtomic(path.join(runDir, 'options.json'), JSON.stringify(options, null, 2) + '\n');

  // Evaluation and pictures draw from their own seeded streams so that they never
  // change the training stream: a run is the same whether or not it is evaluated.
  const evaluate = (step: number): RunMetrics | undefined => {
    const toy = data.kind === 'toy' ? data.toy : undefined;
    const modes = toy?.modes;
    const modeStd = toy?.modeStd;
    if (!modes || !modeStd) return undefined;
    const evalRng = new Rng((options.seed * 7919 + step) | 0);
    const n = options.evalSamples;
    const ratio = options.jacobianTruncation;
    // A conditional G samples every class (code value) uniformly, like the data.
    const codes = conditioning && { dim: conditioning.codeDim, draw: (r: Rng, m: number) => conditioning.draw(r, m) };
    const pool = drawPool(evalRng, options.prior, options.latentDim, truncationPool(n, ratio), codes);
    const score = (draw: LatentDraw) => modeMetrics(runGenerator(sampler, draw.z, options.latentDim, 500, draw.codes), modes, modeStd);
    const metrics: RunMetrics = score(truncateDraw(sampler, pool, options.latentDim, n, ratio));
    // G's own samples beside the truncated ones, so the README's table can show both.
    if (ratio > 0) metrics.untruncated = score(firstRows(pool, options.latentDim, n));
    if (!conditioning) return metrics;
    return { ...metrics, ...mixtureConditionalMetrics(gan, sampler, conditioning, modes, evalRng, n) };
  };
  // Image metrics (fid10k, …) when asked for with --eval-every: G's samples from the
  // run's seed every time, so the curve moves only because G does.
  const evaluatesImages = data.kind === 'images' && options.evalEvery > 0;
  if (evaluatesImages) {
    if (conditioning) throw new Error(`Expected an unconditional model for --eval-every on images but received ${options.model}; score conditional runs by class with their class grids, or set --eval-every 0`);
    await prepareEvaluation({ data: options.data, metrics: options.evalMetrics, say });
  }
  const evaluateImages = async (step: number) => {
    if (!evaluatesImages) return undefined;
    const imageMetrics = await evaluateGenerator(sampler, { data: options.data, latentDim: options.latentDim, prior: options.prior, seed: options.seed, metrics: options.evalMetrics });
    history.add({ step, imageMetrics });
    say(`step ${step}: ${describeImageMetrics(imageMetrics)}`);
    return imageMetrics;
  };
  const pictures = (step: number, snapshot: boolean) =>
    data.kind === 'toy'
      ? drawPictures({ runDir, step, snapshot, data: data.toy, gan, sampler, history, seed: options.seed, jacobianTruncation: options.jacobianTruncation })
      : drawImagePictures({ runDir, step, snapshot, name: options.data, gan, sampler, history, seed: options.seed });
  const watch = new FailureWatch(options.loss);

  const began = performance.now();
  const elapsed = () => (performance.now() - began) / 1000;
  let metrics: RunMetrics | undefined;
  const due = (every: number, step: number) => every > 0 && step % every === 0 && step < options.steps;
  const checkpoint = (step: number) =>
    saveCheckpoint(runDir, { generator, discriminator, generatorAverage: average?.model }, gan.checkpointState(step));
  hooks.onStart?.({
    firstStep: start + 1,
    steps: options.steps,
    batchSize: options.batchSize,
    ...(data.kind === 'images' ? { stepsPerEpoch: data.batches.stepsPerEpoch, examples: data.images.count } : {}),
  });
  for (let step = start + 1; step <= options.steps; step++) {
    if (hooks.signal?.aborted) {
      await history.flush();
      if (step - 1 > start) await checkpoint(step - 1);
      gan.dispose();
      return { runDir, options, backend, seconds: elapsed(), interruptedAt: step - 1 };
    }
    const scale = 1 - (1 - options.lrFinal) * ((step - 1) / options.steps);
    gan.scaleLearningRates(scale);
    const stats = gan.step(data.batches);
    history.add({ step, ...stats, lr: options.lrG * scale, seconds: elapsed() });
    const problem = watch.check(step, stats);
    if (problem?.fatal) {
      history.add({ step, warning: problem.message });
      await history.flush();
      await pictures(step, false).catch(() => {});
      throw new Error(problem.message);
    }
    if (problem) {
      history.add({ step, warning: problem.message });
      say(`warning: ${problem.message}`);
    }
    hooks.onStep?.(step, options.steps, stats);

    if (due(options.evalEvery, step)) {
      metrics = evaluate(step);
      if (metrics) {
        history.add({ step, metrics });
        say(`step ${step}: ${describeMetrics(metrics)}${describeConditional(metrics)}`);
        const collapse = watch.checkModes(step, metrics);
        if (collapse) {
          history.add({ step, warning: collapse });
          say(`warning: ${collapse}`);
        }
      }
    }
    if (due(options.evalEvery, step)) await evaluateImages(step);
    if (due(options.plotEvery, step)) await pictures(step, true);
    if (due(options.checkpointEvery, step)) {
      await history.flush();
      await checkpoint(step);
    }
    if (step % 200 === 0) await history.flush();
  }

  metrics = evaluate(options.steps);
  if (metrics) history.add({ step: options.steps, metrics });
  const imageMetrics = await evaluateImages(options.steps);
  await history.flush();
  await checkpoint(options.steps);
  await pictures(options.steps, true);
  const heads = data.kind === 'images' && conditioning && conditioning.model !== 'cgan' ? await measureHeads(gan, options, say) : undefined;
  const seconds = elapsed();
  const summary = {
    ...(metrics ?? {}),
    ...(metrics ? { jacobianTruncation: options.jacobianTruncation } : {}),
    ...(heads ?? {}),
    ...(imageMetrics ?? {}),
    steps: options.steps,
    ...(data.kind === 'images' ? { epochs: options.steps / data.batches.stepsPerEpoch } : {}),
    seconds,
    backend: backend.name,
  };
  await writeFileAtomic(path.join(runDir, 'metrics.json'), JSON.stringify(summary, null, 2) + '\n');
  gan.dispose();
  return { runDir, options, backend, metrics, seconds };
}

/** ACGAN's class head, InfoGAN's Q, as classifiers of the data's labelled test images (when it has them). */
async function measureHeads(gan: Gan, options: TrainOptions, say: (message: string) => void): Promise<HeadMetrics | undefined> {
  let test;
  try {
    test = await loadImages(options.data, { split: 'test', download: false, ...(options.imageSize > 0 ? { size: options.imageSize } : {}) });
  } catch {
    say(`no labelled test images for ${options.data}: D's ${options.model === 'infogan' ? 'Q head' : 'class head'} is not measured`);
    return undefined;
  }
  const result = headMetrics(gan, test, `${options.data} (test, ${test.count})`);
  if (result?.qAccuracy !== undefined) say(`Q's categorical code as a classifier of ${result.headImages}: ${(100 * result.qAccuracy).toFixed(1)}% (best one-to-one mapping)`);
  if (result?.headAccuracy !== undefined) say(`D's class head on ${result.headImages}: ${(100 * result.headAccuracy).toFixed(1)}%`);
  return result;
}

async function resumedOptions(given: Partial<TrainOptions>): Promise<TrainOptions> {
  if (!given.out) throw new Error('Expected --out DIR naming the run to resume but received none');
  const file = path.join(given.out, 'options.json');
  let saved: TrainOptions;
  try {
    saved = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`Expected ${file} from an earlier run to resume but could not read it: ${(err as Error).message}`);
  }
  // A resumed run keeps its settings; only its length and backend may change.
  return resolveOptions({ ...saved, ...(given.model ? { model: given.model } : {}), ...(given.steps ? { steps: given.steps, epochs: 0 } : {}), ...(given.backend ? { backend: given.backend } : {}) });
}

/** cgan and acgan: the data's number of classes, refusing data without labels. */
function labelledClasses(options: TrainOptions, classes: number | undefined): number {
  if (classes === undefined || classes < 2) {
    throw new Error(
      `Expected labelled data for model ${options.model} but ${options.data} has ${classes === undefined ? 'no labels' : 'a single class'} ` +
        '(an .npy file has none; a folder of images has them when its images sit in one sub-folder per class); ' +
        'use --model infogan, which learns its codes without labels, or an unconditional model',
    );
  }
  return classes;
}

/** G: [z] (conditional: [z, c]) → one example; D: the example (CGAN: and y) → [logit] (ACGAN, InfoGAN: [logit, aux…]). */
function checkShapes(G: tfl.LayersModel, D: tfl.LayersModel, latentDim: number, example: number[], cond?: Conditioning): void {
  const shapes = (ts: tfl.SymbolicTensor[]) => ts.map((t) => `[batch, ${t.shape.slice(1).join(', ')}]`).join(', ');
  const expect = (what: string, got: tfl.SymbolicTensor[], want: number[][]) => {
    const wanted = want.map((w) => `[batch, ${w.join(', ')}]`).join(', ');
    const plural = want.length > 1 ? 's' : '';
    if (shapes(got) !== wanted) throw new Error(`Expected ${what}${plural} of shape${plural} ${wanted} but received ${shapes(got)}`);
  };
  expect("the generator's input", G.inputs, cond ? [[latentDim], [cond.codeDim]] : [[latentDim]]);
  expect("the generator's output", G.outputs, [example]);
  expect("the discriminator's input", D.inputs, cond?.discriminatorReadsCode ? [example, [cond.classes]] : [example]);
  expect("the discriminator's output", D.outputs, [[1 + (cond?.auxDim ?? 0)]]);
}

function copyWeights(from: tfl.LayersModel, to: tfl.LayersModel): void {
  to.setWeights(from.getWeights());
  from.dispose();
}

/** "fid10k 23.5 (real 0.16) · kid 0.0011 (real -0.0000)": each value beside its real-vs-real reference. */
function describeImageMetrics(m: Record<string, number>): string {
  const round = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(3));
  return Object.entries(m)
    .filter(([k]) => !/_(real|std|se|sigma)$/.test(k) && !/_real_/.test(k) && !/^classes_p\d+$/.test(k))
    .map(([k, v]) => `${k} ${round(v)}${m[`${k}_real`] !== undefined ? ` (real ${round(m[`${k}_real`])})` : ''}`)
    .join(' · ');
}
