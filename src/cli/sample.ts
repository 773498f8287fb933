// `gankit sample`: draws samples from a trained run's generator.
import { Command, Option } from 'commander';
import { SAMPLE_FORMATS, sampleRun, writeSamples } from '../sampling/sample.js';
import { integer, positiveInt } from './parse.js';

export function sampleCommand(): Command {
  return new Command('sample')
    .description("Draw samples from a trained run's generator and write them as .npy (float32 N×D), .csv or a .png plot.")
    .requiredOption('--run <dir>', 'run directory written by gankit train')
    .option('--n <count>', 'number of samples', positiveInt, 2500)
    .requiredOption('--out <file>', 'output file: .npy, .csv or .png')
    .option('--seed <n>', "seed for z (default: the run's seed)", integer)
    .addOption(
      new Option('--generator <which>', "G's moving average (when the run kept one) or the trained G").choices(['average', 'trained']).default('average'),
    )
    .addHelpText('after', '\nExample:\n  gankit sample --run runs/ring8 --n 2500 --out samples.npy')
    .action(async (flags: { run: string; n: number; out: string; seed?: number; generator: 'average' | 'trained' }) => {
      if (!SAMPLE_FORMATS.some((ext) => flags.out.toLowerCase().endsWith(ext))) {
        throw new Error(`Expected --out to end in one of ${SAMPLE_FORMATS.join(', ')} but received "${flags.out}"`);
      }
      const samples = await sampleRun({ run: flags.run, n: flags.n, seed: flags.seed, generator: flags.generator });
      await writeSamples(flags.out, samples);
      console.log(`wrote ${samples.shape[0]}×${samples.shape[1]} samples to ${flags.out}`);
    });
}
