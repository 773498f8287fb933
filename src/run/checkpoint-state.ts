// A checkpoint's state.json, read as untrusted input, and the checksums it keeps.
// Version 2 records the size and SHA-256 of every other file of the checkpoint (each
// role's model.json and weights.bin, optimizers.bin), so that a damaged file is refused
// by name instead of training on from flipped bits. Version 1 (no checksums) still loads.
// Every field is checked with a message naming the file; no field sizes an allocation.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RngState } from '../rng.js';

export const CHECKPOINT_VERSION = 2;
export const STATE_FILE = 'state.json';
export const OPTIMIZERS_FILE = 'optimizers.bin';
export const OPTIMIZER_KINDS = ['adam', 'sgd'] as const;

export interface SavedOptimizer {
  kind: (typeof OPTIMIZER_KINDS)[number];
  step: number;
  slotSizes: number[];
}

export interface FileSum {
  bytes: number;
  sha256: string;
}

export interface StateFile {
  format: 'gankit-checkpoint';
  version: 1 | 2;
  step: number;
  rng: RngState;
  optimizers: Record<'generator' | 'discriminator', SavedOptimizer>;
  /** Version 2: every other file of the checkpoint, by its path relative to the checkpoint ('generator/model.json'). */
  files?: Record<string, FileSum>;
}

/** Files a version 2 checkpoint must list; each model's weight files follow from its model.json. */
const REQUIRED_FILES = ['generator/model.json', 'discriminator/model.json', OPTIMIZERS_FILE];

const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * What to do about a damaged checkpoint `dir`: use the previous one, by name when there
 * is one, or train again.
 */
export async function recoveryAdvice(dir: string): Promise<string> {
  const root = path.dirname(dir);
  const step = stepOf(path.basename(dir));
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const previous = names
    .filter((n) => stepOf(n) !== undefined && (step === undefined || stepOf(n)! < step))
    .sort((a, b) => stepOf(b)! - stepOf(a)!)[0];
  const latest = path.join(root, 'latest');
  return previous
    ? `use the previous checkpoint by writing its name into ${latest} (echo ${previous} > ${latest}), or train again`
    : `train the run again (gankit train --force --out ${path.dirname(root)} with its options)`;
}

/** The step of a checkpoint folder's name (step-NNNNNNN), or undefined for other names. */
export function stepOf(name: string): number | undefined {
  const match = /^step-(\d+)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Reads and checks `dir`/state.json; `advice` (recoveryAdvice) ends each message. */
export async function readState(dir: string, advice?: string): Promise<StateFile> {
  const file = path.join(dir, STATE_FILE);
  let raw: unknown;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile() || stat.size > 16 * 1024 * 1024) throw new Error('it is not a small regular file');
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(
      `Expected a gankit checkpoint in ${dir} but could not read its state.json (${file}): ` +
        `${(err as Error).message}${damaged(advice)}`,
    );
  }
  return checkState(file, raw, advice);
}

const damaged = (advice?: string) => (advice ? `; the checkpoint is damaged: ${advice}` : '');

/** `raw` (the parsed state.json at `file`) as a StateFile, every field checked. */
export function checkState(file: string, raw: unknown, advice?: string): StateFile {
  const fail = (what: string, expected: string, value: unknown): never => {
    throw new Error(`Expected ${what} in ${file} to be ${expected} but received ${show(value)}${damaged(advice)}`);
  };
  if (!isObject(raw)) return fail('the content', 'an object', raw);
  if (raw.format !== 'gankit-checkpoint') return fail('format', '"gankit-checkpoint"', raw.format);
  if (isCount(raw.version) && raw.version > CHECKPOINT_VERSION) {
    throw new Error(
      `Expected a checkpoint of version 1..${CHECKPOINT_VERSION} in ${file} but received version ${raw.version}; ` +
        'a newer gankit wrote it: update gankit to read it',
    );
  }
  if (raw.version !== 1 && raw.version !== 2) return fail('version', `1..${CHECKPOINT_VERSION}`, raw.version);
  if (!isCount(raw.step)) return fail('step', 'an integer ≥ 0', raw.step);
  const rng = raw.rng;
  // sfc32's words, as Rng.getState gives them: some signed (an xor), some unsigned (>>> 0).
  const is32 = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= -(2 ** 31) && (x as number) < 2 ** 32;
  if (!Array.isArray(rng) || rng.length !== 4 || !rng.every(is32)) return fail('rng', 'four 32-bit integers', rng);
  if (!isObject(raw.optimizers)) return fail('optimizers', 'an object', raw.optimizers);
  const optimizers = {} as StateFile['optimizers'];
  for (const role of ['generator', 'discriminator'] as const) {
    const o = raw.optimizers[role];
    const at = `optimizers.${role}`;
    if (!isObject(o)) return fail(at, 'an object', o);
    if (!OPTIMIZER_KINDS.includes(o.kind as SavedOptimizer['kind'])) {
      return fail(`${at}.kind`, OPTIMIZER_KINDS.join(' or '), o.kind);
    }
    if (!isCount(o.step)) return fail(`${at}.step`, 'an integer ≥ 0', o.step);
    if (!Array.isArray(o.slotSizes) || !o.slotSizes.every(isCount)) {
      return fail(`${at}.slotSizes`, 'a list of integers ≥ 0', o.slotSizes);
    }
    optimizers[role] = { kind: o.kind as SavedOptimizer['kind'], step: o.step, slotSizes: o.slotSizes };
  }
  const state: StateFile = {
    format: 'gankit-checkpoint',
    version: raw.version,
    step: raw.step,
    rng: rng as RngState,
    optimizers,
  };
  if (!Number.isSafeInteger(4 * slotTotal(state))) return fail('the slot sizes', 'a possible size', 'their sum');
  if (raw.version === 1) return state;
  if (!isObject(raw.files)) return fail('files', 'an object of checksums', raw.files);
  for (const [name, sum] of Object.entries(raw.files)) {
    if (!isCheckpointPath(name)) return fail('a name in files', 'a path inside the checkpoint', name);
    if (!isObject(sum) || !isCount(sum.bytes) || typeof sum.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sum.sha256))
      return fail(`files["${name}"]`, '{ bytes, sha256 }', sum);
  }
  for (const name of REQUIRED_FILES) {
    if (!Object.hasOwn(raw.files, name)) return fail(`files["${name}"]`, 'its checksum', undefined);
  }
  const optimizerBytes = (raw.files[OPTIMIZERS_FILE] as FileSum).bytes;
  if (optimizerBytes !== 4 * slotTotal(state)) {
    return fail(
      `the size of ${OPTIMIZERS_FILE}`,
      `${4 * slotTotal(state)} bytes (4 for each of the slot sizes' values)`,
      optimizerBytes,
    );
  }
  return { ...state, files: raw.files as Record<string, FileSum> };
}

/** A relative path with '/' separators that stays inside the checkpoint (no '', '.', '..' segments). */
function isCheckpointPath(name: string): boolean {
  const parts = name.split('/');
  return parts.every((p) => p !== '' && p !== '.' && p !== '..' && !p.includes('\\') && !p.includes('\0'));
}

/** The number of float32 values in optimizers.bin: every slot of G's optimizer, then D's. */
export function slotTotal(state: StateFile): number {
  const sizes = [...state.optimizers.generator.slotSizes, ...state.optimizers.discriminator.slotSizes];
  return sizes.reduce((a, b) => a + b, 0);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A check for loadModel and optimizers.bin: refuses a file of checkpoint `dir` whose
 * bytes differ from the size and SHA-256 that state.json lists, or that it does not list.
 */
export function fileChecker(
  dir: string,
  files: Record<string, FileSum>,
  advice: string,
): (file: string, bytes: Uint8Array) => void {
  return (file, bytes) => {
    const name = path.relative(dir, file).split(path.sep).join('/');
    const sum = Object.hasOwn(files, name) ? files[name] : undefined;
    const stateFile = path.join(dir, STATE_FILE);
    if (!sum) {
      throw new Error(
        `Expected ${file} to have a checksum in ${stateFile} but it has none; the checkpoint is damaged: ${advice}`,
      );
    }
    const actual = sha256(bytes);
    if (bytes.length !== sum.bytes || actual !== sum.sha256) {
      throw new Error(
        `Expected ${file} to have SHA-256 ${sum.sha256} (${sum.bytes} bytes, from ${stateFile}) but it has ` +
          `${actual} (${bytes.length} bytes); the checkpoint is damaged: ${advice}`,
      );
    }
  };
}

/** The size and SHA-256 of every file under `dir`, by '/'-separated relative path. */
export async function fileSums(dir: string, prefix = ''): Promise<Record<string, FileSum>> {
  const sums: Record<string, FileSum> = {};
  const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const name = prefix + entry.name;
    if (entry.isDirectory()) Object.assign(sums, await fileSums(path.join(dir, entry.name), name + '/'));
    else if (entry.isFile()) {
      const bytes = await fs.readFile(path.join(dir, entry.name));
      sums[name] = { bytes: bytes.length, sha256: sha256(bytes) };
    }
  }
  return sums;
}

/**
 * Why checkpoint `dir` is not complete, or undefined when it is: its state.json reads and
 * checks, and the files it lists are there with their sizes (version 1: the models'
 * model.json and an optimizers.bin of the size the slots need). Checksums are checked
 * when the checkpoint is loaded.
 */
export async function incompleteness(dir: string): Promise<string | undefined> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) return `${dir} is missing`;
  let state: StateFile;
  try {
    state = await readState(dir);
  } catch (err) {
    return (err as Error).message;
  }
  const sizes: Record<string, number> = state.files
    ? Object.fromEntries(Object.entries(state.files).map(([name, sum]) => [name, sum.bytes]))
    : { [OPTIMIZERS_FILE]: 4 * slotTotal(state), 'generator/model.json': -1, 'discriminator/model.json': -1 };
  for (const [name, bytes] of Object.entries(sizes)) {
    const file = path.join(dir, ...name.split('/'));
    const found = await fs.lstat(file).catch(() => undefined);
    if (!found?.isFile()) return `${file} is missing`;
    if (bytes >= 0 && found.size !== bytes) {
      return `${file} holds ${found.size} bytes instead of the ${bytes} that ${path.join(dir, STATE_FILE)} says`;
    }
  }
  return undefined;
}
