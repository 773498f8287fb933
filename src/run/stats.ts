// The run's record: stats.jsonl, one JSON object per line. Step lines carry losses and
// D's outputs; evaluation lines carry "metrics"; warning lines carry "warning"; a resumed
// session starts with a "resume" line and a rollback leaves a "rollback" line. The
// same record is kept in memory for the curves picture. Lines are appended at least
// once a second while a run trains and flushed to the disk before each checkpoint; a
// resume reads them back as untrusted input (stats-file.ts) and rewrites the file
// atomically.
import { promises as fs } from 'node:fs';
import { explained, writeFileAtomic } from '../io/atomic.js';
import { readRecord } from './stats-file.js';
import type { ModeMetrics } from '../metrics/modes.js';
import type { ConditionalMetrics } from '../metrics/conditional.js';

/**
 * An evaluation's numbers: the mode metrics of the run's sampler (Jacobian-truncated
 * when the run asks for it, with G's own samples' metrics beside them as
 * `untruncated`), and for conditional runs how well G obeys its labels or codes.
 */
export type RunMetrics = ModeMetrics & ConditionalMetrics & { untruncated?: ModeMetrics };

export interface StepStats {
  /** D's loss (penalties included) on the last of the k D steps. */
  lossD: number;
  lossG: number;
  /** Mean σ(D(x)) on the real batch and σ(D(G(z))) on the generated batch of the last D step. */
  dReal: number;
  dFake: number;
  /**
   * ACGAN and InfoGAN: G's auxiliary loss on the last G step (class cross-entropy; the λ-weighted information loss).
   */
  aux?: number;
}

/** A divergence the trainer recovered from (src/train/recovery.ts); recorded at the step it went back to. */
export interface Rollback {
  /** The step whose losses diverged. */
  at: number;
  /** The checkpoint's step (0: the start) the players went back to. */
  to: number;
  /** 1 for the run's first rollback; `of` is --recover. */
  attempt: number;
  of: number;
  /** Both learning rates' factor from here on. */
  lrScale: number;
  reason: string;
}

/**
 * A resumed session, recorded at the checkpoint's step: the run's length from then on and,
 * when that length changed (--steps on --resume), the learning rates' schedule factor
 * at the next step, from which they decay linearly to --lr-final by the new last step
 * (src/train/schedule.ts) instead of jumping back up.
 */
export interface Resume {
  steps: number;
  lrScale?: number;
}

export type StatsLine =
  | ({ step: number; lr: number; seconds: number } & StepStats)
  | { step: number; metrics: RunMetrics }
  | { step: number; imageMetrics: Record<string, number> }
  | { step: number; warning: string }
  | { step: number; rollback: Rollback }
  | { step: number; resume: Resume };

export class History {
  readonly lines: StatsLine[] = [];
  /** What resume() repaired in the file (a torn last line dropped), in words; empty when nothing. */
  readonly repairs: string[] = [];
  private pending: string[] = [];

  constructor(readonly file: string) {}

  /**
   * Loads the lines of an earlier run up to and including `step` (its checkpoint's) and
   * rewrites the file to match, atomically. A torn or unreadable last line (a write cut
   * short by a full disk or a kill) is dropped and reported in `repairs`; lines after
   * `step` belong to the interrupted future and are dropped. Refuses a record whose lines
   * up to `step` are damaged or miss a step, naming the file and line.
   */
  static async resume(file: string, step: number): Promise<History> {
    const history = new History(file);
    const { lines, repairs } = await readRecord(file, step);
    history.lines.push(...lines.map((l) => l.value as StatsLine));
    history.repairs.push(...repairs);
    await writeFileAtomic(file, lines.map((l) => l.text + '\n').join(''), 'rewriting the run record');
    return history;
  }

  add(line: StatsLine): void {
    this.lines.push(line);
    this.pending.push(JSON.stringify(line) + '\n');
  }

  /**
   * Appends the pending lines, in one write of whole lines (so only the last line can be torn, by a kill or a
   * full disk), and flushes them to the disk (a checkpoint follows a flush). `sync: false` leaves the flush
   * to the system: the trainer's appends every second, for readers such as the dashboard, need no fsync.
   */
  async flush({ sync = true }: { sync?: boolean } = {}): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    try {
      const handle = await fs.open(this.file, 'a');
      try {
        await handle.appendFile(text);
        if (sync) await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (err) {
      throw explained(err, this.file, 'appending to the run record');
    }
  }

  steps(): (StatsLine & StepStats)[] {
    return this.lines.filter((l): l is StatsLine & StepStats => 'lossD' in l);
  }

  /** The image metrics (fid10k, …) recorded every --eval-every steps of an image run. */
  imageEvaluations(): { step: number; imageMetrics: Record<string, number> }[] {
    return this.lines.filter((l): l is { step: number; imageMetrics: Record<string, number> } => 'imageMetrics' in l);
  }

  rollbacks(): Rollback[] {
    return this.lines.flatMap((l) => ('rollback' in l ? [l.rollback] : []));
  }

  /** The sessions after the first, each at the step it resumed from. */
  resumes(): { step: number; resume: Resume }[] {
    return this.lines.filter((l): l is { step: number; resume: Resume } => 'resume' in l);
  }

  evaluations(): { step: number; metrics: RunMetrics }[] {
    return this.lines.filter((l): l is { step: number; metrics: RunMetrics } => 'metrics' in l);
  }
}
