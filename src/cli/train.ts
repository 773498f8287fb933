// `gankit train`: every training option, with the library's defaults shown in --help.
import path from 'node:path';
import { Command, Option } from 'commander';
import { describeBackend, initBackend, setNumThreads } from '../backend/index.js';
import { TOY_DATASETS } from '../data/toy.js';
import { IMAGE_DATASETS } from '../data/images/index.js';
import { METRIC_NAMES } from '../metrics/registry.js';
import { GAMES } from '../games/losses.js';
import { CONDITIONAL_MODELS } from '../games/conditional.js';
import { describeMetrics } from '../metrics/modes.js';
import { describeConditional } from '../train/conditional-metrics.js';
import { DEFAULT_OPTIONS as D, IMAGE_DEFAULTS, type TrainOptions } from '../train/options.js';
import { train, type TrainRequest } from '../train/trainer.js';
import { fraction, intList, integer, nameList, nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber, unitInterval } from './parse.js';
import { createProgress } from './progress.js';

export function trainCommand(): Command {
  // Options whose default depends on the data (2D toy data or images) get no commander
  // default: the library fills them in (resolveOptions) and the help text shows both.
  const both = (toy: unknown, images: unknown) => ` (default: ${toy}; images: ${images})`;
  const I = IMAGE_DEFAULTS;
  return new Command('train')
    .description('Train a GAN and write a run directory (options.json, stats.jsonl, pictures, checkpoints, metrics.json).')
    .option('--data <name|path>', `data: ${TOY_DATASETS.join(', ')} (2D/1D toy data); ${IMAGE_DATASETS.join(', ')} (images, found on disk or downloaded); or a path to a folder of IDX files, CIFAR-10 batches or PNG/JPEG images, or an .npy file`, D.data)
    .addOption(
      new Option(
        '--model <preset>',
        `network preset (dcgan: images only). Conditional: cgan (G and D read the label), acgan (D also classifies), infogan (codes learned without labels); ` +
          `they build on mlp for toy data and on dcgan for images, and cgan/acgan need labelled data (ring8, grid25, labelled images)${both(D.model, I.model)}`,
      ).choices(['mlp', 'dcgan', ...CONDITIONAL_MODELS]),
    )
    .addOption(new Option('--loss <game>', 'the game the players play (their losses)').choices(GAMES).default(D.loss))
    .option('--steps <n>', `generator steps${both(D.steps, 'from --epochs')}`, positiveInt)
    .option('--epochs <n>', `image data: passes over the training set (default ${I.epochs}; --steps counts steps instead)`, positiveInt)
    .option('--size <pixels>', 'image folders: resize and centre-crop every image to size × size', positiveInt)
    .option('--batch-size <n>', `examples per batch${both(D.batchSize, I.batchSize)}`, positiveInt)
    .option('--k <n>', 'discriminator steps per generator step', positiveInt, D.dSteps)
    .addOption(new Option('--optimizer <rule>', 'update rule').choices(['adam', 'sgd']).default(D.optimizer))
    .option('--lr <rate>', 'learning rate of both players (overridden by --lr-g/--lr-d)', positiveNumber)
    .option('--lr-g <rate>', `generator learning rate${both(D.lrG, I.lrG)}; infogan on images: 1e-3 and z ∈ R^62, the paper's settings`, positiveNumber)
    .option('--lr-d <rate>', `discriminator learning rate${both(D.lrD, I.lrD)}`, positiveNumber)
    .option('--lr-final <fraction>', `decay learning rates linearly to this fraction by the last step${both(D.lrFinal, I.lrFinal)}`, unitInterval)
    .option('--beta1 <b>', `Adam β1${both(D.beta1, I.beta1)}`, fraction)
    .option('--beta2 <b>', `Adam β2${both(D.beta2, I.beta2)}`, fraction)
    .option('--momentum <m>', 'SGD momentum', fraction, D.momentum)
    .option('--ema <beta>', `moving average of G's weights (0 = off)${both(D.ema, I.ema)}`, fraction)
    .option('--latent-dim <n>', `dimension of z${both(D.latentDim, I.latentDim)}`, positiveInt)
    .addOption(new Option('--prior <p>', 'noise prior p(z): normal N(0, I) or uniform on [−1, 1]').choices(['normal', 'uniform']).default(D.prior))
    .option('--g-hidden <units>', `G's hidden layer widths (mlp preset)${both(D.gHidden.join(','), I.gHidden!.join(','))}`, intList)
    .option('--d-hidden <units>', `D's hidden layer widths (mlp preset; maxout units on images)${both(D.dHidden.join(','), I.dHidden!.join(','))}`, intList)
    .option('--r1 <gamma>', "R1 gradient penalty weight γ on real data (0 = off; default on 2D data (s/2)²/10, s = the data's mode spacing: 0.1 on grid25, 0.015 on ring8; images: 0)", nonNegativeNumber)
    .option('--r1-every <n>', 'apply R1 every n D steps with weight n·γ (lazy regularization)', positiveInt, D.r1Every)
    .option('--gp-weight <lambda>', 'WGAN-GP penalty weight λ', nonNegativeNumber, D.gpWeight)
    .option('--clip <c>', 'WGAN weight clipping bound', positiveNumber, D.clip)
    .option('--info-categories <n>', `infogan: values of the categorical code (default ${D.infoCategories}; ring8, grid25: their number of modes)`, positiveInt)
    .option('--info-continuous <n>', 'infogan: continuous codes, each uniform on [−1, 1]', nonNegativeInt, D.infoContinuous)
    .option('--info-lambda-cat <lambda>', "infogan: weight λ of the categorical code's information term", nonNegativeNumber, D.infoLambdaCat)
    .option('--info-lambda-cont <lambda>', "infogan: weight λ of the continuous codes' information term", nonNegativeNumber, D.infoLambdaCont)
    .option('--seed <n>', 'random seed: the same seed gives the same run on a given backend', integer, D.seed)
    .option('--eval-every <n>', `steps between metric evaluations: the 2D metrics (0 = end only), or for images --eval-metrics (0 = none)${both(D.evalEvery, I.evalEvery)}`, nonNegativeInt)
    .option('--eval-metrics <list>', `images: metrics for --eval-every, from ${METRIC_NAMES.join(', ')} (default ${D.evalMetrics.join(',')}; see gankit eval --help)`, nameList)
    .option('--plot-every <n>', `steps between pictures (0 = end only)${both(D.plotEvery, I.plotEvery)}`, nonNegativeInt)
    .option('--checkpoint-every <n>', `steps between checkpoints (0 = end only)${both(D.checkpointEvery, I.checkpointEvery)}`, nonNegativeInt)
    .option('--eval-samples <n>', 'samples for the 2D metrics', positiveInt, D.evalSamples)
    .option('--jacobian-truncation <ratio>', `sample without this fraction of latent points, those where G's Jacobian is largest: the bridges between modes (Tanielian et al. 2020); metrics.json also gives G's own samples' metrics${both(D.jacobianTruncation, I.jacobianTruncation!)}`, fraction)
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(['auto', 'native', 'wasm', 'cpu']).default(D.backend))
    .option('--threads <n>', 'threads of the native backend (default: every core; GANKIT_THREADS does the same)', positiveInt)
    .option('--out <dir>', 'run directory (default: runs/<data>-<time>)')
    .option('--resume', 'continue the run in --out from its latest checkpoint (its options are kept; --steps may extend it)')
    .addHelpText(
      'after',
      `
Examples:
  gankit train                                   # MLP GAN on ring8 with the default settings
  gankit train --data grid25 --seed 2 --out runs/grid
  gankit train --data fashion-mnist --model dcgan --epochs 5 --out runs/fashion
  gankit train --data fashion-mnist --model cgan --epochs 5 --out runs/cgan   # then: gankit sample --run runs/cgan --class 3 --n 64 --out c3.png
  gankit train --data fashion-mnist --model infogan --epochs 5 --out runs/info  # samples.png: one row per code value; traversal-1.png, traversal-2.png
  gankit train --data ./my-photos --size 64 --epochs 20   # a folder of PNG/JPEG images
  gankit train --loss wgan-gp --k 5 --lr 1e-4 --beta1 0.5 --beta2 0.9
  gankit train --resume --out runs/grid --steps 20000`,
    )
    .action(async (flags: Record<string, unknown>, command: Command) => {
      const request = toRequest(flags, command);
      const backend = await initBackend(request.backend);
      if (flags.threads !== undefined) {
        if (backend.name !== 'native') throw new Error(`Expected the native backend for --threads but ${backend.name} runs (${backend.note})`);
        setNumThreads(flags.threads as number);
      }
      const progress = createProgress(Boolean(process.stdout.isTTY));
      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint);
      console.log(describeBackend(backend));
      console.log(`run directory: ${request.out}`);
      try {
        const result = await train(request, {
          onStart: (plan) => progress.start(plan),
          onStep: (step, total, stats) => progress.step(step, total, stats),
          onEvent: (message) => progress.log(message),
          signal: abort.signal,
        });
        progress.stop();
        if (result.interruptedAt !== undefined) {
          console.log(`interrupted after step ${result.interruptedAt}; continue with: gankit train --resume --out ${result.runDir}`);
          process.exitCode = 130;
          return;
        }
        const rate = (result.options.steps / result.seconds).toFixed(0);
        console.log(`trained ${result.options.steps} steps in ${result.seconds.toFixed(1)} s (${rate} steps/s, backend ${result.backend.name})`);
        if (result.metrics) console.log(`final: ${describeMetrics(result.metrics)}${describeConditional(result.metrics)}`);
        console.log(`wrote ${path.join(result.runDir, 'metrics.json')}, pictures (*.png) and checkpoints in ${result.runDir}`);
      } finally {
        progress.stop();
        process.off('SIGINT', onSigint);
      }
    });
}

/** Maps flags to the library's request; only flags the user gave override a resumed run. */
function toRequest(flags: Record<string, unknown>, command: Command): TrainRequest {
  const given = (name: string) => command.getOptionValueSource(name) === 'cli';
  const data = flags.data as string;
  const out = (flags.out as string | undefined) ?? path.join('runs', `${path.basename(data).replace(/\.[a-z]+$/i, '')}-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}`);
  if (flags.resume) {
    if (!given('out')) throw new Error('Expected --out DIR with --resume (the run to continue) but received none');
    return {
      resume: true,
      out,
      ...(given('steps') ? { steps: flags.steps as number } : {}),
      ...(given('backend') ? { backend: flags.backend as TrainOptions['backend'] } : {}),
    };
  }
  const lr = flags.lr as number | undefined;
  // Flags left out stay undefined, so resolveOptions picks the default for this data.
  return {
    data,
    model: flags.model as TrainOptions['model'] | undefined,
    infoCategories: flags.infoCategories as number | undefined,
    infoContinuous: flags.infoContinuous as number,
    infoLambdaCat: flags.infoLambdaCat as number,
    infoLambdaCont: flags.infoLambdaCont as number,
    loss: flags.loss as TrainOptions['loss'],
    steps: flags.steps as number | undefined,
    epochs: flags.epochs as number | undefined,
    imageSize: flags.size as number | undefined,
    batchSize: flags.batchSize as number | undefined,
    dSteps: flags.k as number,
    optimizer: flags.optimizer as TrainOptions['optimizer'],
    lrG: (flags.lrG as number | undefined) ?? lr,
    lrD: (flags.lrD as number | undefined) ?? lr,
    lrFinal: flags.lrFinal as number | undefined,
    beta1: flags.beta1 as number | undefined,
    beta2: flags.beta2 as number | undefined,
    momentum: flags.momentum as number,
    ema: flags.ema as number | undefined,
    latentDim: flags.latentDim as number | undefined,
    prior: flags.prior as TrainOptions['prior'],
    gHidden: flags.gHidden as number[] | undefined,
    dHidden: flags.dHidden as number[] | undefined,
    r1: flags.r1 as number | undefined,
    r1Every: flags.r1Every as number,
    gpWeight: flags.gpWeight as number,
    clip: flags.clip as number,
    seed: flags.seed as number,
    evalEvery: flags.evalEvery as number | undefined,
    evalMetrics: flags.evalMetrics as string[] | undefined,
    plotEvery: flags.plotEvery as number | undefined,
    checkpointEvery: flags.checkpointEvery as number | undefined,
    evalSamples: flags.evalSamples as number,
    jacobianTruncation: flags.jacobianTruncation as number | undefined,
    backend: flags.backend as TrainOptions['backend'],
    out,
  };
}
