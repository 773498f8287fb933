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
const g = spawnSync(
  process.execPath,
  [
    cli,
    'train',
    '--data',
    'fashion-mnist',
    '--epochs',
    '1',
    '--seed',
    '1',
    '--plot-every',
    '0',
    '--checkpoint-every',
    '0',
    '--out',
    out,
  ],
  { encoding: 'utf8', timeout: 1_800_000 },
);
if (g.status === 0) {
  const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as {
    seconds: number;
    steps: number;
    backend: string;
  };
  rows.push({ workload: 'fashion-epoch', backend: m.backend, seconds: Number(m.seconds.toFixed(1)), steps: m.steps });
} else {
  rows.push({
    workload: 'fashion-epoch',
    backend: 'gankit',
    seconds: null,
    skipped: `failed: ${(g.stderr ?? '').trim().split('\n').pop()}`,
  });
}
rmSync(out, { recursive: true, force: true });

// PyTorch twice, with libgomp's default (spinning) waits and with passive ones (what
// gankit uses), keeping the faster: spinning wins on an idle machine and collapses
// when another process holds a core, so each side gets its best case.
const python = '/usr/bin/python3';
let torch: { seconds: number; steps: number; policy: string } | undefined;
let torchFailure = '';
for (const policy of ['default', 'passive']) {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
  if (policy === 'passive') env.OMP_WAIT_POLICY = 'passive';
  else delete env.OMP_WAIT_POLICY;
  const t = spawnSync(python, [join(resolve(here, '..', '..', 'bench'), 'torch_epoch.py')], {
    encoding: 'utf8',
    timeout: 1_800_000,
    env,
  });
  const line = (t.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
  if (t.status !== 0 || !line) {
    torchFailure = (t.stderr || 'no python3 with torch').trim().split('\n').pop() ?? '';
    break;
  }
  const o = JSON.parse(line) as { seconds: number; steps: number };
  if (!torch || o.seconds < torch.seconds) torch = { ...o, policy };
}
rows.push(
  torch
    ? {
        workload: 'fashion-epoch',
        backend: `torch (${torch.policy} OpenMP waits, the faster)`,
        seconds: torch.seconds,
        steps: torch.steps,
        ratioToTorch: 1,
      }
    : { workload: 'fashion-epoch', backend: 'torch', seconds: null, skipped: `PyTorch not timed: ${torchFailure}` },
);
if (torch && rows[0].seconds !== null) rows[0].ratioToTorch = Number((rows[0].seconds / torch.seconds).toFixed(3));

if (json) for (const r of rows) console.log(JSON.stringify(r));
else {
  console.log(
    `gankit bench:epoch — ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), load average ${loadavg()[0].toFixed(2)}`,
  );
  console.log('| workload | backend | seconds | steps | × PyTorch |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.workload} | ${r.backend} | ${r.seconds ?? '—'} | ${r.steps ?? '—'} | ${r.ratioToTorch ?? '—'}${r.skipped ? ` (${r.skipped})` : ''} |`,
    );
  }
}
