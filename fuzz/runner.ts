// The fuzzer's cases: each copies a format's valid instance into a fresh folder, damages
// one file with one mutation (chosen, like everything else, by the case's seed), has a
// worker process read the folder, and classifies what happened. A case is fully given by
// (format, seed), so any defect replays with `npm run fuzz -- --format F --replay SEED`.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/rng.js';
import { SOUND_OUTCOMES, type FuzzFormat, type Outcome } from './format.js';
import { GENERIC_MUTATIONS, type Mutation } from './mutations.js';
import { WorkerPool, type PoolAnswer } from './pool.js';

export interface FuzzOptions {
  /** Cases per format. */
  cases: number;
  /** Base seed; case i's seed is caseSeed(seed, i). */
  seed: number;
  /** Worker processes reading cases in parallel. */
  jobs: number;
  /** A read that takes longer is a hang. */
  timeoutMs: number;
  /** Growth of a worker's peak memory during one case that counts as a huge allocation. */
  memoryLimitMb: number;
  /** The module the workers import the formats from (compiled .js), and its export. */
  formatsModule: string;
  exportName: string;
  /** Keep each case's folder (replays keep theirs, so it can be looked at). */
  keep?: boolean;
  /** Called after each case, e.g. for progress. */
  onCase?(result: CaseResult): void;
}

export interface CaseResult {
  format: string;
  seed: number;
  /** The mutation and the file it damaged, relative to the case's folder. */
  mutation: string;
  file: string;
  outcome: Outcome;
  /** The reader's message, or what went wrong. */
  detail: string;
  /** The case's folder (deleted afterwards unless kept). */
  dir: string;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_FORMATS_MODULE = path.join(HERE, 'formats', 'index.js');

export const DEFAULTS: Omit<FuzzOptions, 'cases' | 'seed'> = {
  jobs: 2,
  timeoutMs: 15_000,
  memoryLimitMb: 512,
  formatsModule: DEFAULT_FORMATS_MODULE,
  exportName: 'ALL_FORMATS',
};

/** Errors that come from deep inside a reader, not from a check that explains itself. */
const RAW_ERRORS = ['TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'AssertionError'];

/** Case i's seed: base and i mixed (murmur3's finaliser), so neighbouring cases are unrelated. */
export function caseSeed(base: number, index: number): number {
  let h = Math.imul((base >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ index;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function isDefect(outcome: Outcome): boolean {
  return !SOUND_OUTCOMES.includes(outcome);
}

/** Each format's valid instance, written once and copied for every case. */
class Templates {
  private made = new Map<string, Promise<{ dir: string; files: string[] }>>();
  constructor(private readonly root: string) {}

  of(format: FuzzFormat): Promise<{ dir: string; files: string[] }> {
    let made = this.made.get(format.name);
    if (!made) {
      made = (async () => {
        const dir = path.join(this.root, `template-${safeName(format.name)}`);
        await fs.mkdir(dir, { recursive: true });
        const files = (await format.makeValid(dir)).map((f) => path.relative(dir, f));
        if (files.length === 0) throw new Error(`Expected format ${format.name} to name the files to mutate`);
        return { dir, files };
      })();
      this.made.set(format.name, made);
    }
    return made;
  }
}

/** A fuzzing session: a temporary folder, the templates and the worker pool. */
export class Fuzzer {
  private readonly pool: WorkerPool;
  private readonly templates: Templates;

  private constructor(
    private readonly root: string,
    private readonly options: FuzzOptions,
  ) {
    this.templates = new Templates(root);
    this.pool = new WorkerPool({
      script: path.join(HERE, 'worker.js'),
      args: [options.formatsModule, options.exportName],
      jobs: options.jobs,
      timeoutMs: options.timeoutMs,
      memoryLimitMb: options.memoryLimitMb,
    });
  }

  static async start(options: FuzzOptions): Promise<Fuzzer> {
    return new Fuzzer(await fs.mkdtemp(path.join(tmpdir(), 'gankit-fuzz-')), options);
  }

  /** options.cases cases of every format, `jobs` at a time. */
  async runAll(formats: FuzzFormat[]): Promise<CaseResult[]> {
    const queue = formats.flatMap((format) =>
      Array.from({ length: this.options.cases }, (_, i) => ({ format, seed: caseSeed(this.options.seed, i) })),
    );
    const results: CaseResult[] = [];
    let next = 0;
    let failure: Error | undefined;
    const lane = async () => {
      while (next < queue.length && !failure) {
        const { format, seed } = queue[next++];
        try {
          const result = await this.runCase(format, seed);
          results.push(result);
          this.options.onCase?.(result);
        } catch (err) {
          // A failure of the harness itself (not of a reader): stop, but let the other lanes finish their case.
          failure ??= new Error(`The fuzz harness failed on ${format.name} --replay ${seed}: ${(err as Error).stack}`);
        }
      }
    };
    // One more lane than workers, so that the next case is being prepared while the workers read.
    await Promise.all(Array.from({ length: this.options.jobs + 1 }, lane));
    if (failure) throw failure;
    return results;
  }

  async runCase(format: FuzzFormat, seed: number): Promise<CaseResult> {
    const template = await this.templates.of(format);
    const rng = new Rng(seed);
    const file = template.files[rng.int(template.files.length)];
    const mutations: Mutation[] = [
      ...GENERIC_MUTATIONS.filter((m) => m.appliesTo?.(file) ?? true),
      ...(format.mutations ?? []),
    ];
    const mutation = mutations[rng.int(mutations.length)];
    const dir = path.join(this.root, `${safeName(format.name)}-${seed}`);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.cp(template.dir, dir, { recursive: true });
    const target = path.join(dir, file);
    await mutation.apply(target, rng);
    const before = new Set(await listing(dir));
    const answer = await this.pool.run({ format: format.name, dir });
    const left = (await listing(dir)).filter((f) => !before.has(f) && !format.mayCreate?.(f.replace(/\/$/, '')));
    const { outcome, detail } = left.length > 0 ? partial(left, answer) : classify(answer, target);
    if (!this.options.keep) await fs.rm(dir, { recursive: true, force: true });
    return { format: format.name, seed, mutation: mutation.name, file, outcome, detail, dir };
  }

  async close(): Promise<void> {
    this.pool.close();
    if (!this.options.keep) await fs.rm(this.root, { recursive: true, force: true });
  }
}

/** How a read ended, given the file the case damaged. */
export function classify(answer: PoolAnswer, file: string): { outcome: Outcome; detail: string } {
  switch (answer.kind) {
    case 'accepted':
      return answer.violation
        ? { outcome: 'bad accept', detail: answer.violation }
        : { outcome: 'accepted', detail: '' };
    case 'threw': {
      const message = answer.message.split('\n')[0].slice(0, 400);
      if (!answer.isError) return { outcome: 'raw error', detail: `threw a ${answer.name}, not an Error: ${message}` };
      if (RAW_ERRORS.includes(answer.name)) return { outcome: 'raw error', detail: `${answer.name}: ${message}` };
      if (answer.syscall) return { outcome: 'raw error', detail: `unexplained system error: ${message}` };
      if (!answer.message.includes(file) && !answer.message.includes(path.basename(file)))
        return { outcome: 'raw error', detail: `does not name ${path.basename(file)}: ${message}` };
      return { outcome: 'refused', detail: message };
    }
    default:
      return { outcome: answer.kind, detail: answer.detail };
  }
}

function partial(left: string[], answer: PoolAnswer): { outcome: Outcome; detail: string } {
  const how = answer.kind === 'threw' ? `after refusing (${answer.message.slice(0, 200)})` : `after ${answer.kind}`;
  return { outcome: 'partial file', detail: `left ${left.slice(0, 5).join(', ')} ${how}` };
}

/** Every file and folder under dir, relative, '/'-separated; folders end in '/'. */
async function listing(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(`${rel}/`, ...(await listing(dir, rel)));
    else out.push(rel);
  }
  return out;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9.-]/g, '_');
}
