// What depends on the kind of data a run trains on: how G is measured, which pictures
// are drawn, and what metrics.json holds. The loop (trainer.ts) calls one task, never
// asking which kind it has; each kind is one file beside this one.
import type * as tfl from '@tensorflow/tfjs-layers';
import type { History, RunMetrics } from '../../run/stats.js';
import type { Gan } from '../gan.js';
import type { FailureWatch } from '../failures.js';
import type { RunPlan } from '../plan.js';

/** What a task works with: the plan, the players and the run's record. */
export interface TaskContext {
  plan: RunPlan;
  gan: Gan;
  /** The generator that samples (G's moving average when there is one). */
  sampler: tfl.LayersModel;
  history: History;
  watch: FailureWatch;
  say(message: string): void;
}

export interface DataTask {
  /** Image data: steps per pass over the training set, and examples in it. */
  readonly epochs?: { stepsPerEpoch: number; examples: number };
  /** Puts the data where it was after `step` steps (image batches follow from the seed and the epoch). */
  resumeAt(step: number): void;
  /** Before step 1: what the evaluations need (image metrics: the real data's statistics). */
  prepare(): Promise<void>;
  /** Measures G at `step` and records the numbers; `final` at the end of the run. */
  evaluate(step: number, final: boolean): Promise<void>;
  /** Whether evaluate measures anything at the end (not on images with --eval-metrics none); known after prepare. */
  endsWithEvaluation(): boolean;
  /** The run's pictures at `step`; `snapshot` also keeps a copy under snapshots/. */
  pictures(step: number, snapshot: boolean): Promise<void>;
  /** 1D/2D data: live.json's picture of the game as the players are now (train/live.ts); image data has none. */
  liveFrame?(): Promise<Record<string, unknown>>;
  /**
   * After the last checkpoint: the kind's numbers for metrics.json, the 2D metrics for the
   * caller, and the final flat scores with `_real` references (images, 1D) for the caller.
   */
  finish(): Promise<{ summary: Record<string, unknown>; metrics?: RunMetrics; scores?: Record<string, number> }>;
}

/**
 * The task with G's moving average readied before each use of the sampler: its
 * batch-norm statistics recomputed from its own activations (Gan.settleAverage; a no-op
 * without an average or without batch norm, and when nothing moved since), quickly for
 * pictures and exactly for evaluations (the final pictures come after the final
 * evaluation and checkpoint, so they show what `gankit sample` draws).
 */
export function withSettledSampler(task: DataTask, gan: Gan): DataTask {
  return {
    ...task,
    evaluate: (step, final) => (gan.settleAverage(), task.evaluate(step, final)),
    pictures: (step, snapshot) => (gan.settleAverage('quick'), task.pictures(step, snapshot)),
    ...(task.liveFrame ? { liveFrame: () => (gan.settleAverage('quick'), task.liveFrame!()) } : {}),
  };
}
