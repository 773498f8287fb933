// The learning rates' schedule: both decay linearly from their set values to --lr-final
// of them by the last step. A run resumed with a new length (--steps on --resume)
// continues from the rate it had reached and decays from there to --lr-final by the new
// last step; it never jumps back to the full rate. The point it continues from is
// recorded in stats.jsonl (a "resume" line with lrScale), so later resumes repeat it
// exactly. Rollbacks (recovery.ts) multiply this factor by their own.
import type { History } from '../run/stats.js';

/** Where a re-planned schedule starts: the step it was resumed at and the factor of the step after it. */
export interface ScheduleAnchor {
  step: number;
  lrScale: number;
}

/** The schedule's factor of the set learning rates at `step` (1-based) of a run of `steps` steps. */
export function scheduleScale(step: number, steps: number, lrFinal: number, anchor?: ScheduleAnchor): number {
  if (!anchor) return 1 - (1 - lrFinal) * ((step - 1) / steps);
  const { step: from, lrScale } = anchor;
  return lrScale + (lrFinal - lrScale) * ((step - from - 1) / (steps - from));
}

/** The record's latest re-planned schedule, if the run's length was ever changed on resume. */
export function scheduleAnchor(history: History): ScheduleAnchor | undefined {
  const last = history
    .resumes()
    .filter((r) => r.resume.lrScale !== undefined)
    .at(-1);
  return last && { step: last.step, lrScale: last.resume.lrScale! };
}

/**
 * The anchor for a run resumed at `start` whose length changes from `before` to `steps`
 * steps: the factor the next step had under the old plan. Undefined when the length is
 * unchanged (the old schedule goes on as it was).
 */
export function replanSchedule(
  history: History,
  start: number,
  before: number,
  steps: number,
  lrFinal: number,
): ScheduleAnchor | undefined {
  if (before === steps) return undefined;
  return { step: start, lrScale: scheduleScale(start + 1, before, lrFinal, scheduleAnchor(history)) };
}
