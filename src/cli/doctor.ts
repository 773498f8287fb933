// `gankit doctor`: which TensorFlow.js backends run on this machine and why the others do
// not (native: the oneDNN addon, its version and the CPU's vector ISA; wasm: SIMD and
// threads; cpu; webgpu: every adapter Dawn finds, software or not, with the limits that
// bound tensors), then a few seconds' timing of a DCGAN-28 training step on each backend
// that starts, in this one process, one backend after another. Also lists the verdicts
// auto cached when it timed a run's step on webgpu against native (backend/auto.ts), and
// forgets them on --forget.
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { AUTO_ORDER, BACKENDS, initBackend, type BackendName } from '../backend/index.js';
import { loadAddon } from '../backend/addon.js';
import { getNumThreads, registerNativeBackend } from '../backend/native.js';
import { describeAdapter, listWebgpuAdapters, SHOWN_LIMITS, type AdapterDescription } from '../backend/webgpu.js';
import { forgetVerdicts, readVerdicts, verdictsFile } from '../backend/auto.js';
import { timeGanStep } from '../backend/step-timing.js';
import { dcgan28Discriminator, dcgan28Generator } from '../networks/dcgan.js';
import { positiveInt } from './parse.js';

interface DoctorFlags {
  forget?: boolean;
  seconds: number;
  batch: number;
  backends: BackendName[];
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description(
      'List the TensorFlow.js backends on this machine (native oneDNN, wasm, cpu, each WebGPU adapter), ' +
        'each with why it is available or not, and time a DCGAN-28 training step on each that starts.',
    )
    .option('--seconds <s>', 'timing per backend, after one warm-up step; 0 skips the timing', seconds, 5)
    .option('--batch <n>', 'batch size of the timed DCGAN-28 step', positiveInt, 64)
    .addOption(
      new Option('--backends <list>', 'comma-separated backends to time (default: all that start)')
        .argParser(backendList)
        .default([...BACKENDS]),
    )
    .option('--forget', "forget auto's cached webgpu-versus-native verdicts, so that the next runs time again")
    .action(async (flags: DoctorFlags) => {
      if (flags.forget) {
        const file = verdictsFile();
        console.log(
          (await forgetVerdicts(file)) ? `forgot the backend verdicts (${file})` : 'no backend verdicts to forget',
        );
      }
      const available = await report();
      await reportVerdicts();
      if (flags.seconds > 0)
        await timeAll(
          available.filter((b) => flags.backends.includes(b)),
          flags,
        );
    });
}

function seconds(text: string): number {
  const s = Number(text);
  if (!Number.isFinite(s) || s < 0)
    throw new InvalidArgumentError(`Expected a number of seconds ≥ 0 but received "${text}"`);
  return s;
}

function backendList(text: string): BackendName[] {
  const names = text.split(',').map((s) => s.trim());
  const bad = names.find((n) => !BACKENDS.includes(n as BackendName));
  if (bad !== undefined) {
    throw new InvalidArgumentError(`Expected backends from ${BACKENDS.join(', ')} but received "${bad}"`);
  }
  return names as BackendName[];
}

/** Prints one line per backend (webgpu: one per adapter); returns the backends that start. */
async function report(): Promise<BackendName[]> {
  const lines: [string, string][] = [];
  const available: BackendName[] = [];
  const say = (name: BackendName, ok: boolean, text: string) => {
    lines.push([name, `${ok ? 'available' : 'not available'}: ${text}`]);
    if (ok) available.push(name);
  };

  const nativeWhy = registerNativeBackend();
  const addon = loadAddon().addon;
  if (nativeWhy || !addon) say('native', false, nativeWhy ?? 'the addon did not load');
  else {
    const { onednn, cpuRuntime } = addon.version();
    say(
      'native',
      true,
      `oneDNN ${onednn} (${cpuRuntime === 'omp' ? 'OpenMP' : cpuRuntime}), ${getNumThreads()} threads; ${cpuIsa()}`,
    );
  }

  const wasm = await initBackend('wasm').catch((err: Error) => err);
  if (wasm instanceof Error) say('wasm', false, wasm.message);
  else {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    say('wasm', true, `SIMD ${simd ? 'yes' : 'no'}, threads ${threads ? 'yes' : 'no'}`);
  }

  say('cpu', (await tf.setBackend('cpu')) === true, 'plain JavaScript, the reference the others are tested against');

  const { adapters, why } = await listWebgpuAdapters();
  if (!adapters.length) say('webgpu', false, why ?? 'no adapter');
  for (const a of adapters) say('webgpu', true, `${describeAdapter(a)}; route ${a.route}; ${limits(a)}`);
  const webgpu = await initBackend('webgpu');
  if (adapters.length && webgpu.name !== 'webgpu') {
    lines.push(['webgpu', `an adapter was found but the backend did not start: ${webgpu.note}`]);
    available.splice(available.indexOf('webgpu'), 1);
  }

  console.log('backends on this machine:');
  for (const [name, text] of lines) console.log(`  ${name.padEnd(7)} ${text}`);
  console.log(
    `auto picks the first of ${AUTO_ORDER.join(' → ')} that is available; webgpu when asked ` +
      '(--backend webgpu or GANKIT_BACKEND=webgpu), or for a run whose step it timed faster there on a hardware ' +
      'adapter',
  );
  return [...new Set(available)];
}

/** auto's cached verdicts: per adapter and workload, which backend won and by how much. */
async function reportVerdicts(): Promise<void> {
  const file = verdictsFile();
  const verdicts = Object.values(await readVerdicts(file));
  if (!verdicts.length) {
    console.log(`auto's webgpu verdicts: none cached (${file})`);
    return;
  }
  console.log(`auto's webgpu verdicts (${file}; gankit doctor --forget clears them):`);
  for (const v of verdicts) {
    const times = v.speedup >= 1 ? `${v.speedup.toFixed(1)}× faster` : `${(1 / v.speedup).toFixed(1)}× slower`;
    console.log(`  ${v.workload}: ${v.backend} (webgpu ${times} than ${v.against} on ${v.adapter}; ${v.measuredAt})`);
  }
}

/** The CPU's widest vector extension (what oneDNN's kernels can use; the addon does not say which it chose). */
function cpuIsa(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  let flags = '';
  try {
    flags = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
  } catch {
    return model; // not Linux
  }
  const has = (f: string) => flags.includes(` ${f}`);
  const isa = has('avx512f')
    ? 'AVX-512'
    : has('avx2')
      ? 'AVX2'
      : has('avx')
        ? 'AVX'
        : has('sse4_1')
          ? 'SSE4.1'
          : 'no AVX';
  return `${model}, ${isa}`;
}

function limits(a: AdapterDescription): string {
  const size = (n: number) =>
    n >= 2 ** 30
      ? `${n / 2 ** 30} GiB`
      : n >= 2 ** 20
        ? `${n / 2 ** 20} MiB`
        : n >= 2 ** 10
          ? `${n / 2 ** 10} KiB`
          : `${n}`;
  return SHOWN_LIMITS.map(
    (k) => `${k} ${k.startsWith('maxCompute') && !k.endsWith('Size') ? a.limits[k] : size(a.limits[k])}`,
  ).join(', ');
}

/** Times each backend in turn and prints steps/s and images/s. */
async function timeAll(backends: BackendName[], flags: DoctorFlags): Promise<void> {
  console.log(`DCGAN-28 training step (D then G, tfjs Adam), batch ${flags.batch}, ~${flags.seconds} s per backend:`);
  for (const name of backends) {
    const choice = await initBackend(name).catch((err: Error) => err);
    if (choice instanceof Error || choice.name !== name) continue;
    const t = await timeGanStep(
      () => ({ generator: dcgan28Generator(100, 1), discriminator: dcgan28Discriminator(2) }),
      { latentDim: 100, shape: [28, 28, 1] },
      flags.batch,
      flags.seconds,
    );
    const perSecond = t.steps / t.seconds;
    const smaller =
      t.estimate !== undefined
        ? `; at batch ${t.batch}: a step of batch ${flags.batch} would take about ${t.estimate.toFixed(0)} s`
        : '';
    const rate = `${perSecond.toFixed(perSecond < 10 ? 2 : 1)} steps/s · ${(perSecond * t.batch).toFixed(1)} images/s`;
    console.log(
      `  ${name.padEnd(7)} ${rate} (${t.steps} step${t.steps === 1 ? '' : 's'} in ${t.seconds.toFixed(2)} s${smaller})`,
    );
  }
}
