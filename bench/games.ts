// Every game (--loss) trained as a user trains it, with its own default settings
// (src/games/recipes.ts): ring8 and grid25 on seeds 1–3, and Fashion-MNIST with
// DCGAN-28 for one epoch scored by fid10k. Prints one Markdown table: modes, high
// quality and reverse KL (medians over seeds, worst seed in brackets) and seconds,
// beside the published numbers where they exist. One training at a time.
//   npm run bench:games               → the whole table (over an hour on 2 cores)
//   npm run bench:games -- --quick    → ring8, seed 1, no images (a check, ~10 min)
//   npm run bench:games -- --no-images, --seeds 1,2, --games wgan,wgan-gp, --data grid25,fashion-mnist, --threads 1
// Each toy run is checked the contract's way too: `gankit sample --n 2500`, scored here
// by the mode metrics, must agree with the run's metrics.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GAMES } from '../src/games/losses.js';
import { readNpy } from '../src/io/npy.js';
import { modeMetrics } from '../src/metrics/modes.js';
import { toyDataset } from '../src/data/toy.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'src', 'cli', 'main.js');
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const seeds = (flag('--seeds') ?? (quick ? '1' : '1,2,3')).split(',').map(Number);
const games = (flag('--games') ?? GAMES.join(',')).split(',');
const dataSets = (flag('--data') ?? (quick ? 'ring8' : 'ring8,grid25,fashion-mnist')).split(',');
const toyData = dataSets.filter((d) => d !== 'fashion-mnist');
const images = dataSets.includes('fashion-mnist') && !args.includes('--no-images');
const threads = flag('--threads') ? ['--threads', flag('--threads')!] : [];

/**
 * Published numbers on the same protocol (Lin et al. 2018, PacGAN, Table 1: modes / high quality / reverse KL, their
 * networks and step counts; the README's comparison rows). No paper reports these games on it, nor DCGAN-28's fid10k
 * per game on Fashion-MNIST; Gulrajani et al. 2017 (Fig. 1, 2) only draw WGAN and WGAN-GP on the 8 and 25 Gaussians.
 */
const PUBLISHED: Record<string, string> = {
  'ring8 nonsaturating': 'GAN 6.3 / 98.2% / 0.45; PacGAN4 7.8 / 95.9% / 0.07',
  'grid25 nonsaturating': 'GAN 17.3 / 94.8% / 0.70; PacGAN4 24.8 / 93.6% / 0.04',
};

interface ToyResult {
  modes: number;
  total: number;
  hq: number;
  rkl: number;
  seconds: number;
}

function run(command: string[], what: string): void {
  const r = spawnSync(process.execPath, [cli, ...command], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`Expected ${what} to succeed but it exited with ${r.status}:\n${r.stderr}`);
}

async function toyRun(data: string, loss: string, seed: number): Promise<ToyResult> {
  const out = mkdtempSync(join(tmpdir(), `gankit-games-${data}-${loss}-`));
  try {
    const started = process.hrtime.bigint();
    run(['train', '--data', data, '--loss', loss, '--seed', String(seed), '--out', out, '--force', ...threads], out);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    // The contract's check: G's samples from `gankit sample`, scored by the same protocol.
    const npy = join(out, 'contract.npy');
    run(['sample', '--run', out, '--n', '2500', '--out', npy], `sampling ${out}`);
    const toy = toyDataset(data);
    const mine = modeMetrics((await readNpy(npy)).data as Float32Array, toy.modes!, toy.modeStd!);
    if (mine.modes !== m.modes || Math.abs(mine.highQuality - m.highQuality) > 0.02) {
      process.stderr.write(
        `note: ${data} ${loss} seed ${seed}: gankit sample gives ${mine.modes} modes, ` +
          `${(100 * mine.highQuality).toFixed(1)}% against metrics.json's ${m.modes}, ` +
          `${(100 * m.highQuality).toFixed(1)}%\n`,
      );
    }
    return { modes: m.modes, total: m.totalModes, hq: m.highQuality, rkl: m.reverseKL, seconds };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function imageRun(loss: string): { fid: number; seconds: number } {
  const out = mkdtempSync(join(tmpdir(), `gankit-games-fashion-${loss}-`));
  try {
    const started = process.hrtime.bigint();
    // 938 steps of 64 images make one epoch: the evaluation at its end is the one that counts.
    const epoch = ['--epochs', '1', '--eval-metrics', 'fid10k', '--eval-every', '938', '--plot-every', '0'];
    run(
      ['train', '--data', 'fashion-mnist', '--model', 'dcgan', '--loss', loss, ...epoch, '--out', out, '--force'],
      out,
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    return { fid: m.fid10k, seconds };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const lines =
  toyData.length > 0
    ? [
        '| data | `--loss` | modes | high quality | reverse KL | seconds | published |',
        '| --- | --- | --- | --- | --- | --- | --- |',
      ]
    : [];
process.stderr.write(
  `load average at the start: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}\n`,
);
for (const data of toyData) {
  for (const loss of games) {
    const rs: ToyResult[] = [];
    for (const seed of seeds) {
      const r = await toyRun(data, loss, seed);
      process.stderr.write(
        `${data} ${loss} seed ${seed}: ${r.modes}/${r.total} ${pct(r.hq)} ${r.rkl.toFixed(4)} ${r.seconds.toFixed(0)} s ` +
          `(load ${loadavg()[0].toFixed(2)})\n`,
      );
      rs.push(r);
    }
    const worst = (pick: (r: ToyResult) => number, low: boolean) => {
      const xs = rs.map(pick);
      return low ? Math.min(...xs) : Math.max(...xs);
    };
    const many = seeds.length > 1;
    const cell = (pick: (r: ToyResult) => number, show: (x: number) => string, low: boolean) =>
      show(median(rs.map(pick))) + (many ? ` (${show(worst(pick, low))})` : '');
    lines.push(
      `| ${data} | ${loss} | ${cell(
        (r) => r.modes,
        (x) => `${x}/${rs[0].total}`,
        true,
      )} | ` +
        `${cell((r) => r.hq, pct, true)} | ${cell(
          (r) => r.rkl,
          (x) => x.toFixed(3),
          false,
        )} | ` +
        `${cell(
          (r) => r.seconds,
          (x) => x.toFixed(0),
          false,
        )} | ${PUBLISHED[`${data} ${loss}`] ?? ''} |`,
    );
  }
}
if (images) {
  lines.push('', '| Fashion-MNIST, DCGAN-28, 1 epoch | fid10k ↓ | seconds |', '| --- | --- | --- |');
  for (const loss of games) {
    const r = imageRun(loss);
    process.stderr.write(`fashion-mnist ${loss}: fid10k ${r.fid.toFixed(1)} ${r.seconds.toFixed(0)} s\n`);
    lines.push(`| ${loss} | ${r.fid.toFixed(1)} | ${r.seconds.toFixed(0)} |`);
  }
}
const note =
  toyData.length > 0 && seeds.length > 1 ? `Medians over seeds ${seeds.join(', ')}; the worst seed in brackets.` : '';
console.log([...lines, '', note].join('\n'));
