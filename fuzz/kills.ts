// The kill campaign behind the README's Reliability figures: issue 15's contract, run
// many times. Each trial starts
//   gankit train --data ring8 --steps 3000 --checkpoint-every 100 --seed 7 --out DIR
// SIGKILLs it after a random delay, then runs `gankit train --resume --out DIR`, killing
// that too, `--kills` times in all, and lets the last resume finish. The trial passes
// when stats.jsonl has one line per step with the losses of an uninterrupted run, no
// temporary file is left, and the lock is released.
//   npm run fuzz:kills -- [--trials 10] [--kills 5] [--seed 1] [--max-delay 12]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/rng.js';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/cli/main.js');
const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const trials = opt('trials', 10);
const killsPerTrial = opt('kills', 5);
const maxDelay = opt('max-delay', 12);
const rng = new Rng(opt('seed', 1));
const COMMAND = ['train', '--data', 'ring8', '--steps', '3000', '--checkpoint-every', '100', '--seed', '7'];

/** Losses and D's outputs of every step line, in order: what must equal the uninterrupted run's. */
function steps(dir: string): string[] {
  return readFileSync(path.join(dir, 'stats.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"lossD"'))
    .map((l) => {
      const { step, lossD, lossG, dReal, dFake } = JSON.parse(l);
      return JSON.stringify([step, lossD, lossG, dReal, dFake]);
    });
}

function runToEnd(command: string[]): void {
  const r = spawnSync(process.execPath, [main, ...command], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gankit ${command.join(' ')} exited ${r.status}: ${r.stderr}`);
}

/** Starts gankit and SIGKILLs it after `seconds`; whether the kill landed before it finished. */
function killAfter(command: string[], seconds: number): Promise<boolean> {
  const child = spawn(process.execPath, [main, ...command], { stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), seconds * 1000);
  return new Promise((resolve) =>
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL');
    }),
  );
}

const base = mkdtempSync(path.join(tmpdir(), 'gankit-kills-'));
console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const reference = path.join(base, 'reference');
runToEnd([...COMMAND, '--out', reference]);
const expected = steps(reference);

let kills = 0;
let intact = 0;
const failures: string[] = [];
for (let trial = 1; trial <= trials; trial++) {
  const out = path.join(base, `trial-${trial}`);
  let landed = 0;
  for (let k = 0; k < killsPerTrial; k++) {
    // Before options.json exists there is no run to resume yet: the command starts over.
    const started = existsSync(path.join(out, 'options.json'));
    // --force: a kill during start-up may have left the run's lock file, which marks the folder as a run's.
    const command = started ? ['train', '--resume', '--out', out] : [...COMMAND, '--force', '--out', out];
    if (await killAfter(command, 0.2 + rng.uniform() * maxDelay)) landed++;
  }
  kills += landed;
  const resumeOrStart = existsSync(path.join(out, 'options.json'))
    ? ['train', '--resume', '--out', out]
    : [...COMMAND, '--force', '--out', out];
  let problem: string | undefined;
  try {
    runToEnd(resumeOrStart);
    const got = steps(out);
    const leftovers = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tmp-/.test(f));
    if (got.length !== expected.length) problem = `${got.length} step lines, not ${expected.length}`;
    else if (got.some((line, i) => line !== expected[i]))
      problem = `step ${got.findIndex((line, i) => line !== expected[i]) + 1} differs from the uninterrupted run`;
    else if (leftovers.length > 0) problem = `temporary files left: ${leftovers.join(', ')}`;
    else if (existsSync(path.join(out, 'lock'))) problem = 'the lock file was left behind';
  } catch (err) {
    problem = (err as Error).message;
  }
  if (problem) failures.push(`trial ${trial}: ${problem}`);
  else intact++;
  console.log(`trial ${trial}: ${landed} kills, ${problem ?? 'exact continuation'}`);
}
console.log(
  `\n${kills} SIGKILLs in ${trials} trials; ${intact} of ${trials} runs finished exactly as the uninterrupted ` +
    `run; ${failures.length} lost or corrupted`,
);
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const f of failures) console.log(`  ${f}`);
process.exitCode = failures.length > 0 ? 1 : 0;
