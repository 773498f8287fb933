// The gankit command line. Options are parsed and validated here, at the edge, into
// the library's typed option objects; the work happens in the library. main.ts runs it.
import { Command } from 'commander';
import { trainCommand } from './train.js';
import { sampleCommand } from './sample.js';
import { interpolateCommand } from './interpolate.js';
import { exportCommand } from './export.js';
import { evalCommand } from './eval.js';
import { doctorCommand } from './doctor.js';

const program = new Command('gankit')
  .description(
    'Train, sample, interpolate, export and measure generative adversarial networks ' +
      '(TensorFlow.js, native CPU backend).',
  )
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'gankit: error: ')) });

program.addCommand(trainCommand());
program.addCommand(sampleCommand());
program.addCommand(interpolateCommand());
program.addCommand(exportCommand());
program.addCommand(evalCommand());
program.addCommand(doctorCommand());

export async function run(argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (err) {
    console.error(`gankit: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
