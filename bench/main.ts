// gankit benchmark: one GAN training step (D step then G step) of the
// reference workloads on every available tfjs backend and on the identical
// PyTorch model (bench/torch_dcgan28.py), in one run.
//   npm run bench               → a table
//   npm run bench -- --json     → one JSON object per line
// Options: --steps N (timed steps, at least 20 and 2 s; the median is reported),
// --warmup N (at least 3 steps and 1.5 s), --workloads dcgan28,mlp2d, --backends native,wasm,cpu,
// --rounds N (default 2).
// Each (workload, backend) runs in its own process so peak RSS is its own.
// PyTorch and the native backend are measured in --rounds alternating rounds
// and each reports its best round's median: on a shared machine another
// process's load comes and goes, and alternating gives both the same chances.
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
  /** Native backend only: its caches, scratch and buffer pool after the timed steps (MiB). */
  nativeMB?: number;
  nativeCacheEntries?: number;
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
const rounds = Math.max(1, Number(opt('rounds', '2')));
const rows: Row[] = [];

function emit(row: Row): void {
  rows.push(row);
  if (json) console.log(JSON.stringify(row));
}

function lastJson(out: string): Record<string, unknown> | undefined {
  const line = out
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  return line ? JSON.parse(line) : undefined;
}

// PyTorch: each round runs torch twice — libgomp's default (spinning) waits
// and passive waits, gankit's default — and keeps the faster: on an idle
// machine spinning is a little faster, on a shared one it is many times slower.
const python = '/usr/bin/python3';
const hasTorch = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const torchBest = new Map<string, Row>();
let torchFailure: string | undefined;
function measureTorch(): void {
  for (const policy of ['default', 'passive']) {
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
    if (policy === 'passive') env.OMP_WAIT_POLICY = 'passive';
    else delete env.OMP_WAIT_POLICY;
    const r = spawnSync(
      python,
      [
        join(resolve(here, '..', '..', 'bench'), 'torch_dcgan28.py'),
        '--steps',
        String(steps),
        '--warmup',
        String(warmup),
        '--workloads',
        workloads.join(','),
      ],
      { env, encoding: 'utf8', timeout: 600_000 },
    );
    if (r.status !== 0) {
      torchFailure = `torch run failed: ${(r.stderr ?? '').trim().split('\n').pop()}`;
      return;
    }
    for (const line of (r.stdout ?? '').split('\n').filter((l) => l.startsWith('{'))) {
      const o = JSON.parse(line) as Row;
      const prev = torchBest.get(o.workload);
      if (!prev || (o.stepMs ?? Infinity) < (prev.stepMs ?? Infinity)) torchBest.set(o.workload, o);
    }
  }
}

function measureTfjs(workload: string, backend: string): Row {
  const r = spawnSync(
    process.execPath,
    [
      fileURLToPath(import.meta.url),
      '--child',
      workload,
      backend,
      '--steps',
      String(steps),
      '--warmup',
      String(warmup),
    ],
    { encoding: 'utf8', timeout: 600_000, env: { ...process.env, GANKIT_BACKEND: backend } },
  );
  const o = lastJson(r.stdout ?? '') as Row | undefined;
  return (
    o ?? {
      workload,
      backend,
      stepMs: null,
      skipped: `failed: ${`${r.stderr ?? ''}`.trim().split('\n').slice(-1)[0] ?? r.status}`,
    }
  );
}

// Alternating rounds of PyTorch and native; the other backends are slow enough
// that one round says all there is to say.
const nativeBest = new Map<string, Row>();
for (let round = 0; round < rounds; round++) {
  if (hasTorch && !torchFailure) measureTorch();
  if (backends.includes('native')) {
    for (const w of workloads) {
      const o = measureTfjs(w, 'native');
      const prev = nativeBest.get(w);
      if (!prev || (o.stepMs !== null && (prev.stepMs === null || o.stepMs < prev.stepMs))) nativeBest.set(w, o);
    }
  }
}
const torch = new Map<string, number>();
for (const w of workloads) {
  const t = torchBest.get(w);
  if (t && t.stepMs !== null) {
    torch.set(w, t.stepMs);
    emit({
      workload: w,
      backend: 'torch',
      stepMs: t.stepMs,
      ratioToTorch: 1,
      peakRssMB: t.peakRssMB,
      threads: t.threads,
      note: `PyTorch ${(t as Row & { torch?: string }).torch ?? ''}, best of ${rounds} rounds × {default, passive} OpenMP waits`,
    });
  } else {
    emit({
      workload: w,
      backend: 'torch',
      stepMs: null,
      ratioToTorch: null,
      skipped: torchFailure ?? `${python} cannot import torch (apt-get install python3-torch libopenblas0-pthread)`,
    });
  }
}

for (const workload of workloads) {
  for (const backend of backends) {
    const o = backend === 'native' ? nativeBest.get(workload)! : measureTfjs(workload, backend);
    const ref = torch.get(workload);
    const note = backend === 'native' && rounds > 1 ? `best of ${rounds} rounds` : o.note;
    emit({
      ...o,
      ratioToTorch: o.stepMs !== null && ref ? Number((o.stepMs / ref).toFixed(3)) : null,
      ...(note ? { note } : {}),
    });
  }
}

if (!json) {
  const fmt = (n: number | null | undefined, d = 1) => (n === null || n === undefined ? '—' : n.toFixed(d));
  console.log(
    `gankit bench — ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), load average ${loadavg()[0].toFixed(2)}, ` +
      `median of ≥ ${steps} steps and ≥ 2 s after ≥ ${warmup} steps and ≥ 1.5 s of warm-up`,
  );
  console.log('| workload | backend | ms/step | × PyTorch | peak RSS MB | native MiB (cache entries) | note |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.workload} | ${r.backend} | ${fmt(r.stepMs, 2)} | ${fmt(r.ratioToTorch, 2)} | ${fmt(r.peakRssMB, 0)} | ` +
        `${r.nativeMB === undefined ? '—' : `${fmt(r.nativeMB)} (${r.nativeCacheEntries})`} | ` +
        `${r.skipped ? `skipped: ${r.skipped}` : (r.note ?? '')} |`,
    );
  }
}
