// A progress line that stays alive: the main thread posts what it is doing
// (begin/update), and a worker thread (live-line-worker.ts) draws it — on a terminal a
// line redrawn four times a second, otherwise a plain line every few seconds. The
// main thread of a training run is busy for the whole of each step (the backends run
// synchronously), so a line drawn from it would freeze for as long as a step lasts;
// the worker keeps the clock, the ETA and "step 12 running 40s" moving meanwhile.
//
// Messages (log) are written at once by the main thread, over the line, which the
// worker then redraws below them. stop() waits (at most a second) until the worker has
// drawn its last line, so whatever is printed next comes after it.
import { writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { LineState } from './progress-format.js';
import type { LineMessage } from './live-line-worker.js';

export interface LiveLineOptions {
  /** Where the line and the messages go (default stdout; eval keeps stdout for its results). */
  stream?: 'stdout' | 'stderr';
  /** A terminal (redrawn line) or not (plain lines). Default: whether stdout is a terminal. */
  interactive?: boolean;
  /** Plain lines: seconds between two lines (default: GANKIT_PROGRESS_EVERY, else 10). */
  everySeconds?: number;
  /** Work that ends sooner than this shows nothing (default 0: shown at once). */
  showAfterSeconds?: number;
}

/** A piece of work the line shows (progress-format.ts's LineState says what each field draws). */
export interface Work {
  /** What is being done: "epoch 2/5 · step", "features of G's samples". */
  label: string;
  /** Units in all; 0 for work of unknown length (the line shows its time). */
  total: number;
  /** Shown after the rate: the losses, D's outputs. */
  detail?: string;
  /** One unit's name, for "step 12 running 40s" (default "step"; "" says nothing). */
  doneUnit?: string;
  /** The rate's unit and how many of them one unit is (images/s: the batch size). */
  rateUnit?: string;
  rateScale?: number;
  /** Where the count starts (a resumed run starts past 0). */
  startDone?: number;
}

/** Seconds between plain progress lines: GANKIT_PROGRESS_EVERY, else 10. */
export function progressEverySeconds(): number {
  const text = process.env.GANKIT_PROGRESS_EVERY;
  if (text === undefined || text === '') return 10;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(
      `Expected GANKIT_PROGRESS_EVERY to be a number of seconds (> 0) between progress lines but received "${text}"`,
    );
  }
  return seconds;
}

const POST_MS = 100;

export class LiveLine {
  private readonly worker: Worker;
  private readonly stopped = new Int32Array(new SharedArrayBuffer(4));
  private readonly interactive: boolean;
  private readonly fd: 1 | 2;
  private readonly stream: NodeJS.WriteStream;
  private state?: LineState;
  private work = 0;
  private lastPost = 0;
  private ended = false;
  private readonly onResize = () => this.post({ type: 'columns', columns: terminalColumns(this.stream) });

  constructor(options: LiveLineOptions = {}) {
    this.stream = options.stream === 'stderr' ? process.stderr : process.stdout;
    this.fd = options.stream === 'stderr' ? 2 : 1;
    this.interactive = options.interactive ?? Boolean(this.stream.isTTY);
    this.worker = new Worker(new URL('./live-line-worker.js', import.meta.url));
    this.worker.unref();
    this.post({
      type: 'config',
      fd: this.fd,
      interactive: this.interactive,
      columns: terminalColumns(this.stream),
      everyMs: 1000 * (options.everySeconds ?? progressEverySeconds()),
      showAfterMs: 1000 * (options.showAfterSeconds ?? 0),
      createdAt: Date.now(),
      done: this.stopped,
    });
    if (this.interactive) this.stream.on('resize', this.onResize);
  }

  /** Starts a new piece of work; the previous one's last line stays above it. */
  begin(work: Work): void {
    const now = Date.now();
    this.work++;
    this.state = {
      label: work.label,
      done: work.startDone ?? 0,
      total: work.total,
      detail: work.detail,
      doneUnit: work.doneUnit ?? 'step',
      rateUnit: work.rateUnit ?? 'steps',
      rateScale: work.rateScale ?? 1,
      startedAt: now,
      startDone: work.startDone ?? 0,
      updatedAt: now,
    };
    this.send(now);
  }

  /** The count (and optionally the detail and label) now; posted at most ten times a second, and always at the end. */
  update(done: number, change: { detail?: string; label?: string } = {}): void {
    if (!this.state) return;
    const now = Date.now();
    this.state.done = done;
    if (change.detail !== undefined) this.state.detail = change.detail;
    if (change.label !== undefined) this.state.label = change.label;
    this.state.updatedAt = now;
    if (now - this.lastPost >= POST_MS || done >= this.state.total) this.send(now);
  }

  /** A message that stays: printed at once, with the line drawn again below it. */
  log(message: string): void {
    if (this.ended) return void writeLine(this.fd, message + '\n');
    writeLine(this.fd, (this.interactive ? '\r\x1b[K' : '') + message + '\n');
    this.post({ type: 'logged' });
  }

  /** Ends the current piece of work: its last line stays, and nothing is drawn until the next begin(). */
  end(): void {
    if (!this.state) return;
    this.state = undefined;
    this.post({ type: 'clear' });
  }

  /** Draws the last line and stops the worker; output after this comes after the line. */
  stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.stream.off('resize', this.onResize);
    this.post({ type: 'stop' });
    Atomics.wait(this.stopped, 0, 0, 1000);
    void this.worker.terminate();
  }

  private send(now: number): void {
    this.lastPost = now;
    this.post({ type: 'state', work: this.work, state: { ...this.state! } });
  }

  private post(message: LineMessage): void {
    if (message.type !== 'stop' && this.ended) return;
    this.worker.postMessage(message);
  }
}

/** Writes a whole line in one call (see the worker: lines never interleave). */
function writeLine(fd: number, text: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      writeSync(fd, text);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || attempt > 100) throw err;
    }
  }
}

/** The terminal's width; a pseudo-terminal without a size (script(1) without a terminal) has none: COLUMNS, else 80. */
function terminalColumns(stream: NodeJS.WriteStream): number {
  return stream.columns || Number(process.env.COLUMNS) || 80;
}

/**
 * Runs a command's work under a live line (on a terminal at once, in a log once it has
 * taken 2 s): its label and the time so far, and counted progress when the work reports
 * it. Messages go above it.
 */
export async function withProgress<T>(
  label: string,
  work: (progress: CommandProgress) => Promise<T>,
  options: LiveLineOptions = {},
): Promise<T> {
  // A terminal shows the line at once (no silence); a log only for work that takes 2 s.
  const stream = options.stream === 'stderr' ? process.stderr : process.stdout;
  const line = new LiveLine({ showAfterSeconds: stream.isTTY ? 0 : 2, ...options });
  line.begin({ label, total: 0 });
  let counting: string | undefined;
  try {
    return await work({
      say: (message) => line.log(message),
      count(done, total, what = label) {
        if (counting !== what) line.begin({ label: what, total, doneUnit: '', rateUnit: 'samples' });
        counting = what;
        line.update(done);
        if (done < total) return;
        // The count is done and its line stays; what follows (a metric's arithmetic) shows its own clock.
        counting = undefined;
        line.begin({ label, total: 0 });
      },
    });
  } finally {
    line.stop();
  }
}

/** What a command's work reports: messages, and counts of a named stage ("features of G's samples"). */
export interface CommandProgress {
  say(message: string): void;
  count(done: number, total: number, what?: string): void;
}
