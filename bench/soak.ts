// Memory soak: long training runs through the library's train() that must keep their
// memory flat. Two runs, each in its own process (RSS is read after a full collection):
//   2d     10,000 steps of ring8 (the toy defaults), evaluation, pictures and a
//          checkpoint every 500 steps
//   dcgan  2,000 DCGAN-28 steps on fashion-mnist, the same every-500 cadence (fid10k)
// At every 500-step mark (the trainer's onStep, before that mark's evaluation) it
// samples tf.memory(), RSS and the native backend's own use (src/backend/memory.ts),
// prints a table per run and checks, from the first mark after the first checkpoint
// (warm-up) to the end: the tensor count never changes, RSS stays within +10%.
// Exits 1 when a check fails.
//   npm run bench:soak                              both runs
//   npm run bench:soak -- --runs 2d --steps-2d 2000 options: --runs 2d,dcgan, --steps-2d N,
//                                                   --steps-dcgan N, --every N, --data ring8|grid25, --json
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeNativeMemory, initBackend, nativeMemoryUse } from '../src/backend/index.js';
import { train, type TrainRequest } from '../src/train/trainer.js';
import { flatnessProblems, memoryTable, sampleMemory, type MemorySample } from './memory-probe.js';

const RSS_SLACK = 0.1;

interface RunReport {
  run: string;
  steps: number;
  every: number;
  backend: string;
  seconds: number;
  msPerStep: number;
  samples: MemorySample[];
  warmupStep: number;
  /** Tensors before train() and after it returned (everything it made, disposed). */
  tensorsBefore: number;
  tensorsAfter: number;
  nativeAtEnd?: string;
  problems: string[];
}

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const every = Number(opt('every', '500'));

function request(run: string, out: string): TrainRequest {
  const cadence = { evalEvery: every, plotEvery: every, checkpointEvery: every, out };
  if (run === '2d') return { data: opt('data', 'ring8'), steps: Number(opt('steps-2d', '10000')), ...cadence };
  if (run === 'dcgan') {
    return { data: 'fashion-mnist', model: 'dcgan', steps: Number(opt('steps-dcgan', '2000')), epochs: 0, ...cadence };
  }
  throw new Error(`Expected --runs to list 2d and/or dcgan but received "${run}"`);
}

async function soak(run: string): Promise<RunReport> {
  const out = mkdtempSync(path.join(tmpdir(), `gankit-soak-${run}-`));
  const req = request(run, out);
  const samples: MemorySample[] = [];
  await initBackend(); // what train() picks too (GANKIT_BACKEND or the fastest)
  const tensorsBefore = sampleMemory(0).numTensors;
  const started = performance.now();
  try {
    const result = await train(req, {
      onStep(step) {
        if (step % every !== 0) return;
        const s = sampleMemory(step);
        samples.push(s);
        process.stderr.write(
          `${run} step ${step}: ${s.numTensors} tensors, RSS ${s.rssMB.toFixed(0)} MiB` +
            `${s.nativeMB === undefined ? '' : `, native ${s.nativeMB.toFixed(1)} MiB`}\n`,
        );
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const steps = result.options.steps;
    // Warm-up ends with the first checkpoint (at the first mark); the next mark is the baseline.
    const warmupStep = 2 * every;
    const native = nativeMemoryUse();
    return {
      run,
      steps,
      every,
      backend: result.backend.name,
      seconds,
      msPerStep: (seconds * 1000) / steps,
      samples,
      warmupStep,
      tensorsBefore,
      tensorsAfter: sampleMemory(steps).numTensors,
      nativeAtEnd: native ? describeNativeMemory(native) : undefined,
      problems: flatnessProblems(samples, warmupStep, RSS_SLACK),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (args[0] === '--child') {
  const report = await soak(args[1]);
  console.log(JSON.stringify(report));
  process.exit(0);
}

const runs = opt('runs', '2d,dcgan').split(',');
const json = args.includes('--json');
const reports: RunReport[] = [];
let failed = false;
for (const run of runs) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', run, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 2 ** 20,
  });
  const line = (r.stdout ?? '')
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (r.status !== 0 || !line) {
    console.log(`${run}: the soak process failed (exit ${r.status ?? r.signal}); its messages are above`);
    failed = true;
    continue;
  }
  const report = JSON.parse(line) as RunReport;
  reports.push(report);
  if (report.problems.length > 0) failed = true;
  if (json) {
    console.log(line);
    continue;
  }
  const first = report.samples.find((s) => s.step === report.warmupStep);
  const last = report.samples[report.samples.length - 1];
  console.log(
    `\n## ${run}: ${report.steps} steps on ${report.backend} in ${report.seconds.toFixed(0)} s ` +
      `(${report.msPerStep.toFixed(1)} ms/step with evaluation, pictures and checkpoints every ${report.every})`,
  );
  console.log(memoryTable(report.samples));
  if (first && last) {
    console.log(
      `tensors ${first.numTensors} → ${last.numTensors} (steps ${first.step} → ${last.step}); ` +
        `RSS ${first.rssMB.toFixed(0)} → ${last.rssMB.toFixed(0)} MiB ` +
        `(${(((last.rssMB - first.rssMB) / first.rssMB) * 100).toFixed(1)}%, allowed +${RSS_SLACK * 100}%); ` +
        `tensors before train() ${report.tensorsBefore}, after it returned ${report.tensorsAfter}`,
    );
  }
  if (report.nativeAtEnd) console.log(report.nativeAtEnd);
  console.log(report.problems.length === 0 ? 'flat: yes' : `NOT FLAT:\n  ${report.problems.join('\n  ')}`);
}
if (!json) {
  console.log(
    `\n${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), load average ${loadavg()[0].toFixed(2)} at the end`,
  );
}
process.exit(failed ? 1 : 0);
