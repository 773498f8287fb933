// The training run: plan it (plan.ts), build the players (players.ts), then loop over
// steps and keep the run directory up to date — options.json before step 1, stats.jsonl,
// pictures, checkpoints and, at the end, metrics.json; for the dashboard, stats.jsonl is
// appended at least once a second and toy runs rewrite live.json (live.ts). What depends
// on the kind of data (evaluation, pictures, final numbers) is the task's (tasks/).
//
// Nothing in the run folder changes until every check has passed (plan.ts, the folder's
// state, the players' shapes, the lock); then the run is locked to this process
// (run/lock.ts). A divergence rolls back (recovery.ts); an abort signal (SIGINT,
// SIGTERM in the CLI) is seen after the current step, which saves a checkpoint; a
// checkpoint request (SIGUSR2) saves one after the current step and training goes on.
import { promises as fs } from 'node:fs';
import type { BackendChoice } from '../backend/index.js';
import { latestCheckpoint, saveCheckpoint } from '../run/checkpoint.js';
import { writeOptionsFile } from '../run/options-file.js';
import { runPaths } from '../run/paths.js';
import { History, type Rollback, type RunMetrics, type StepStats } from '../run/stats.js';
import { lockRun } from '../run/lock.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { FileError } from '../io/file-errors.js';
import { FailureWatch, nonFiniteWeights, type Problem } from './failures.js';
import type { TrainOptions } from './options.js';
import { planRun, type TrainRequest } from './plan.js';
import { buildPlayers, captureStart, restorePlayers, restoreStart, weightsFinite, type Players } from './players.js';
import { Recovery, describeRollback } from './recovery.js';
import { checkOutFolder, openRecord } from './record.js';
import { injectFaults } from './faults.js';
import { LiveOutput } from './live.js';
import { replanSchedule, scheduleAnchor, scheduleScale } from './schedule.js';
import { withSettledSampler, type DataTask } from './tasks/task.js';
import { toyTask } from './tasks/toy.js';
import { imageTask } from './tasks/images.js';
import { verdict, verdictKind } from './verdict.js';

export type { TrainRequest } from './plan.js';

export interface TrainHooks {
  /** Work before the first step that may take a while (the CLI shows it with its elapsed time). */
  onPhase?(text: string): void;
  /** Called once before the first step: the run's length and, for image data, its epochs. */
  onStart?(plan: TrainPlan): void;
  /** Called after every step (the CLI's progress bar). */
  onStep?(step: number, total: number, stats: StepStats): void;
  /** Evaluations, checkpoints, warnings, rollbacks: one line each. */
  onEvent?(message: string): void;
  /** When aborted, the run saves a checkpoint after the current step and returns. */
  signal?: AbortSignal;
  /** Polled after every step: true asks for a checkpoint after it, and training goes on (the CLI's SIGUSR2). */
  checkpointRequested?(): boolean;
  /** Fault injection for tests: a NaN in the first real batch of this step (once; a rollback does not repeat it). */
  nanAtStep?: number;
  /** Fault injection for tests: every step blocks the thread this many milliseconds longer. */
  slowStepMs?: number;
}

export interface TrainPlan {
  /** The first step this call trains (1, or one past a resumed checkpoint) and the last. */
  firstStep: number;
  steps: number;
  batchSize: number;
  /** Image data: steps per pass over the training set (the last batch may be smaller). */
  stepsPerEpoch?: number;
  /** Image data: examples in the training set. */
  examples?: number;
}

export interface TrainResult {
  runDir: string;
  options: TrainOptions;
  backend: BackendChoice;
  /** Final mode metrics (mixture data only), with the conditional metrics of conditional runs. */
  metrics?: RunMetrics;
  /** Final scores of image and 1D runs, flat, each beside its real-vs-real reference (`fid10k`, `fid10k_real`). */
  scores?: Record<string, number>;
  /**
   * One sentence: how good the result is and what to look at next (train/verdict.ts; metrics.json's
   * `verdict`). None when interrupted.
   */
  verdict?: string;
  /** Seconds this call trained (metrics.json's `seconds` counts every session of the run). */
  seconds: number;
  /** Steps this call trained: all of them, or those after the checkpoint it resumed from. */
  trainedSteps: number;
  /** Set when the run stopped early on its abort signal; it can be resumed. */
  interruptedAt?: number;
  /** Warnings of the run (mode collapse, exploded losses, …), in the order they were recorded. */
  warnings: string[];
  /** Divergences recovered by rolling back (recovery.ts), earlier sessions of the run included. */
  rollbacks: Rollback[];
}

export async function train(request: TrainRequest, hooks: TrainHooks = {}): Promise<TrainResult> {
  const say = hooks.onEvent ?? (() => {});

  // ── Plan: every option resolved and checked, the data open; the run folder untouched ──
  const plan = await planRun(request, say);
  await checkOutFolder(plan);
  hooks.onPhase?.('building the networks');
  const players = await buildPlayers(plan, request.networks);
  await fs.mkdir(plan.runDir, { recursive: true });
  const lock = await lockRun(plan.runDir, say).catch((err) => {
    disposePlayers(players, request);
    throw err;
  });
  try {
    return await trainLocked(plan, players, hooks, say);
  } catch (err) {
    throw await withResumeHint(err, plan.runDir);
  } finally {
    disposePlayers(players, request);
    lock.release();
  }
}

type Plan = Awaited<ReturnType<typeof planRun>>;

async function trainLocked(plan: Plan, players: Players, hooks: TrainHooks, say: (m: string) => void) {
  const { options, runDir, backend } = plan;
  const { gan } = players;

  // ── The run directory: the resumed record, or a fresh one ──────────────────────
  const { start, history } = await openRecord(plan, players, say);
  say(`run directory: ${runDir}`); // only once every check has passed: a refused command names none
  let anchor = start > 0 ? resumeSchedule(plan, start, history, say) : undefined;
  await writeOptionsFile(runDir, options);
  const watch = new FailureWatch(options.loss);
  const recovery = new Recovery(options.recover, history);
  const context = { plan, gan, sampler: players.sampler, history, watch, say };
  const dataTask =
    plan.data.kind === 'toy'
      ? toyTask(context, plan.data.toy)
      : imageTask(context, plan.data.images, plan.data.batches);
  const task = withSettledSampler(dataTask, gan); // G's average readied before it samples
  task.resumeAt(start);
  hooks.onPhase?.('preparing the run');
  await task.prepare();

  // ── The loop ──────────────────────────────────────────────────────────────────
  // Seconds count across sessions: a resumed run goes on from its record's last step line.
  const last = history.steps().at(-1) as { seconds?: number } | undefined;
  const before = last?.seconds ?? 0;
  const began = performance.now();
  const thisCall = () => (performance.now() - began) / 1000;
  const elapsed = () => before + thisCall();
  const due = (every: number, step: number) => every > 0 && step % every === 0 && step < options.steps;
  // Before the first checkpoint a divergence rolls back to the start, kept in memory.
  let startState = start === 0 && options.recover > 0 ? await captureStart(players) : undefined;
  // Callers have checked the weights are finite: a checkpoint is never written from a diverged state.
  const checkpoint = async (step: number) => {
    await history.flush();
    await saveCheckpoint(runDir, players.models, await gan.checkpointState(step));
    startState = undefined;
  };
  const rollBack = async (at: number, problem: Problem): Promise<number> => {
    await history.flush();
    const dir = await latestCheckpoint(runDir);
    const to = dir ? await restorePlayers(players, dir) : restoreStart(players, startState!);
    const kept = await History.resume(history.file, to);
    history.lines.splice(0, history.lines.length, ...kept.lines);
    anchor = scheduleAnchor(history); // gone with the rest of that future if the rollback went back past it
    const rollback = recovery.rollBack(at, to, problem.message);
    history.add({ step: to, rollback });
    await history.flush();
    task.resumeAt(to);
    say(describeRollback(rollback));
    return to;
  };
  const live = new LiveOutput(history, runDir, options.liveEvery, task.liveFrame && (() => task.liveFrame!()), say);
  const batches = injectFaults(plan.data.batches, { nanAt: hooks.nanAtStep, slowStepMs: hooks.slowStepMs });
  const r = { history, watch, task, say };
  hooks.onStart?.({ firstStep: start + 1, steps: options.steps, batchSize: options.batchSize, ...task.epochs });
  for (let step = start + 1; step <= options.steps; step++) {
    // Signals are delivered by the event loop: give it a turn, so an abort is seen after this step.
    await new Promise((resolve) => setImmediate(resolve));
    if (hooks.signal?.aborted) {
      if (step - 1 > start && (await weightsFinite(players))) await checkpoint(step - 1);
      else await history.flush();
      if (step - 1 > start) await live.lastFrame(step - 1);
      const stopped = { seconds: thisCall(), trainedSteps: step - 1 - start, interruptedAt: step - 1 };
      return { runDir, options, backend, ...stopped, warnings: warningsOf(history), rollbacks: history.rollbacks() };
    }
    const scale = scheduleScale(step, options.steps, options.lrFinal, anchor) * recovery.lrScale;
    gan.scaleLearningRates(scale);
    batches.step = step;
    const stats = await gan.step(batches);
    history.add({ step, ...stats, lr: options.lrG * scale, seconds: elapsed() });
    hooks.onStep?.(step, options.steps, stats);
    const problem = watch.check(step, stats);
    if (problem?.diverged && recovery.canRollBack()) {
      step = await rollBack(step, problem);
      continue;
    }
    if (problem) {
      const tried =
        recovery.rollbacks > 0 ? ` (${recovery.rollbacks} rollbacks with halved learning rates did not help)` : '';
      await report(step, { ...problem, message: problem.message + (problem.diverged ? tried : '') }, r);
    }

    if (due(options.evalEvery, step)) await task.evaluate(step, false);
    if (due(options.plotEvery, step)) await task.pictures(step, true);
    // A request at the last step is answered by the final checkpoint.
    const asked = hooks.checkpointRequested?.() === true && step < options.steps;
    if (due(options.checkpointEvery, step) || asked) {
      // Finite losses, then an update that overflowed: never checkpoint it, roll back as for a divergence.
      const broken = (await weightsFinite(players)) ? undefined : nonFiniteWeights(step);
      if (broken && recovery.canRollBack()) {
        step = await rollBack(step, broken);
        continue;
      }
      if (broken) await report(step, broken, r);
      await checkpoint(step);
      if (asked) say(`checkpoint at step ${step}, as asked; training goes on`);
    }
    await live.afterStep(step);
  }

  // ── The end: the final evaluation, checkpoint and pictures, then metrics.json ──
  await live.lastFrame(options.steps); // the final weights, which the page keeps showing
  hooks.onPhase?.(`final ${task.endsWithEvaluation() ? 'evaluation, ' : ''}checkpoint and pictures`);
  await task.evaluate(options.steps, true);
  if (!(await weightsFinite(players))) await report(options.steps, nonFiniteWeights(options.steps), r);
  await checkpoint(options.steps);
  await task.pictures(options.steps, true);
  const { summary, metrics, scores } = await task.finish();
  const seconds = thisCall();
  const epochs = task.epochs ? { epochs: options.steps / task.epochs.stepsPerEpoch } : {};
  const warnings = warningsOf(history);
  const rollbacks = history.rollbacks().length;
  const total = { seconds: elapsed() };
  const numbers = { ...summary, steps: options.steps, ...epochs, ...total, backend: backend.name, rollbacks, warnings };
  const kind = verdictKind(plan.data);
  const sentence = verdict({ kind, data: options.data, final: numbers, warnings, runDir, loss: options.loss });
  const final = { ...numbers, verdict: sentence };
  await writeFileAtomic(runPaths(runDir).metrics, JSON.stringify(final, null, 2) + '\n');
  const trainedSteps = options.steps - start;
  const ended = { metrics, ...(scores ? { scores } : {}), verdict: sentence };
  return { runDir, options, backend, ...ended, seconds, trainedSteps, warnings, rollbacks: history.rollbacks() };
}

/**
 * Records the resumed session; a new length re-plans the learning rates' schedule from
 * the rate reached (schedule.ts), and says so. Returns the schedule's anchor, if any.
 */
function resumeSchedule(plan: Plan, start: number, history: History, say: (m: string) => void) {
  const { steps, lrFinal } = plan.options;
  const before = plan.previousSteps ?? steps;
  const replanned = replanSchedule(history, start, before, steps, lrFinal);
  history.add({ step: start, resume: { steps, ...(replanned ? { lrScale: replanned.lrScale } : {}) } });
  if (replanned && lrFinal !== 1) {
    const percent = (x: number) => `${+(100 * x).toFixed(1)}%`;
    say(
      `learning rates: the run now ends at step ${steps} (it was ${before}); they go on from ` +
        `${percent(replanned.lrScale)} of their set values, where the schedule had reached, and decay to ` +
        `${percent(lrFinal)} (--lr-final) by step ${steps}`,
    );
  }
  return replanned ?? scheduleAnchor(history);
}

/** Frees the players' tensors: the optimizers' slots, G, D and G's average; the caller's own networks stay theirs. */
function disposePlayers(players: Players, request: TrainRequest): void {
  players.gan.dispose();
  if (!request.networks) {
    players.models.generator.dispose();
    players.models.discriminator.dispose();
  }
  players.models.generatorAverage?.dispose();
}

/** A failed write (a full disk, a permission) leaves the last checkpoint intact: say how to go on from it. */
async function withResumeHint(err: unknown, runDir: string): Promise<unknown> {
  if ((err as FileError).file === undefined) return err;
  const resumable = (await latestCheckpoint(runDir).catch(() => undefined)) !== undefined;
  const next = resumable
    ? `The last checkpoint is intact: once that is fixed, continue with gankit train --resume --out ${runDir}`
    : `No checkpoint was written yet: once that is fixed, start again with gankit train --resume --out ${runDir}`;
  (err as Error).message += `. ${next}`;
  return err;
}

const warningsOf = (history: History) => history.lines.flatMap((l) => ('warning' in l ? [l.warning] : []));

/**
 * Records a problem the run cannot roll back from. Non-finite losses stop the run after
 * a last picture; exploded losses are a warning (once), and training goes on.
 */
async function report(
  step: number,
  problem: Problem,
  r: { history: History; watch: FailureWatch; task: DataTask; say: (m: string) => void },
) {
  if (problem.diverged && !problem.fatal && !r.watch.reportExplosion()) return;
  r.history.add({ step, warning: problem.message });
  if (problem.fatal) {
    await r.history.flush();
    await r.task.pictures(step, false).catch(() => {});
    throw new Error(problem.message);
  }
  r.say(`warning: ${problem.message}`);
}
