// `gankit sample`: draws samples from a trained run's generator.
import { Command, Option } from 'commander';
import { sampleToFile } from '../sampling/sample.js';
import { integer, nonNegativeInt, positiveInt } from './parse.js';

interface SampleFlags {
  run: string;
  n: number;
  out: string;
  seed?: number;
  class?: number;
  generator: 'average' | 'trained';
}

export function sampleCommand(): Command {
  return new Command('sample')
    .description(
      "Draw samples from a trained run's generator. 2D runs: .npy (float32 N×D), .csv or a .png plot. " +
        'Image runs: a .png grid, .npy (float32 N×H×W×C in [−1, 1]) or a folder of PNGs (000000.png …).',
    )
    .requiredOption('--run <dir>', 'run directory written by gankit train')
    .option('--n <count>', 'number of samples', positiveInt, 2500)
    .requiredOption('--out <path>', 'output: .npy, .csv (2D) or .png; for image runs also a folder (ends in /, exists, or has no extension)')
    .option('--seed <n>', "seed for z (default: the run's seed)", integer)
    .option('--class <k>', 'samples of class k (conditional models only: cgan, acgan, infogan)', nonNegativeInt)
    .addOption(
      new Option('--generator <which>', "G's moving average (when the run kept one) or the trained G").choices(['average', 'trained']).default('average'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  gankit sample --run runs/ring8 --n 2500 --out samples.npy\n' +
        '  gankit sample --run runs/fashion --n 64 --out grid.png\n' +
        '  gankit sample --run runs/fashion --n 10000 --out samples/',
    )
    .action(async (flags: SampleFlags) => {
      const samples = await sampleToFile({
        run: flags.run,
        n: flags.n,
        out: flags.out,
        seed: flags.seed,
        classLabel: flags.class,
        generator: flags.generator,
      });
      console.log(`wrote ${samples.shape.join('×')} samples to ${flags.out}`);
    });
}
