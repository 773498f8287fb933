// Steering runs from the page (POST /api/train, pause, resume, checkpoint). A training
// is a `gankit train` child process, exactly as a user would start it: detached from the
// server (its own process group, stdin closed) so that stopping the dashboard does not
// stop it, its output appended to RUN/train.log. Signals go only to a process we can
// tell is a gankit trainer: the run's lock names it, on this host, and its command line
// is gankit's train command.
import { spawn } from 'node:child_process';
import { openSync, closeSync, promises as fs } from 'node:fs';
import { constants, hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { folderState, TRAIN_LOG } from '../run/contents.js';
import { didYouMean } from '../suggest.js';
import { DATA_NAMES, LOSS_NAMES, MODEL_NAMES } from './names.js';
import { liveHolder, processAlive, type RunReader } from './runs.js';

/** The CLI a child runs: this package's dist/src/cli/main.js (this file is dist/src/dash/steer.js). */
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../cli/main.js');

/** A refusal the API answers with its status and the sentence. */
export class SteerError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export interface TrainBody {
  name: string;
  data: string;
  model?: string;
  loss?: string;
  steps?: number;
  seed?: number;
}

const MAX_STEPS = 10_000_000;

/** The request's fields checked, or a SteerError(400) naming the first bad one. */
export function checkTrainBody(body: unknown): TrainBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new SteerError(
      400,
      `Expected a JSON object {name, data, model?, loss?, steps?, seed?} but received ${show(body)}`,
    );
  const b = body as Record<string, unknown>;
  const known = ['name', 'data', 'model', 'loss', 'steps', 'seed'];
  const unknown = Object.keys(b).filter((k) => !known.includes(k));
  if (unknown.length)
    throw new SteerError(400, `Expected only the fields ${known.join(', ')} but received ${unknown.join(', ')}`);
  checkName(b.name);
  oneOf('data', b.data, DATA_NAMES, ' (a folder of images is trained from the command line)');
  if (b.model !== undefined) oneOf('model', b.model, MODEL_NAMES);
  if (b.loss !== undefined) oneOf('loss', b.loss, LOSS_NAMES);
  if (
    b.steps !== undefined &&
    !(Number.isSafeInteger(b.steps) && (b.steps as number) >= 1 && (b.steps as number) <= MAX_STEPS)
  )
    throw new SteerError(
      400,
      `Expected steps to be a whole number from 1 to ${MAX_STEPS} but received ${show(b.steps)}`,
    );
  if (b.seed !== undefined && !(Number.isSafeInteger(b.seed) && (b.seed as number) >= 0))
    throw new SteerError(400, `Expected seed to be a whole number ≥ 0 but received ${show(b.seed)}`);
  return b as unknown as TrainBody;
}

/** A run name: 1–6 '/'-separated parts of letters, digits, '.', '_', '-', none starting with '.'. */
function checkName(name: unknown): asserts name is string {
  const parts = typeof name === 'string' ? name.split('/') : [];
  const good =
    typeof name === 'string' &&
    name.length <= 200 &&
    parts.length <= 6 &&
    parts.every((p) => /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(p));
  if (!good)
    throw new SteerError(
      400,
      `Expected name to be a folder path inside the runs folder (parts of letters, digits, '.', '_' or '-', ` +
        `not starting with '.', separated by '/') but received ${show(name)}`,
    );
}

function oneOf(field: string, value: unknown, names: readonly string[], note = ''): void {
  if (typeof value !== 'string' || !names.includes(value))
    throw new SteerError(
      400,
      `Expected ${field} to be one of ${names.join(', ')}${note} but received ${show(value)}.${didYouMean(value, names)}`.replace(
        /\.$/,
        '',
      ),
    );
}

const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
};

/** Trainers this server started, by run name, while they run: a run shows as training before its lock exists. */
export class Steering {
  readonly children = new Map<string, number>();
  private claimed = new Set<string>();

  constructor(
    private root: string,
    private runs: RunReader,
  ) {}

  /** POST /api/train: a new run DIR/name. */
  async train(body: unknown): Promise<{ name: string; pid: number }> {
    const request = checkTrainBody(body);
    const { name } = request;
    const taken = () =>
      new SteerError(409, `Expected a new run name but ${name} is a run already; choose another name`);
    // Claimed before the first await, so that two requests for one name cannot both start.
    if (this.claimed.has(name) || this.children.has(name)) throw taken();
    this.claimed.add(name);
    try {
      const folder = path.join(this.root, ...name.split('/'));
      const state = await folderState(folder);
      if (state.kind === 'run') throw taken();
      if (state.kind === 'other')
        throw new SteerError(
          409,
          `Expected a new run name but ${name} is a folder holding other files; choose another name`,
        );
      const args = ['train', '--out', folder, '--data', request.data];
      if (request.model !== undefined) args.push('--model', request.model);
      if (request.loss !== undefined) args.push('--loss', request.loss);
      if (request.steps !== undefined) args.push('--steps', String(request.steps));
      if (request.seed !== undefined) args.push('--seed', String(request.seed));
      await fs.mkdir(folder, { recursive: true });
      return { name, pid: this.start(name, folder, args) };
    } finally {
      this.claimed.delete(name);
    }
  }

  /** POST /api/resume: the run goes on from its latest checkpoint. */
  async resume(name: string): Promise<{ pid: number }> {
    const folder = await this.folderOf(name);
    if ((await liveHolder(folder)) || this.children.has(name))
      throw new SteerError(409, `Expected a stopped run but ${name} is training; pause it first`);
    const checkpoints = await fs.readdir(path.join(folder, 'checkpoints')).catch(() => [] as string[]);
    if (!checkpoints.some((c) => /^step-\d+$/.test(c)))
      throw new SteerError(409, `Expected a run with a checkpoint to resume from but ${name} has none`);
    return { pid: this.start(name, folder, ['train', '--resume', '--out', folder]) };
  }

  /** POST /api/pause (SIGINT: checkpoint and stop) and /api/checkpoint (SIGUSR2: checkpoint and go on). */
  async signal(name: string, signal: 'SIGINT' | 'SIGUSR2'): Promise<{ pid: number }> {
    const folder = await this.folderOf(name);
    const holder = await liveHolder(folder);
    if (!holder) {
      const starting = this.children.has(name) ? ' yet (its trainer is still starting: try again in a moment)' : '';
      throw new SteerError(409, `Expected a trainer holding ${name} but none does${starting}`);
    }
    if (holder.host !== hostname())
      throw new SteerError(409, `Expected ${name}'s trainer on this host but it runs on ${holder.host}; stop it there`);
    if (!(await isGankitTrainer(holder.pid)))
      throw new SteerError(
        409,
        `Expected process ${holder.pid}, which holds ${name}'s lock, to be gankit train but it is not; ` +
          `if the run is not training, delete ${path.join(folder, 'lock')}`,
      );
    // A signal the process does not handle would end it at once, with no checkpoint.
    if (!(await catchesSignal(holder.pid, signal)))
      throw new SteerError(
        409,
        signal === 'SIGUSR2'
          ? `Expected ${name}'s trainer (process ${holder.pid}) to answer SIGUSR2 with a checkpoint but it does not ` +
              '(a gankit from before the dashboard); pause it instead, which checkpoints'
          : `Expected ${name}'s trainer (process ${holder.pid}) to be ready for ${signal} but it is still starting; ` +
              'try again in a moment',
      );
    process.kill(holder.pid, signal);
    return { pid: holder.pid };
  }

  private async folderOf(name: string): Promise<string> {
    const folder = await this.runs.folder(name);
    if (!folder) throw new SteerError(404, `Expected a run name from /api/runs but received ${show(name)}`);
    return folder;
  }

  /** Starts `gankit train ARGS` detached, output appended to the run's train.log; forgets it when it exits. */
  private start(name: string, folder: string, args: string[]): number {
    const logFile = path.join(folder, TRAIN_LOG);
    const log = openSync(logFile, 'a');
    try {
      const child = spawn(process.execPath, [CLI, ...args], {
        detached: true,
        stdio: ['ignore', log, log],
        cwd: this.root,
        env: { ...process.env, GANKIT_PROGRESS_EVERY: process.env.GANKIT_PROGRESS_EVERY ?? '10' },
      });
      const pid = child.pid;
      if (pid === undefined) throw new Error(`Failed to start ${process.execPath} ${CLI} ${args.join(' ')}`);
      this.children.set(name, pid);
      child.on('exit', (code, signal) => {
        this.children.delete(name);
        // How it ended, for whoever reads the log (the page, or a person after a crash).
        const how = code !== null ? `with code ${code}` : `by the signal ${signal}`;
        fs.appendFile(logFile, `gankit dash: the trainer (process ${pid}) exited ${how}\n`).catch(() => undefined);
      });
      child.unref();
      return pid;
    } finally {
      closeSync(log);
    }
  }
}

/**
 * Whether `pid` runs gankit's train command: its command line (Linux /proc) has a
 * gankit entry point followed by `train`. Elsewhere we cannot tell and say no.
 */
async function isGankitTrainer(pid: number): Promise<boolean> {
  if (!processAlive(pid)) return false;
  const text = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  if (text === undefined) return false;
  const args = text.split('\0');
  const entry = args.findIndex((a) => /(^|\/)(gankit|main\.js)$/.test(a));
  return entry >= 0 && args.slice(entry + 1).includes('train');
}

/** Whether `pid` handles `signal` (Linux: the SigCgt mask of /proc/PID/status); elsewhere we cannot tell and say no. */
async function catchesSignal(pid: number, signal: NodeJS.Signals): Promise<boolean> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const mask = status && /^SigCgt:\s*([0-9a-f]+)$/im.exec(status)?.[1];
  if (!mask) return false;
  return ((BigInt(`0x${mask}`) >> BigInt(constants.signals[signal] - 1)) & 1n) === 1n;
}
