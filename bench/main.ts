// gankit benchmark: one GAN training step (D step then G step) of the
// reference workloads on every available tfjs backend and on the identical
// PyTorch model (bench/torch_dcgan28.py), in one run.
//   npm run bench                          → a table
//   npm run bench -- --json                → one JSON object per line
//   npm run bench -- --baseline <git ref>  → native beside the build of that ref (bench/baseline.ts);
//                                            its default workloads are train-dcgan28,train-mlp2d
// Options: --steps N (timed steps, at least 20 and 2 s; the median is reported),
// --warmup N (at least 3 steps and 1.5 s), --workloads dcgan28,mlp2d (also dcgan64, and
// train-dcgan28, train-mlp2d: `gankit train` end to end on native, bench/train-workloads.ts;
// --train-steps N sets their steps, default their own),
// --backends native,wasm,cpu (and webgpu when Dawn finds an adapter), --batch N (every
// workload's batch; default its own), --rounds N (default 2; 3 at least with --baseline),
// --read sync|async (how the non-webgpu steps read their losses; webgpu always reads
// asynchronously).
// Each (workload, backend) runs in its own process so peak RSS is its own.
// PyTorch and the native backend are measured in --rounds alternating rounds
// and each reports its best round's median: on a shared machine another
// process's load comes and goes, and alternating gives both the same chances.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { WORKLOADS } from './workloads.js';
import { measureTraining, TRAIN_WORKLOADS } from './train-workloads.js';
import { lastJson, measureChild, type Row } from './measure.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};

if (args[0] === '--child') {
  const { runChild } = await import('./child.js');
  const batch = opt('batch', '');
  const read = opt('read', '');
  await runChild(args[1], args[2], {
    steps: Number(opt('steps', '20')),
    warmup: Number(opt('warmup', '3')),
    ...(batch ? { batch: Number(batch) } : {}),
    ...(read === 'sync' || read === 'async' ? { read } : {}),
  });
  // A WebGPU device would keep the process alive.
  process.exit(0);
}
if (args[0] === '--adapters') {
  // In a process of its own: loading Dawn here would keep the bench's own process alive.
  const { listWebgpuAdapters } = await import('../src/backend/webgpu.js');
  console.log(JSON.stringify(await listWebgpuAdapters()));
  process.exit(0);
}

const json = args.includes('--json');
const steps = Number(opt('steps', '20'));
const warmup = Number(opt('warmup', '3'));
const baselineRef = opt('baseline', '');
// A baseline's question is usually whether a trainer change cost time: only the trainer end to end shows that.
const workloads = opt('workloads', baselineRef ? 'train-dcgan28,train-mlp2d' : 'dcgan28,mlp2d').split(',');
const known = [...Object.keys(WORKLOADS), ...Object.keys(TRAIN_WORKLOADS)];
const unknown = workloads.find((w) => !known.includes(w));
if (unknown !== undefined) {
  console.error(`Expected workloads from ${known.join(', ')} but received "${unknown}"`);
  process.exit(2);
}
const trainStepsText = opt('train-steps', '');
const trainSteps = trainStepsText ? Number(trainStepsText) : undefined;
if (trainSteps !== undefined && !(Number.isInteger(trainSteps) && trainSteps > 0)) {
  console.error(`Expected --train-steps to be a whole number above 0 but received "${trainStepsText}"`);
  process.exit(2);
}
const batchText = opt('batch', '');
const batch = batchText ? Number(batchText) : undefined;
if (batch !== undefined && !(Number.isInteger(batch) && batch > 0)) {
  console.error(`Expected --batch to be a whole number above 0 but received "${batchText}"`);
  process.exit(2);
}
const read = opt('read', '');
if (read && read !== 'sync' && read !== 'async') {
  console.error(`Expected --read sync or async but received "${read}"`);
  process.exit(2);
}
const rounds = Math.max(1, Number(opt('rounds', '2')));
const childOptions = [
  '--steps',
  String(steps),
  '--warmup',
  String(warmup),
  ...(batch ? ['--batch', String(batch)] : []),
  ...(read ? ['--read', read] : []),
];

if (baselineRef) {
  const { runBaseline } = await import('./baseline.js');
  try {
    await runBaseline({
      ref: baselineRef,
      workloads,
      rounds: Math.max(3, rounds),
      childOptions,
      json,
      batch,
      trainSteps,
    });
  } catch (err) {
    console.error(`bench --baseline: ${(err as Error).message}`);
    process.exit(1);
  }
  process.exit(0);
}

/** webgpu's adapters, found in a child process; why none when there are none. */
function webgpuAdapters(): { adapters: { software: boolean }[]; why?: string } {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--adapters'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const o = lastJson(r.stdout ?? '') as { adapters: { software: boolean }[]; why?: string } | undefined;
  return o ?? { adapters: [], why: `the adapter probe failed: ${(r.stderr ?? '').trim().split('\n').pop()}` };
}
const named = opt('backends', '');
const gpu = named ? undefined : webgpuAdapters();
const backends = named ? named.split(',') : ['native', 'wasm', 'cpu', ...(gpu?.adapters.length ? ['webgpu'] : [])];
const rows: Row[] = [];

function emit(row: Row): void {
  rows.push(row);
  if (json) console.log(JSON.stringify(row));
}

// PyTorch: each round runs torch twice — libgomp's default (spinning) waits
// and passive waits, gankit's default — and keeps the faster: on an idle
// machine spinning is a little faster, on a shared one it is many times slower.
const python = '/usr/bin/python3';
const torchWorkloads = workloads.filter((w) => ['dcgan28', 'dcgan64', 'mlp2d'].includes(w));
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
        torchWorkloads.join(','),
        ...(batch ? ['--batch', String(batch)] : []),
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

const cliMain = resolve(here, '..', 'src', 'cli', 'main.js');
const measureTfjs = (workload: string, backend: string): Row =>
  TRAIN_WORKLOADS[workload]
    ? measureTraining(cliMain, workload, trainSteps)
    : measureChild(fileURLToPath(import.meta.url), workload, backend, childOptions);

// Alternating rounds of PyTorch and native; the other backends are slow enough
// that one round says all there is to say.
const nativeBest = new Map<string, Row>();
for (let round = 0; round < rounds; round++) {
  if (hasTorch && !torchFailure && torchWorkloads.length) measureTorch();
  if (backends.includes('native')) {
    for (const w of workloads) {
      const o = measureTfjs(w, 'native');
      const prev = nativeBest.get(w);
      if (!prev || (o.stepMs !== null && (prev.stepMs === null || o.stepMs < prev.stepMs))) nativeBest.set(w, o);
    }
  }
}
const torch = new Map<string, Row>();
for (const w of workloads.filter((x) => !TRAIN_WORKLOADS[x])) {
  const t = torchBest.get(w);
  if (t && t.stepMs !== null) {
    torch.set(w, t);
    emit({
      workload: w,
      backend: 'torch',
      batch: t.batch,
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
  // The trainer end to end runs on native only: minutes of training on wasm or cpu would tell nothing new.
  const train = TRAIN_WORKLOADS[workload] !== undefined;
  for (const backend of train ? backends.filter((b) => b === 'native') : backends) {
    const o = backend === 'native' ? nativeBest.get(workload)! : measureTfjs(workload, backend);
    const ref = torch.get(workload);
    const note = [backend === 'native' && rounds > 1 ? `best of ${rounds} rounds` : undefined, o.note].filter(Boolean);
    // A ratio only between steps of the same batch (a software adapter may time a smaller one).
    const comparable = o.stepMs !== null && ref?.stepMs && ref.batch === o.batch;
    emit({
      ...o,
      ratioToTorch: comparable ? Number((o.stepMs! / ref.stepMs!).toFixed(3)) : null,
      ...(note.length ? { note: note.join('; ') } : {}),
    });
  }
  if (gpu && !gpu.adapters.length && !train)
    emit({ workload, backend: 'webgpu', stepMs: null, skipped: gpu.why ?? 'no WebGPU adapter' });
}

if (!json) {
  const fmt = (n: number | null | undefined, d = 1) => (n === null || n === undefined ? '—' : n.toFixed(d));
  console.log(
    `gankit bench — ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), load average ${loadavg()[0].toFixed(2)}, ` +
      `median of ≥ ${steps} steps and ≥ 2 s after ≥ ${warmup} steps and ≥ 1.5 s of warm-up` +
      (workloads.some((w) => TRAIN_WORKLOADS[w]) ? "; train-*: gankit train's training-loop seconds ÷ its steps" : ''),
  );
  console.log('| workload | backend | batch | ms/step | × PyTorch | peak RSS MB | native MiB (cache entries) | note |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.workload} | ${r.backend} | ${r.batch ?? '—'} | ${fmt(r.stepMs, 2)} | ${fmt(r.ratioToTorch, 2)} | ${fmt(r.peakRssMB, 0)} | ` +
        `${r.nativeMB === undefined ? '—' : `${fmt(r.nativeMB)} (${r.nativeCacheEntries})`} | ` +
        `${r.skipped ? `skipped: ${r.skipped}` : (r.note ?? '')} |`,
    );
  }
}
