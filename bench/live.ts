// What the dashboard's live output costs: ring8's default training through the CLI with
// --live-every 0 (no live.json) and --live-every 1, three pairs in ABBA order so that a
// change in the machine's load falls on both arms. The time is the training loop's (the last
// step line's `seconds` in stats.jsonl), so the final evaluation and pictures, the same
// in both, do not dilute the difference. The target: under 3%.
//   npm run bench:live                   → 16,000 steps a run (about 15 minutes on 2 cores)
//   npm run bench:live -- --steps 4000   → a quick form
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'src', 'cli', 'main.js');
const PAIRS = 3;

function stepsFlag(): number {
  const at = process.argv.indexOf('--steps');
  if (at < 0) return 16000;
  const text = process.argv[at + 1];
  const steps = Number(text);
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error(`Expected --steps to be a positive integer but received "${text}"; try --steps 4000`);
  return steps;
}

const uptime = () => spawnSync('uptime', { encoding: 'utf8' }).stdout?.trim() || `load ${loadavg().join(', ')}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One run; its training loop's seconds and backend. */
function train(steps: number, liveEvery: number): { seconds: number; backend: string } {
  const out = mkdtempSync(join(tmpdir(), 'gankit-bench-live-'));
  try {
    const args = ['train', '--data', 'ring8', '--steps', String(steps), '--live-every', String(liveEvery)];
    const run = spawnSync(process.execPath, [cli, ...args, '--out', join(out, 'run')], {
      encoding: 'utf8',
      timeout: 3_600_000,
    });
    if (run.status !== 0) throw new Error(`gankit ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
    const lines = readFileSync(join(out, 'run', 'stats.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const last = lines
      .map((l) => JSON.parse(l) as { seconds?: number })
      .filter((l) => 'lossD' in l)
      .at(-1)!;
    const metrics = JSON.parse(readFileSync(join(out, 'run', 'metrics.json'), 'utf8')) as { backend: string };
    return { seconds: last.seconds!, backend: metrics.backend };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const steps = stepsFlag();
console.log(`gankit bench:live — ring8, ${steps} steps a run, ${PAIRS} pairs; ${cpus().length} cores`);
console.log(`before: ${uptime()}`);
const times: Record<'off' | 'on', number[]> = { off: [], on: [] };
let backend = '';
for (let pair = 1; pair <= PAIRS; pair++) {
  // ABBA: off-on, on-off, off-on, so that a load rising through the bench falls on both arms alike.
  const arms = [
    ['off', 0],
    ['on', 1],
  ] as const;
  for (const [arm, every] of pair % 2 === 1 ? arms : [...arms].reverse()) {
    const run = train(steps, every);
    backend = run.backend;
    times[arm].push(run.seconds);
    console.log(`pair ${pair}: --live-every ${every}: ${run.seconds.toFixed(2)} s (load ${loadavg()[0].toFixed(2)})`);
  }
}
const off = median(times.off);
const on = median(times.on);
console.log(`backend ${backend}`);
console.log(`median training seconds: --live-every 0 ${off.toFixed(2)} s, --live-every 1 ${on.toFixed(2)} s`);
console.log(`overhead of live.json: ${((100 * (on - off)) / off).toFixed(2)}% (target < 3%)`);
console.log(`after: ${uptime()}`);
