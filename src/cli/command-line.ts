// The gankit program itself: its name, version and error style, with the commands it is
// given. program.ts gives it every command; main.ts gives `gankit dash` only its own,
// so the dashboard starts without loading TensorFlow.js.
import { Command } from 'commander';

export async function runCommands(commands: Command[], argv: string[]): Promise<void> {
  const program = new Command('gankit')
    .description(
      'Train, sample, interpolate, export and measure generative adversarial networks ' +
        '(TensorFlow.js, native CPU backend), and watch and steer them in a browser (dash).',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'gankit: error: ')) });
  for (const command of commands) program.addCommand(command);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    console.error(`gankit: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
