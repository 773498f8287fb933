// The runs under the dashboard's folder and what the page lists of each (RunSummary,
// RunDetail in docs/dashboard.md §2). Cheap on purpose, since the list is asked for
// often and a finished run's stats.jsonl can hold 100 MB: the latest step comes from
// the file's last 64 kB, and every file read is cached by its mtime and size.
import { promises as fs, type Dirent, type Stats } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { LOCK_FILE } from '../run/lock.js';
import { runPaths } from '../run/paths.js';
import { dataKind } from './names.js';

export interface RunSummary {
  name: string;
  step: number;
  steps: number | null;
  status: 'training' | 'finished' | 'stopped';
  data: string | null;
  model: string | null;
  loss: string | null;
  kind: 'toy2d' | 'toy1d' | 'image' | null;
  updated: number;
}

export interface RunDetail extends RunSummary {
  options: Record<string, unknown>;
  metrics: Record<string, unknown> | null;
  snapshots: { step: number; kind: string; file: string }[];
  checkpoints: { step: number; generator: string; average: string | null }[];
  pid: number | null;
}

/** A folder holding one of these is a run (run/contents.ts's marks). */
const MARKS = ['options.json', 'stats.jsonl', 'checkpoints', LOCK_FILE];
const MAX_DEPTH = 6;
const TAIL_BYTES = 64 * 1024;

/** The trainer holding a run: its lock's pid and host. */
export interface LockHolder {
  pid: number;
  host: string;
}

/**
 * The run names under `root` ('/'-separated, sorted): folders holding a run's mark,
 * found without following symlinks, skipping hidden folders, at most 6 levels down.
 * A run's own subfolders are not searched.
 */
export async function findRuns(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (relative: string[], depth: number) => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(path.join(root, ...relative), { withFileTypes: true });
    } catch {
      return; // removed while we looked, or unreadable: not listed
    }
    if (relative.length > 0 && entries.some((e) => MARKS.includes(e.name))) {
      found.push(relative.join('/'));
      return;
    }
    if (depth >= MAX_DEPTH) return;
    const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.'));
    await Promise.all(folders.map((e) => visit([...relative, e.name], depth + 1)));
  };
  await visit([], 0);
  return found.sort();
}

/** A run's folder from its name, or undefined when the name is not a run under root (checked, not trusted). */
export async function runFolder(root: string, name: string): Promise<string | undefined> {
  const segments = name.split('/');
  if (segments.length > MAX_DEPTH || segments.some((s) => s === '' || s.startsWith('.') || s.includes('\\')))
    return undefined;
  const folder = path.join(root, ...segments);
  try {
    // No symlink on the way: discovery does not follow them, so neither does lookup.
    for (let i = 1; i <= segments.length; i++) {
      if ((await fs.lstat(path.join(root, ...segments.slice(0, i)))).isSymbolicLink()) return undefined;
    }
    const entries = await fs.readdir(folder);
    return entries.some((e) => MARKS.includes(e)) ? folder : undefined;
  } catch {
    return undefined;
  }
}

/** A cache of values computed from one file, kept while its mtime and size stay the same. */
class FileCache<T> {
  private entries = new Map<string, { key: string; value: T }>();
  async get(file: string, stat: Stats | undefined, compute: () => Promise<T>, empty: T): Promise<T> {
    if (!stat) {
      this.entries.delete(file);
      return empty;
    }
    const key = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    const hit = this.entries.get(file);
    if (hit?.key === key) return hit.value;
    const value = await compute().catch(() => empty);
    this.entries.set(file, { key, value });
    return value;
  }
}

const statOf = (file: string) => fs.stat(file).catch(() => undefined);

async function readJson(file: string): Promise<Record<string, unknown> | null> {
  const value = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** The step of the last complete line of stats.jsonl, read from its last 64 kB. */
async function lastStep(file: string, size: number): Promise<number> {
  const handle = await fs.open(file, 'r');
  try {
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    lines.pop(); // the text after the last newline: empty, or a line still being written
    for (let i = lines.length - 1; i >= 0; i--) {
      try {
        const step = (JSON.parse(lines[i]) as { step?: unknown }).step;
        if (Number.isSafeInteger(step)) return step as number;
      } catch {
        // a damaged line, or the first one cut by the 64 kB window: look further up
      }
    }
    return 0;
  } finally {
    await handle.close();
  }
}

/** Whether a process with this pid runs here (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock's holder when it still trains: alive here, or on another host (where we cannot tell: run/lock.ts). */
export async function liveHolder(folder: string): Promise<LockHolder | undefined> {
  let holder: Partial<LockHolder>;
  try {
    holder = JSON.parse(await fs.readFile(path.join(folder, LOCK_FILE), 'utf8')) as Partial<LockHolder>;
  } catch {
    return undefined; // no lock, or one being written or removed
  }
  if (!Number.isSafeInteger(holder.pid) || (holder.pid as number) <= 0 || typeof holder.host !== 'string')
    return undefined;
  const live = holder.host !== hostname() || processAlive(holder.pid as number);
  return live ? { pid: holder.pid as number, host: holder.host } : undefined;
}

/** Reads runs for the API, caching what it parsed. `starting` names runs whose trainer was just started here. */
export class RunReader {
  private options = new FileCache<Record<string, unknown> | null>();
  private metrics = new FileCache<Record<string, unknown> | null>();
  private steps = new FileCache<number>();

  constructor(
    readonly root: string,
    private starting: () => Map<string, number> = () => new Map(),
  ) {}

  /** Every run, sorted by name; runs still starting (no file yet) included. */
  async list(): Promise<RunSummary[]> {
    const names = new Set(await findRuns(this.root));
    for (const name of this.starting().keys()) names.add(name);
    const summaries = await Promise.all([...names].sort().map((n) => this.summary(n)));
    return summaries.filter((s): s is RunSummary => s !== undefined);
  }

  async summary(name: string): Promise<RunSummary | undefined> {
    return (await this.read(name))?.summary;
  }

  async detail(name: string): Promise<RunDetail | undefined> {
    const found = await this.read(name);
    if (!found) return undefined;
    const { folder, summary, options, metrics, pid } = found;
    const [snapshots, checkpoints] = await Promise.all([listSnapshots(folder), listCheckpoints(folder)]);
    return { ...summary, options: options ?? {}, metrics, snapshots, checkpoints, pid };
  }

  /** The run's folder, or undefined when `name` is no run (a started trainer's folder counts before its files). */
  async folder(name: string): Promise<string | undefined> {
    const folder = await runFolder(this.root, name);
    if (folder) return folder;
    return this.starting().has(name) ? path.join(this.root, ...name.split('/')) : undefined;
  }

  private async read(name: string) {
    const folder = await this.folder(name);
    if (!folder) return undefined;
    const paths = runPaths(folder);
    const [statsStat, optionsStat, metricsStat, holder] = await Promise.all([
      statOf(paths.stats),
      statOf(paths.options),
      statOf(paths.metrics),
      liveHolder(folder),
    ]);
    const [options, metrics, step] = await Promise.all([
      this.options.get(paths.options, optionsStat, () => readJson(paths.options), null),
      this.metrics.get(paths.metrics, metricsStat, () => readJson(paths.metrics), null),
      this.steps.get(paths.stats, statsStat, () => lastStep(paths.stats, statsStat!.size), 0),
    ]);
    const child = this.starting().get(name);
    const pid = holder?.pid ?? (child !== undefined && processAlive(child) ? child : null);
    const text = (key: string) => (typeof options?.[key] === 'string' ? (options[key] as string) : null);
    const summary: RunSummary = {
      name,
      step,
      steps: typeof options?.steps === 'number' ? options.steps : null,
      status: pid !== null ? 'training' : metrics ? 'finished' : 'stopped',
      data: text('data'),
      model: text('model'),
      loss: text('loss'),
      kind: dataKind(options?.data),
      updated: Math.round((statsStat ?? optionsStat)?.mtimeMs ?? 0),
    };
    return { folder, summary, options, metrics, pid };
  }
}

/** snapshots/step-NNNNNNN-KIND.png, by step then kind; files relative to the run. */
async function listSnapshots(folder: string): Promise<RunDetail['snapshots']> {
  const names = await fs.readdir(path.join(folder, 'snapshots')).catch(() => [] as string[]);
  const snapshots: RunDetail['snapshots'] = [];
  for (const file of names) {
    const match = /^step-(\d+)-(.+)\.png$/.exec(file);
    if (match) snapshots.push({ step: Number(match[1]), kind: match[2], file: `snapshots/${file}` });
  }
  return snapshots.sort((a, b) => a.step - b.step || a.kind.localeCompare(b.kind));
}

/** checkpoints/step-NNNNNNN/ holding a generator; model.json paths relative to the run. */
async function listCheckpoints(folder: string): Promise<RunDetail['checkpoints']> {
  const dir = path.join(folder, 'checkpoints');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const checkpoints: RunDetail['checkpoints'] = [];
  for (const name of names) {
    const match = /^step-(\d+)$/.exec(name);
    if (!match) continue;
    const has = (player: string) => statOf(path.join(dir, name, player, 'model.json')).then((s) => s?.isFile());
    const [generator, average] = await Promise.all([has('generator'), has('generatorAverage')]);
    if (!generator) continue;
    checkpoints.push({
      step: Number(match[1]),
      generator: `checkpoints/${name}/generator/model.json`,
      average: average ? `checkpoints/${name}/generatorAverage/model.json` : null,
    });
  }
  return checkpoints.sort((a, b) => a.step - b.step);
}
