// `gankit sample`: draws samples from a trained run's generator, or for conditional
// image runs the class grid and InfoGAN's traversals.
import path from 'node:path';
import { Command, Option } from 'commander';
import { writeFileAtomic } from '../io/atomic.js';
import { conditionalGrid, encodeConditionalGrid } from '../sampling/conditional.js';
import { sampleToFile } from '../sampling/sample.js';
import { fraction, integer, nonNegativeInt, positiveInt } from './parse.js';
import { withProgress } from './live-line.js';

interface SampleFlags {
  run: string;
  n: number;
  out: string;
  seed?: number;
  class?: number;
  grid?: 'classes' | 'traversal';
  code?: number;
  columns?: number;
  generator: 'average' | 'trained';
  jacobianTruncation?: number;
}

export function sampleCommand(): Command {
  return new Command('sample')
    .description(
      "Draw samples from a trained run's generator. 2D runs: .npy (float32 N×D), .csv or a .png plot. " +
        'Image runs: a .png grid, .npy (float32 N×H×W×C in [−1, 1]) or a folder of PNGs (000000.png …). ' +
        'Conditional runs (cgan, acgan, infogan) sample every class uniformly unless --class picks one.',
    )
    .requiredOption('--run <dir>', 'run directory written by gankit train')
    .option('--n <count>', 'number of samples', positiveInt, 2500)
    .requiredOption(
      '--out <path>',
      'output: .npy, .csv (2D) or .png; for image runs also a folder (ends in /, exists, or has no extension)',
    )
    .option('--seed <n>', "seed for z and the codes (default: the run's seed)", integer)
    .option(
      '--class <k>',
      'samples of class k (cgan, acgan) or of value k of the categorical code (infogan); classes count from 0',
      nonNegativeInt,
    )
    .addOption(
      new Option(
        '--grid <kind>',
        'conditional image runs: write a .png grid instead of samples: classes = one row per class (infogan: per ' +
          'categorical value), traversal = infogan, one row per categorical value, columns sweeping a continuous ' +
          'code from −2 to 2',
      ).choices(['classes', 'traversal']),
    )
    .option('--code <n>', 'with --grid traversal: the continuous code to sweep (1-based)', positiveInt, 1)
    .option('--columns <n>', 'with --grid classes: columns (one fixed z each)', positiveInt, 10)
    .addOption(
      new Option('--generator <which>', "G's moving average (when the run kept one) or the trained G")
        .choices(['average', 'trained'])
        .default('average'),
    )
    .option(
      '--jacobian-truncation <ratio>',
      "drop this fraction of latent points, those where G's Jacobian is largest: the bridges between modes " +
        "(default: the run's setting, 0.01 for 2D runs; 0 = G's samples as they come)",
      fraction,
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  gankit sample --run runs/ring8 --n 2500 --out samples.npy\n' +
        '  gankit sample --run runs/fashion --n 64 --out grid.png\n' +
        '  gankit sample --run runs/fashion --n 10000 --out samples/\n' +
        '  gankit sample --run runs/cgan --class 3 --n 1000 --out c3.npy\n' +
        '  gankit sample --run runs/cgan --grid classes --out classes.png\n' +
        '  gankit sample --run runs/info --grid traversal --code 2 --out traversal-2.png',
    )
    .action(async (flags: SampleFlags, command: Command) => {
      if (flags.grid) {
        if (path.extname(flags.out).toLowerCase() !== '.png')
          throw new Error(`Expected --out to end in .png with --grid but received "${flags.out}"`);
        if (command.getOptionValueSource('n') === 'cli' || flags.class !== undefined) {
          throw new Error(
            'Expected no --n or --class with --grid (the grid holds every class) but received one; leave them out',
          );
        }
        const grid = await conditionalGrid({
          run: flags.run,
          grid: flags.grid,
          code: flags.code,
          columns: flags.columns,
          seed: flags.seed,
          generator: flags.generator,
        });
        await writeFileAtomic(flags.out, await encodeConditionalGrid(grid));
        console.log(`wrote ${grid.rows}×${grid.columns} ${flags.grid} grid to ${flags.out}`);
        return;
      }
      const samples = await withProgress(`sampling ${flags.n} from ${flags.run}`, (progress) =>
        sampleToFile({
          run: flags.run,
          n: flags.n,
          out: flags.out,
          seed: flags.seed,
          classLabel: flags.class,
          generator: flags.generator,
          jacobianTruncation: flags.jacobianTruncation,
          onProgress: (done, total) => progress.count(done, total, `sampling from ${flags.run}`),
        }),
      );
      console.log(
        `wrote ${samples.shape.join('×')} samples${flags.class === undefined ? '' : ` of class ${flags.class}`} ` +
          `to ${flags.out}`,
      );
    });
}
