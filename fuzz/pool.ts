// A pool of worker processes that read fuzz cases, so that whatever a reader does to its
// process is seen from outside: a crash (abort, segfault, out of memory) is the child's
// death, a hang is a case that outlives its time limit (the child is killed), and an
// allocation sized by a header shows as the child's peak memory. A dead or killed child
// is replaced, and the pool goes on with the next case.
import { fork, type ChildProcess } from 'node:child_process';

/** What a child reports for one case (see fuzz/worker.ts). */
export type ChildAnswer =
  | { kind: 'accepted'; violation?: string; maxRssKb: number }
  | { kind: 'threw'; isError: boolean; name: string; message: string; syscall?: string; maxRssKb: number };

/** What the pool reports for one case. */
export type PoolAnswer =
  | ChildAnswer
  | { kind: 'crash'; detail: string }
  | { kind: 'hang'; detail: string }
  | { kind: 'huge allocation'; detail: string };

export interface PoolOptions {
  /** The worker script and its arguments. */
  script: string;
  args: string[];
  jobs: number;
  /** A case that takes longer is a hang. */
  timeoutMs: number;
  /** A child whose peak memory grows by more than this during a case has made a huge allocation. */
  memoryLimitMb: number;
}

interface Task {
  format: string;
  dir: string;
}

class Worker {
  readonly child: ChildProcess;
  /** Peak resident memory once the formats were imported, in KiB. */
  readonly ready: Promise<number>;
  private stderr = '';
  private pending?: (answer: PoolAnswer) => void;
  private exited = false;

  constructor(options: PoolOptions) {
    // The V8 heap is capped so that a runaway allocation ends in an out-of-memory crash, not swapping.
    this.child = fork(options.script, options.args, { silent: true, execArgv: ['--max-old-space-size=1536'] });
    this.child.stdout!.resume();
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-2000)));
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: { ready?: boolean; maxRssKb?: number }) => {
        if (m.ready) {
          this.child.off('message', onMessage);
          resolve(m.maxRssKb ?? 0);
        }
      };
      this.child.on('message', onMessage);
      this.child.once('exit', (code, signal) =>
        reject(new Error(`The fuzz worker died while starting (${signal ?? `exit code ${code}`}): ${this.stderr}`)),
      );
    });
    this.ready.catch(() => {}); // observed by run(); a child that never started must not crash the pool
    this.child.on('message', (m: ChildAnswer & { ready?: boolean }) => {
      if (!m.ready) this.settle(m);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      const last = this.stderr.trim().split('\n').slice(-3).join(' | ');
      this.settle({ kind: 'crash', detail: `the reader's process died (${signal ?? `exit code ${code}`}): ${last}` });
    });
  }

  /** Sends one case; the answer, or a crash or a hang. */
  run(task: Task, timeoutMs: number): Promise<PoolAnswer> {
    return new Promise((resolve) => {
      if (this.exited) return resolve({ kind: 'crash', detail: "the reader's process had died" });
      const timer = setTimeout(() => {
        this.settle({ kind: 'hang', detail: `no answer after ${timeoutMs / 1000} s` });
        this.kill();
      }, timeoutMs);
      this.pending = (answer) => {
        clearTimeout(timer);
        resolve(answer);
      };
      this.child.send(task);
    });
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private settle(answer: PoolAnswer): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.(answer);
  }
}

export class WorkerPool {
  private idle: Worker[] = [];
  private waiting: ((worker: Worker) => void)[] = [];
  private all = new Set<Worker>();

  constructor(private readonly options: PoolOptions) {
    for (let i = 0; i < options.jobs; i++) this.idle.push(this.spawn());
  }

  /** Reads one case in a child; never rejects for what the reader does. */
  async run(task: Task): Promise<PoolAnswer> {
    let worker = await this.acquire();
    let baseline: number;
    try {
      baseline = await worker.ready;
    } catch (err) {
      this.retire(worker);
      this.release(this.spawn());
      throw err; // the harness itself is broken: a worker that cannot start reads nothing
    }
    let answer = await worker.run(task, this.options.timeoutMs);
    if ('maxRssKb' in answer) {
      const grownMb = (answer.maxRssKb - baseline) / 1024;
      if (grownMb > this.options.memoryLimitMb) {
        answer = {
          kind: 'huge allocation',
          detail: `the reader's process grew by ${grownMb.toFixed(0)} MB (limit ${this.options.memoryLimitMb} MB)`,
        };
      }
    }
    if (answer.kind === 'crash' || answer.kind === 'hang' || answer.kind === 'huge allocation') {
      // A fresh child: the old one is dead, stuck, or holds a peak that would hide the next allocation.
      this.retire(worker);
      worker = this.spawn();
    }
    this.release(worker);
    return answer;
  }

  close(): void {
    for (const worker of this.all) this.retire(worker);
  }

  private spawn(): Worker {
    const worker = new Worker(this.options);
    this.all.add(worker);
    return worker;
  }

  private retire(worker: Worker): void {
    worker.kill();
    this.all.delete(worker);
  }

  private acquire(): Promise<Worker> {
    const worker = this.idle.pop();
    if (worker) return Promise.resolve(worker);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Worker): void {
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }
}
