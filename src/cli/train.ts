// `gankit train`: every training option, with the library's defaults shown in --help.
import path from 'node:path';
import { Command, Option } from 'commander';
import { describeBackend, initBackend, setNumThreads } from '../backend/index.js';
import { TOY_DATASETS } from '../data/toy.js';
import { GAMES } from '../games/losses.js';
import { describeMetrics } from '../metrics/modes.js';
import { DEFAULT_OPTIONS as D, type TrainOptions } from '../train/options.js';
import { train, type TrainRequest } from '../train/trainer.js';
import { fraction, intList, integer, nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber, unitInterval } from './parse.js';
import { createProgress } from './progress.js';

export function trainCommand(): Command {
  return new Command('train')
    .description('Train a GAN and write a run directory (options.json, stats.jsonl, pictures, checkpoints, metrics.json).')
    .addOption(new Option('--data <name>', 'data set').choices(TOY_DATASETS).default(D.data))
    .addOption(new Option('--model <preset>', 'network preset').choices(['mlp']).default(D.model))
    .addOption(new Option('--loss <game>', 'the game the players play (their losses)').choices(GAMES).default(D.loss))
    .option('--steps <n>', 'generator steps', positiveInt, D.steps)
    .option('--batch-size <n>', 'examples per batch', positiveInt, D.batchSize)
    .option('--k <n>', 'discriminator steps per generator step', positiveInt, D.dSteps)
    .addOption(new Option('--optimizer <rule>', 'update rule').choices(['adam', 'sgd']).default(D.optimizer))
    .option('--lr <rate>', 'learning rate of both players (overridden by --lr-g/--lr-d)', positiveNumber)
    .option('--lr-g <rate>', 'generator learning rate', positiveNumber, D.lrG)
    .option('--lr-d <rate>', 'discriminator learning rate', positiveNumber, D.lrD)
    .option('--lr-final <fraction>', 'decay learning rates linearly to this fraction by the last step', unitInterval, D.lrFinal)
    .option('--beta1 <b>', 'Adam β1', fraction, D.beta1)
    .option('--beta2 <b>', 'Adam β2', fraction, D.beta2)
    .option('--momentum <m>', 'SGD momentum', fraction, D.momentum)
    .option('--ema <beta>', "moving average of G's weights (0 = off)", fraction, D.ema)
    .option('--latent-dim <n>', 'dimension of z', positiveInt, D.latentDim)
    .addOption(new Option('--prior <p>', 'noise prior p(z): normal N(0, I) or uniform on [−1, 1]').choices(['normal', 'uniform']).default(D.prior))
    .addOption(new Option('--g-hidden <units>', "G's hidden layer widths").argParser(intList).default(D.gHidden, D.gHidden.join(',')))
    .addOption(new Option('--d-hidden <units>', "D's hidden layer widths").argParser(intList).default(D.dHidden, D.dHidden.join(',')))
    .option('--r1 <gamma>', "R1 gradient penalty weight γ on real data (0 = off; default (s/2)², s = the data's mode spacing: 1 on grid25, 0.15 on ring8)", nonNegativeNumber)
    .option('--r1-every <n>', 'apply R1 every n D steps with weight n·γ (lazy regularization)', positiveInt, D.r1Every)
    .option('--gp-weight <lambda>', 'WGAN-GP penalty weight λ', nonNegativeNumber, D.gpWeight)
    .option('--clip <c>', 'WGAN weight clipping bound', positiveNumber, D.clip)
    .option('--seed <n>', 'random seed: the same seed gives the same run on a given backend', integer, D.seed)
    .option('--eval-every <n>', 'steps between 2D metric evaluations (0 = end only)', nonNegativeInt, D.evalEvery)
    .option('--plot-every <n>', 'steps between pictures (0 = end only)', nonNegativeInt, D.plotEvery)
    .option('--checkpoint-every <n>', 'steps between checkpoints (0 = end only)', nonNegativeInt, D.checkpointEvery)
    .option('--eval-samples <n>', 'samples for the 2D metrics', positiveInt, D.evalSamples)
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
        if (result.metrics) console.log(`final: ${describeMetrics(result.metrics)}`);
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
  const out = (flags.out as string | undefined) ?? path.join('runs', `${data}-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}`);
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
  return {
    data,
    model: flags.model as TrainOptions['model'],
    loss: flags.loss as TrainOptions['loss'],
    steps: flags.steps as number,
    batchSize: flags.batchSize as number,
    dSteps: flags.k as number,
    optimizer: flags.optimizer as TrainOptions['optimizer'],
    lrG: lr !== undefined && !given('lrG') ? lr : (flags.lrG as number),
    lrD: lr !== undefined && !given('lrD') ? lr : (flags.lrD as number),
    lrFinal: flags.lrFinal as number,
    beta1: flags.beta1 as number,
    beta2: flags.beta2 as number,
    momentum: flags.momentum as number,
    ema: flags.ema as number,
    latentDim: flags.latentDim as number,
    prior: flags.prior as TrainOptions['prior'],
    gHidden: flags.gHidden as number[],
    dHidden: flags.dHidden as number[],
    r1: flags.r1 as number | undefined,
    r1Every: flags.r1Every as number,
    gpWeight: flags.gpWeight as number,
    clip: flags.clip as number,
    seed: flags.seed as number,
    evalEvery: flags.evalEvery as number,
    plotEvery: flags.plotEvery as number,
    checkpointEvery: flags.checkpointEvery as number,
    evalSamples: flags.evalSamples as number,
    backend: flags.backend as TrainOptions['backend'],
    out,
  };
}
