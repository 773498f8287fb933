// When `auto` runs a workload on webgpu instead of native: only on a hardware adapter, and
// only once a timing of the run's own step on both (step-timing.ts) found webgpu faster.
// The verdict is cached per machine in the user cache folder (~/.cache/gankit/backend-
// verdicts.json on Linux; XDG_CACHE_HOME moves it), keyed by the adapter and its driver,
// gankit's version and the workload's shape, so that later runs start at once. A cache
// file that cannot be read is ignored with a warning: it only ever saves a timing.
// The probe must cost nothing where no GPU can be (CI, servers): on Linux a hardware
// adapter needs a device node (/dev/dri/renderD*, /dev/nvidia0, WSL's /dev/dxg), so
// without one Dawn is not even loaded.
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import envPaths from 'env-paths';
import { writeFileAtomic } from '../io/atomic.js';
import type { StepNetworks } from './step-timing.js';
import type { AdapterDescription } from './webgpu.js';

/** The run's training step, for timing: its preset's networks and one example's shape. */
export interface Workload {
  /** The preset: mlp, dcgan. */
  model: string;
  /** One example: [dim] for toy data, [height, width, channels] for images. */
  shape: number[];
  batch: number;
  latentDim: number;
  /** Fresh networks on the active backend (the timing trains them, so never the run's own). */
  build(): StepNetworks;
}

export interface Verdict {
  /** The faster: webgpu, or `against`. */
  backend: string;
  /** What webgpu was timed against: native, or wasm where the native addon does not load. */
  against: string;
  /** webgpu's speed over the other's (its seconds per step / webgpu's): 6.1 means webgpu is 6.1× faster. */
  speedup: number;
  /** The adapter timed, in words (describeAdapter). */
  adapter: string;
  /** The workload in words: "dcgan 28×28×1 batch 64". */
  workload: string;
  /** Seconds per step on `against` and on webgpu. */
  seconds: { against: number; webgpu: number };
  /**
   * Where a backend's steps ran at a smaller batch than the workload's (a step of it would
   * outlast the budget), that batch: its seconds are extrapolated in proportion to the
   * batch, an upper bound.
   */
  extrapolatedFrom?: { against?: number; webgpu?: number };
  /** ISO time of the measurement. */
  measuredAt: string;
}

/** A verdict as initBackend reports it: `cached` when it came from the file, not a timing just now. */
export type AutoDecision = Verdict & { cached: boolean };

export const VERDICTS_VERSION = 1;

interface VerdictsFile {
  version: number;
  verdicts: Record<string, Verdict>;
}

/**
 * Set only by tests: counts a software adapter (Mesa's llvmpipe) as hardware, so that the
 * whole measuring path runs on a machine without a GPU. Never set it for real runs: a
 * software adapter is always slower than native.
 */
export const TEST_AS_HARDWARE_ENV = 'GANKIT_TEST_WEBGPU_AS_HARDWARE';

export function countsAsHardware(a: AdapterDescription): boolean {
  return !a.software || process.env[TEST_AS_HARDWARE_ENV] === '1';
}

/** Cheap (no Dawn): can this machine have a hardware adapter at all? */
export function hardwareGpuMayExist(): boolean {
  if (process.env[TEST_AS_HARDWARE_ENV] === '1') return true;
  if (process.platform !== 'linux') return true; // no cheap test there: Dawn is asked
  try {
    if (readdirSync('/dev/dri').some((name) => name.startsWith('renderD'))) return true;
  } catch {
    // no /dev/dri: no DRM driver
  }
  return existsSync('/dev/nvidia0') || existsSync('/dev/dxg');
}

export function describeWorkload(w: Pick<Workload, 'model' | 'shape' | 'batch'>): string {
  return `${w.model} ${w.shape.join('×')} batch ${w.batch}`;
}

const version = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/**
 * What a verdict holds for: the adapter and its driver, what it is timed against, gankit's
 * version and the workload's shape.
 */
export function verdictKey(
  a: AdapterDescription,
  against: string,
  w: Pick<Workload, 'model' | 'shape' | 'batch' | 'latentDim'>,
): string {
  return JSON.stringify({
    adapter: [a.vendor, a.architecture, a.device, a.description, a.route],
    against,
    gankit: version,
    workload: [w.model, ...w.shape, w.batch, w.latentDim],
  });
}

/** Timings in, choice out: the faster backend per step, and by how much. */
export function decide(
  against: string,
  seconds: { against: number; webgpu: number },
  adapter: string,
  workload: string,
  now = new Date(),
  extrapolatedFrom?: Verdict['extrapolatedFrom'],
): Verdict {
  const speedup = seconds.against / seconds.webgpu;
  return {
    backend: speedup > 1 ? 'webgpu' : against,
    against,
    speedup,
    adapter,
    workload,
    seconds,
    ...(extrapolatedFrom && Object.keys(extrapolatedFrom).length ? { extrapolatedFrom } : {}),
    measuredAt: now.toISOString(),
  };
}

/** Why auto chose: "measured 6.1× native for dcgan 28×28×1 batch 64 (cached)". */
export function describeDecision(d: AutoDecision): string {
  const times =
    d.speedup >= 1
      ? `${d.speedup.toFixed(1)}× ${d.against}`
      : `${(1 / d.speedup).toFixed(1)}× slower than ${d.against}`;
  const from = Object.entries(d.extrapolatedFrom ?? {}).map(
    ([name, batch]) => `${name === 'against' ? d.against : name} from batch ${batch}`,
  );
  const estimated = from.length ? `, extrapolated (${from.join(', ')})` : '';
  return `measured ${times} for ${d.workload}${estimated}${d.cached ? ' (cached)' : ''}`;
}

export function verdictsFile(): string {
  return path.join(envPaths('gankit', { suffix: '' }).cache, 'backend-verdicts.json');
}

/** The cached verdicts; an unreadable, corrupt or other-version file counts as none, with a warning. */
export async function readVerdicts(
  file = verdictsFile(),
  warn: (message: string) => void = (m) => console.warn(`warning: ${m}`),
): Promise<Record<string, Verdict>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      warn(`cannot read the backend verdicts in ${file} (${(err as Error).message}); measuring again`);
    return {};
  }
  const why = (problem: string) =>
    warn(
      `ignoring the backend verdicts in ${file}: ${problem}; auto measures again (gankit doctor --forget removes it)`,
    );
  let parsed: Partial<VerdictsFile>;
  try {
    parsed = JSON.parse(text) as Partial<VerdictsFile>;
  } catch (err) {
    why(`expected JSON but it does not parse (${(err as Error).message})`);
    return {};
  }
  if (parsed?.version !== VERDICTS_VERSION || typeof parsed.verdicts !== 'object' || parsed.verdicts === null) {
    why(`expected version ${VERDICTS_VERSION} with verdicts but received version ${String(parsed?.version)}`);
    return {};
  }
  return Object.fromEntries(Object.entries(parsed.verdicts).filter(([, v]) => isVerdict(v)));
}

function isVerdict(v: unknown): v is Verdict {
  const x = v as Verdict;
  return (
    typeof x?.backend === 'string' &&
    typeof x.against === 'string' &&
    (x.backend === 'webgpu' || x.backend === x.against) &&
    Number.isFinite(x.speedup) &&
    x.speedup > 0 &&
    typeof x.adapter === 'string' &&
    typeof x.workload === 'string'
  );
}

/** Adds one verdict to the file, atomically (io/atomic.ts): a killed process leaves the old file or the new one. */
export async function writeVerdict(key: string, verdict: Verdict, file = verdictsFile()): Promise<void> {
  const verdicts = await readVerdicts(file, () => {}); // a corrupt file is replaced
  verdicts[key] = verdict;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const data: VerdictsFile = { version: VERDICTS_VERSION, verdicts };
  await writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n', 'writing the backend verdicts', {
    durable: false,
  });
}

/** Removes the verdicts file (doctor --forget); says whether there was one. */
export async function forgetVerdicts(file = verdictsFile()): Promise<boolean> {
  try {
    await fs.rm(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * The verdict for `workload` on `adapter`: the cached one when its key matches, else a
 * timing now (`measure`: seconds per step on each), which is then cached. A verdict
 * that cannot be written still holds for this run, with a warning.
 */
export async function autoVerdict(
  adapter: AdapterDescription,
  adapterInWords: string,
  against: string,
  workload: Pick<Workload, 'model' | 'shape' | 'batch' | 'latentDim'>,
  measure: () => Promise<{ against: number; webgpu: number; extrapolatedFrom?: Verdict['extrapolatedFrom'] }>,
  file = verdictsFile(),
  warn: (message: string) => void = (m) => console.warn(`warning: ${m}`),
): Promise<AutoDecision> {
  const key = verdictKey(adapter, against, workload);
  const cached = (await readVerdicts(file, warn))[key];
  if (cached) return { ...cached, cached: true };
  const { extrapolatedFrom, ...seconds } = await measure();
  const verdict = decide(against, seconds, adapterInWords, describeWorkload(workload), new Date(), extrapolatedFrom);
  await writeVerdict(key, verdict, file).catch((err: Error) => warn(`${err.message}; the next run measures again`));
  return { ...verdict, cached: false };
}
