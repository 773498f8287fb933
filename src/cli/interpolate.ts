// `gankit interpolate`: walks between random latent points of an image run's generator.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { writeFileAtomic } from '../io/atomic.js';
import { encodeInterpolation, interpolateRun, type LatentPath } from '../sampling/interpolate.js';
import { integer, positiveInt } from './parse.js';
import { withProgress } from './live-line.js';

interface InterpolateFlags {
  run: string;
  out: string;
  rows: number;
  steps: number;
  path?: LatentPath;
  seed?: number;
  gif?: string;
  frames: number;
  generator: 'average' | 'trained';
}

export function interpolateCommand(): Command {
  return new Command('interpolate')
    .description(
      "Walk through an image run's latent space: a .png grid whose rows go from one random z to another, " +
        'and optionally an animated .gif looping through 4 random z.',
    )
    .requiredOption('--run <dir>', 'run directory written by gankit train (an image run)')
    .requiredOption('--out <file>', 'the grid: a .png file')
    .option('--rows <n>', 'rows: one random pair of latent points each', positiveInt, 8)
    .option('--steps <n>', 'columns: points along each path, ends included (at least 2)', positiveInt, 10)
    .addOption(
      new Option(
        '--path <kind>',
        'slerp (great circle) or lerp (straight line); default: slerp for a normal prior, lerp for a uniform one',
      ).choices(['slerp', 'lerp']),
    )
    .option('--seed <n>', "seed for the latent points (default: the run's seed)", integer)
    .option('--gif <file>', 'also write an animated walk through a loop of 4 random latent points (.gif, images ×4)')
    .option('--frames <n>', 'frames of the --gif loop (about 80 ms each)', positiveInt, 60)
    .addOption(
      new Option('--generator <which>', "G's moving average (when the run kept one) or the trained G")
        .choices(['average', 'trained'])
        .default('average'),
    )
    .addHelpText(
      'after',
      '\nExample:\n  gankit interpolate --run runs/fashion --out walk.png --rows 8 --steps 10 --gif walk.gif',
    )
    .action(async (flags: InterpolateFlags) => {
      expectExtension('--out', flags.out, '.png');
      if (flags.gif !== undefined) expectExtension('--gif', flags.gif, '.gif');
      if (flags.steps < 2)
        throw new Error(`Expected at least 2 for --steps (both ends of each path) but received ${flags.steps}`);
      if (flags.gif !== undefined && flags.frames < 2)
        throw new Error(`Expected at least 2 for --frames but received ${flags.frames}`);
      const { result, png, gif } = await withProgress(`interpolating in ${flags.run}`, async () => {
        const result = await interpolateRun({
          run: flags.run,
          rows: flags.rows,
          steps: flags.steps,
          path: flags.path,
          seed: flags.seed,
          frames: flags.gif !== undefined ? flags.frames : undefined,
          generator: flags.generator,
        });
        return { result, ...(await encodeInterpolation(result)) };
      });
      await writeFile(flags.out, png);
      console.log(`wrote ${flags.rows}×${flags.steps} ${result.path} grid to ${flags.out}`);
      if (flags.gif !== undefined && gif) {
        await writeFile(flags.gif, gif);
        console.log(`wrote ${flags.frames}-frame loop to ${flags.gif}`);
      }
    });
}

function expectExtension(name: string, file: string, ext: string): void {
  if (path.extname(file).toLowerCase() !== ext)
    throw new Error(`Expected ${name} to end in ${ext} but received "${file}"`);
}

async function writeFile(file: string, bytes: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFileAtomic(file, bytes);
}
