// The gankit command line. Options are parsed and validated here, at the edge, into
// the library's typed option objects; the work happens in the library. main.ts runs it.
import { trainCommand } from './train.js';
import { sampleCommand } from './sample.js';
import { interpolateCommand } from './interpolate.js';
import { exportCommand } from './export.js';
import { evalCommand } from './eval.js';
import { dashCommand } from './dash.js';
import { runCommands } from './command-line.js';

export async function run(argv: string[]): Promise<void> {
  await runCommands(
    [trainCommand(), sampleCommand(), interpolateCommand(), exportCommand(), evalCommand(), dashCommand()],
    argv,
  );
}
