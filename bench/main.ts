// gankit benchmark: one GAN training step (D step then G step) of the
// reference workloads on every available tfjs backend and on the identical
// PyTorch model (bench/torch_dcgan28.py), in one run.
//   npm run bench               → a table
//   npm run bench -- --json     → one JSON object per line
// Options: --steps N (timed steps, default 20; the median is reported),
// --warmup N (default 3), --workloads dcgan28,mlp2d, --backends native,wasm,cpu.
// Each (workload, backend) runs in its own process so peak RSS is its own.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

interface Row {
  workload: string;
  backend: string;
  stepMs: number | null;
  ratioToTorch?: number | null;
  peakRssMB?: number;
  threads?: number;
  skipped?: string;
  note?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};

if (args[0] === '--child') {
  const { runChild } = await import('./child.js');
  await runChild(args[1], args[2], Number(opt('steps', '20')), Number(opt('warmup', '3')));
  process.exit(0);
}

const json = args.includes('--json');
const steps = Number(opt('steps', '20'));
const warmup = Number(opt('warmup', '3'));
const workloads = opt('workloads', 'dcgan28,mlp2d').split(',');
const backends = opt('backends', 'native,wasm,cpu').split(',');
const rows: Row[] = [];

function emit(row: Row): void {
  rows.push(row);
  if (json) console.log(JSON.stringify(row));
}

function lastJson(out: string): Record<string, unknown> | undefined {
  const line = out.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  return line ? JSON.parse(line) : undefined;
}

// PyTorch first, so every tfjs row can carry its ratio.
const torch = new Map<string, number>();
const python = '/usr/bin/python3';
const hasTorch = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
if (hasTorch) {
  // Torch runs twice — libgomp's default (spinning) waits and passive waits,
  // gankit's default — and the faster run is the reference: on an idle
  // machine spinning is a little faster, on a shared one it is many times slower.
  for (const policy of ['default', 'passive']) {
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
    if (policy === 'passive') env.OMP_WAIT_POLICY = 'passive';
    else delete env.OMP_WAIT_POLICY;
    const r = spawnSync(python, [join(resolve(here, '..', '..', 'bench'), 'torch_dcgan28.py'), '--steps', String(steps),
      '--warmup', String(warmup), '--workloads', workloads.join(',')], { env, encoding: 'utf8', timeout: 600_000 });
    for (const line of (r.stdout ?? '').split('\n').filter((l) => l.startsWith('{'))) {
      const o = JSON.parse(line) as { workload: string; stepMs: number };
      const prev = torch.get(o.workload);
      if (prev === undefined || o.stepMs < prev) torch.set(o.workload, o.stepMs);
      if (policy === 'passive') {
        const best = torch.get(o.workload)!;
        const t = JSON.parse(line) as Row & { peakRssMB: number; threads: number };
        emit({ workload: o.workload, backend: 'torch', stepMs: best, ratioToTorch: 1, peakRssMB: t.peakRssMB, threads: t.threads,
          note: 'PyTorch 1.13, best of default and passive OpenMP waits' });
      }
    }
    if (r.status !== 0) {
      emit({ workload: workloads.join(','), backend: 'torch', stepMs: null, skipped: `torch run failed: ${(r.stderr ?? '').trim().split('\n').pop()}` });
      break;
    }
  }
} else {
  for (const w of workloads) emit({ workload: w, backend: 'torch', stepMs: null, skipped: `${python} cannot import torch (apt-get install python3-torch libopenblas0-pthread)` });
}

for (const workload of workloads) {
  for (const backend of backends) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', workload, backend, '--steps', String(steps),
      '--warmup', String(warmup)], { encoding: 'utf8', timeout: 600_000, env: { ...process.env, GANKIT_BACKEND: backend } });
    const o = lastJson(r.stdout ?? '') as Row | undefined;
    if (!o) {
      emit({ workload, backend, stepMs: null, skipped: `failed: ${`${r.stderr ?? ''}`.trim().split('\n').slice(-1)[0] ?? r.status}` });
      continue;
    }
    const ref = torch.get(workload);
    emit({ ...o, ratioToTorch: o.stepMs !== null && ref ? Number((o.stepMs / ref).toFixed(3)) : null });
  }
}

if (!json) {
  const fmt = (n: number | null | undefined, d = 1) => (n === null || n === undefined ? '—' : n.toFixed(d));
  console.log(`gankit bench — ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), load average ${loadavg()[0].toFixed(2)}, ` +
    `median of ${steps} steps after ${warmup} warm-up`);
  console.log('| workload | backend | ms/step | × PyTorch | peak RSS MB | note |');
  console.log('| --- | --- | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    console.log(`| ${r.workload} | ${r.backend} | ${fmt(r.stepMs, 2)} | ${fmt(r.ratioToTorch, 2)} | ${fmt(r.peakRssMB, 0)} | ${r.skipped ? `skipped: ${r.skipped}` : r.note ?? ''} |`);
  }
}
