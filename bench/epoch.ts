// One training epoch of DCGAN-28 on Fashion-MNIST (938 steps of 64), end to end:
// `gankit train --data fashion-mnist --epochs 1` beside the same epoch in PyTorch
// (bench/torch_epoch.py), in one run, one after the other.
//   npm run bench:epoch             → a table
//   npm run bench:epoch -- --json   → one JSON object per line
// Needs Debian's dataset-fashion-mnist; PyTorch is timed when /usr/bin/python3 has torch.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Row {
  workload: 'fashion-epoch';
  backend: string;
  seconds: number | null;
  ratioToTorch?: number | null;
  steps?: number;
  skipped?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const json = process.argv.includes('--json');
const rows: Row[] = [];

// gankit: the CLI as a user runs it, pictures and checkpoints only at the end.
const out = mkdtempSync(join(tmpdir(), 'gankit-epoch-'));
const cli = join(here, '..', 'src', 'cli', 'main.js');
const g = spawnSync(process.execPath, [cli, 'train', '--data', 'fashion-mnist', '--epochs', '1', '--seed', '1', '--plot-every', '0',
  '--checkpoint-every', '0', '--out', out], { encoding: 'utf8', timeout: 1_800_000 });
if (g.status === 0) {
  const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { seconds: number; steps: number; backend: string };
  rows.push({ workload: 'fashion-epoch', backend: m.backend, seconds: Number(m.seconds.toFixed(1)), steps: m.steps });
} else {
  rows.push({ workload: 'fashion-epoch', backend: 'gankit', seconds: null, skipped: `failed: ${(g.stderr ?? '').trim().split('\n').pop()}` });
}
rmSync(out, { recursive: true, force: true });

// PyTorch, with gankit's passive OpenMP waits (spinning waits collapse on a shared 2-core machine).
const python = '/usr/bin/python3';
const t = spawnSync(python, [join(resolve(here, '..', '..', 'bench'), 'torch_epoch.py')], {
  encoding: 'utf8', timeout: 1_800_000, env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_WAIT_POLICY: 'passive' },
});
const torchLine = (t.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
const torch = t.status === 0 && torchLine ? (JSON.parse(torchLine) as { seconds: number; steps: number }) : undefined;
rows.push(torch
  ? { workload: 'fashion-epoch', backend: 'torch', seconds: torch.seconds, steps: torch.steps, ratioToTorch: 1 }
  : { workload: 'fashion-epoch', backend: 'torch', seconds: null, skipped: `PyTorch not timed: ${(t.stderr ?? 'no python3 with torch').trim().split('\n').pop()}` });
if (torch && rows[0].seconds !== null) rows[0].ratioToTorch = Number((rows[0].seconds / torch.seconds).toFixed(3));

if (json) for (const r of rows) console.log(JSON.stringify(r));
else {
  console.log(`gankit bench:epoch — ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), load average ${loadavg()[0].toFixed(2)}`);
  console.log('| workload | backend | seconds | steps | × PyTorch |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.workload} | ${r.backend} | ${r.seconds ?? '—'} | ${r.steps ?? '—'} | ${r.ratioToTorch ?? '—'}${r.skipped ? ` (${r.skipped})` : ''} |`);
  }
}
