// The training run: plan it (plan.ts), build the players (players.ts), then loop over
// steps and keep the run directory up to date — options.json before step 1, stats.jsonl,
// pictures, checkpoints and, at the end, metrics.json. What depends on the kind of data
// (evaluation, pictures, final numbers) is the task's (tasks/).
import { promises as fs } from 'node:fs';
import type { BackendChoice } from '../backend/index.js';
import { latestCheckpoint, saveCheckpoint } from '../run/checkpoint.js';
import { writeOptionsFile } from '../run/options-file.js';
import { runPaths } from '../run/paths.js';
import { History, type RunMetrics, type StepStats } from '../run/stats.js';
import { writeFileAtomic } from '../io/atomic.js';
import { FailureWatch } from './failures.js';
import type { TrainOptions } from './options.js';
import { planRun, type RunPlan, type TrainRequest } from './plan.js';
import { buildPlayers, restorePlayers, type Players } from './players.js';
import type { DataTask } from './tasks/task.js';
import { toyTask } from './tasks/toy.js';
import { imageTask } from './tasks/images.js';

export type { TrainRequest } from './plan.js';

export interface TrainHooks {
  /** Called once before the first step: the run's length and, for image data, its epochs. */
  onStart?(plan: TrainPlan): void;
  /** Called after every step (the CLI's progress bar). */
  onStep?(step: number, total: number, stats: StepStats): void;
  /** Evaluations, checkpoints, warnings: one line each. */
  onEvent?(message: string): void;
  /** When aborted, the run saves a checkpoint after the current step and returns. */
  signal?: AbortSignal;
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
  seconds: number;
  /** Set when the run stopped early on its abort signal; it can be resumed. */
  interruptedAt?: number;
}

export async function train(request: TrainRequest, hooks: TrainHooks = {}): Promise<TrainResult> {
  const say = hooks.onEvent ?? (() => {});

  // ── Plan: every option resolved, the data open ─────────────────────────────────
  const plan = await planRun(request, say);
  const { options, runDir, backend } = plan;
  const players = await buildPlayers(plan, request.networks);
  const { gan } = players;

  // ── The run directory: the resumed record, or a fresh one ──────────────────────
  const { start, history } = await openRecord(plan, players, say);
  await writeOptionsFile(runDir, options);
  const watch = new FailureWatch(options.loss);
  const context = { plan, gan, sampler: players.sampler, history, watch, say };
  const task =
    plan.data.kind === 'toy'
      ? toyTask(context, plan.data.toy)
      : imageTask(context, plan.data.images, plan.data.batches);
  task.resumeAt(start);
  await task.prepare();

  // ── The loop ──────────────────────────────────────────────────────────────────
  const began = performance.now();
  const elapsed = () => (performance.now() - began) / 1000;
  const due = (every: number, step: number) => every > 0 && step % every === 0 && step < options.steps;
  const checkpoint = (step: number) => saveCheckpoint(runDir, players.models, gan.checkpointState(step));
  hooks.onStart?.({ firstStep: start + 1, steps: options.steps, batchSize: options.batchSize, ...task.epochs });
  for (let step = start + 1; step <= options.steps; step++) {
    if (hooks.signal?.aborted) {
      await history.flush();
      if (step - 1 > start) await checkpoint(step - 1);
      gan.dispose();
      return { runDir, options, backend, seconds: elapsed(), interruptedAt: step - 1 };
    }
    const scale = 1 - (1 - options.lrFinal) * ((step - 1) / options.steps);
    gan.scaleLearningRates(scale);
    const stats = gan.step(plan.data.batches);
    history.add({ step, ...stats, lr: options.lrG * scale, seconds: elapsed() });
    await watchStep(step, stats, { history, watch, task, say });
    hooks.onStep?.(step, options.steps, stats);

    if (due(options.evalEvery, step)) await task.evaluate(step, false);
    if (due(options.plotEvery, step)) await task.pictures(step, true);
    if (due(options.checkpointEvery, step)) {
      await history.flush();
      await checkpoint(step);
    }
    if (step % 200 === 0) await history.flush();
  }

  // ── The end: the final evaluation, checkpoint and pictures, then metrics.json ──
  await task.evaluate(options.steps, true);
  await history.flush();
  await checkpoint(options.steps);
  await task.pictures(options.steps, true);
  const { summary, metrics } = await task.finish();
  const seconds = elapsed();
  const epochs = task.epochs ? { epochs: options.steps / task.epochs.stepsPerEpoch } : {};
  const final = { ...summary, steps: options.steps, ...epochs, seconds, backend: backend.name };
  await writeFileAtomic(runPaths(runDir).metrics, JSON.stringify(final, null, 2) + '\n');
  gan.dispose();
  return { runDir, options, backend, metrics, seconds };
}

/** Resume: the players and the record as the latest checkpoint left them. New run: an empty record. */
async function openRecord(plan: RunPlan, players: Players, say: (message: string) => void) {
  const paths = runPaths(plan.runDir);
  await fs.mkdir(paths.root, { recursive: true });
  if (plan.resume) {
    const dir = await latestCheckpoint(paths.root);
    if (!dir)
      throw new Error(
        `Expected a checkpoint in ${paths.checkpoints} to resume from but found none; train without --resume`,
      );
    const start = await restorePlayers(players, dir);
    const history = await History.resume(paths.stats, start);
    say(`resumed from ${dir} at step ${start}`);
    return { start, history };
  }
  // A new run in an old directory: nothing of the old run may be mistaken for this one's.
  await Promise.all(
    [paths.checkpoints, paths.snapshots, paths.metrics].map((f) => fs.rm(f, { recursive: true, force: true })),
  );
  await fs.writeFile(paths.stats, '');
  return { start: 0, history: new History(paths.stats) };
}

/** Records a step's warning; a fatal one (non-finite losses) stops the run after a last picture. */
async function watchStep(
  step: number,
  stats: StepStats,
  r: { history: History; watch: FailureWatch; task: DataTask; say: (m: string) => void },
) {
  const problem = r.watch.check(step, stats);
  if (!problem) return;
  r.history.add({ step, warning: problem.message });
  if (problem.fatal) {
    await r.history.flush();
    await r.task.pictures(step, false).catch(() => {});
    throw new Error(problem.message);
  }
  r.say(`warning: ${problem.message}`);
}
