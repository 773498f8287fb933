// The run's record: stats.jsonl, one JSON object per line. Step lines carry losses and
// D's outputs; evaluation lines carry "metrics"; warning lines carry "warning". The
// same record is kept in memory for the curves picture.
import { promises as fs } from 'node:fs';
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

export type StatsLine =
  | ({ step: number; lr: number; seconds: number } & StepStats)
  | { step: number; metrics: RunMetrics }
  | { step: number; imageMetrics: Record<string, number> }
  | { step: number; warning: string }
  | { step: number; rollback: Rollback };

export class History {
  readonly lines: StatsLine[] = [];
  private pending: string[] = [];

  constructor(readonly file: string) {}

  /** Loads the lines of an earlier run up to and including `step` and rewrites the file to match. */
  static async resume(file: string, step: number): Promise<History> {
    const history = new History(file);
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const parsed = JSON.parse(line) as StatsLine;
      if (parsed.step <= step) history.lines.push(parsed);
    }
    // Lines after the checkpoint belong to the interrupted future; the resumed run rewrites them.
    await fs.writeFile(file, history.lines.map((l) => JSON.stringify(l) + '\n').join(''));
    return history;
  }

  add(line: StatsLine): void {
    this.lines.push(line);
    this.pending.push(JSON.stringify(line) + '\n');
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    await fs.appendFile(this.file, text);
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

  evaluations(): { step: number; metrics: RunMetrics }[] {
    return this.lines.filter((l): l is { step: number; metrics: RunMetrics } => 'metrics' in l);
  }
}
