// Recovery from divergence instead of stopping: when the losses turn NaN/∞ or explode
// (failures.ts), the trainer rolls the players back to the last checkpoint (or to step
// 0 before the first one), halves both learning rates and trains on, at most --recover
// times. Each rollback is a line of stats.jsonl, so the halving survives a resume: the
// learning rates' scale is 0.5 to the number of rollbacks recorded up to the checkpoint.
// TF-GAN stops on check_numerics and restores by hand; halving the step size is the
// usual first remedy for an optimizer that overshoots.
import type { History, Rollback } from '../run/stats.js';

export class Recovery {
  private used: number;

  /** `allowed` rollbacks in all; those already in the record (a resumed run) count. */
  constructor(
    readonly allowed: number,
    history: History,
  ) {
    this.used = history.rollbacks().length;
  }

  /** The factor on both learning rates: halved once per rollback. */
  get lrScale(): number {
    return 0.5 ** this.used;
  }

  /** Rollbacks so far, those of earlier sessions of the run included. */
  get rollbacks(): number {
    return this.used;
  }

  canRollBack(): boolean {
    return this.used < this.allowed;
  }

  /** Counts a rollback from step `at` to step `to` and says what to record. */
  rollBack(at: number, to: number, reason: string): Rollback {
    this.used++;
    return { at, to, attempt: this.used, of: this.allowed, lrScale: this.lrScale, reason };
  }
}

export function describeRollback(r: Rollback): string {
  return (
    `rolled back from step ${r.at} to step ${r.to} and halved the learning rates (now ×${r.lrScale} of the ` +
    `configured ones; rollback ${r.attempt} of at most ${r.of}): ${r.reason}`
  );
}
