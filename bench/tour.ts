// The README's tour as a newcomer runs it, on a pseudo-terminal (script(1)), timing
// every burst of output: for each command its exit code, its time, and its longest
// silence (start to first output, between two outputs, last output to exit).
//   npm run tour            → the tour as the README writes it (about 20 minutes)
//   npm run tour -- --quick → the same commands, shorter runs (about 2 minutes)
// The quick tour is also a test (test/cli/tour.test.ts), with its timings asserted.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/cli/main.js');

export interface TourStep {
  command: string;
  code: number | null;
  seconds: number;
  /** The longest time with nothing new on the screen, and when it began (s after the start). */
  silence: number;
  silenceAt: number;
  /** The screen as it ends: each line's last redraw. */
  screen: string;
}

/** The tour's commands (arguments of gankit), full or quick. */
export function tourCommands(quick: boolean): string[][] {
  const steps = (full: string, short: string) => (quick ? short : full);
  return [
    ['train', '--data', 'grid25', '--seed', '1', '--out', 'runs/grid', ...steps('', '--steps 400').split(' ')],
    ['sample', '--run', 'runs/grid', '--n', '2500', '--out', 's.npy'],
    ['sample', '--run', 'runs/grid', '--n', '2500', '--out', 's.png'],
    ['train', '--resume', '--out', 'runs/grid'],
    ['train', '--data', 'gauss1d', '--out', 'runs/1d', ...steps('', '--steps 300').split(' ')],
    [
      'train',
      '--data',
      'fashion-mnist',
      '--model',
      'dcgan',
      '--out',
      'runs/fashion',
      '--epochs',
      steps('5', '0'),
      ...steps('', '--steps 30').split(' '),
    ],
    ['sample', '--run', 'runs/fashion', '--n', '64', '--out', 'grid.png'],
    ['sample', '--run', 'runs/fashion', '--n', steps('10000', '2000'), '--out', 's10k.npy'],
    ['interpolate', '--run', 'runs/fashion', '--out', 'walk.png', '--gif', 'walk.gif'],
    ['export', '--run', 'runs/fashion', '--out', 'web/'],
  ].map((args) => args.filter(Boolean));
}

/** Runs one gankit command on a pseudo-terminal in `cwd`; times what it shows. */
export function runOnTerminal(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<TourStep> {
  const quoted = [process.execPath, MAIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    const began = Date.now();
    const child = spawn('script', ['-qfec', quoted, '/dev/null'], {
      cwd,
      env: { ...process.env, COLUMNS: '120', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let last = began;
    let silence = 0;
    let silenceAt = 0;
    let text = '';
    const quiet = (now: number) => {
      if (now - last > silence) [silence, silenceAt] = [now - last, last - began];
      last = now;
    };
    child.stdout.on('data', (d: Buffer) => {
      quiet(Date.now());
      text += d.toString('utf8');
    });
    child.on('close', (code) => {
      quiet(Date.now());
      resolve({
        command: `gankit ${args.join(' ')}`,
        code,
        seconds: (Date.now() - began) / 1000,
        silence: silence / 1000,
        silenceAt: silenceAt / 1000,
        screen: screenOf(text),
      });
    });
  });
}

/** What a terminal shows at the end: every redraw (\r, erase line) replaces the line before. */
export function screenOf(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .split('\r')
        .at(-1)!
        .replace(/\x1b\[K/g, ''),
    )
    .join('\n')
    .trim();
}

async function main() {
  const quick = process.argv.includes('--quick');
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-tour-'));
  console.log(`the README tour${quick ? ' (quick)' : ''} in ${dir}; load average ${loadavg()[0].toFixed(2)}`);
  let worst = 0;
  for (const args of tourCommands(quick)) {
    const step = await runOnTerminal(args, dir);
    worst = Math.max(worst, step.silence);
    console.log(
      `\n$ ${step.command}\n${step.screen}\n→ exit ${step.code}, ${step.seconds.toFixed(1)} s, longest silence ` +
        `${step.silence.toFixed(2)} s (at ${step.silenceAt.toFixed(1)} s)`,
    );
  }
  console.log(`\nlongest silence of the tour: ${worst.toFixed(2)} s; load average ${loadavg()[0].toFixed(2)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
