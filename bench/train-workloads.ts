// The bench's end-to-end workloads: `gankit train` itself, run through a build's own CLI
// (its dist/src/cli/main.js) on the native backend, so that a change to the trainer (the
// step it drives, its loss reads, its record) shows in the time, which the step rows of
// workloads.ts cannot show: they time the bench's own step. Every option passed exists in
// the CLI since 2c82a38 (the commit before the asynchronous loss reads), so either build
// can be the baseline; a run's settings are otherwise the defaults of both builds.
// ms/step is the training loop's own seconds over its steps: stats.jsonl's line for the
// last step carries the seconds from the first step's start (after the data and models
// are ready) to that step's end. metrics.json's `seconds` would also count the final
// evaluation, checkpoint and pictures, which are not the trainer's steps (on train-mlp2d
// at 200 steps they took 1.3 s of 4.5); the row's note gives both.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from './measure.js';

export interface TrainWorkload {
  /** The `gankit train` options, less --steps and --out. */
  options: string[];
  /** Steps of a full measurement (--train-steps overrides it). */
  steps: number;
  /** The batch `gankit train` picks for these options. */
  batch: number;
}

const quiet = ['--seed', '1', '--plot-every', '0', '--checkpoint-every', '0'];

export const TRAIN_WORKLOADS: Record<string, TrainWorkload> = {
  // The MLP GAN on ring8; no evaluation but the final one, no live.json.
  'train-mlp2d': {
    options: ['--data', 'ring8', ...quiet, '--eval-every', '0', '--live-every', '0'],
    steps: 4000,
    batch: 256,
  },
  // DCGAN on Fashion-MNIST (the 28-pixel preset), without the FID at the end.
  'train-dcgan28': {
    options: ['--data', 'fashion-mnist', '--model', 'dcgan', ...quiet, '--eval-metrics', 'none'],
    steps: 300,
    batch: 64,
  },
};

/** The training loop's seconds from a run's stats.jsonl: its step line for `steps` (the last one written). */
export function loopSeconds(statsText: string, steps: number): number | undefined {
  let seconds: number | undefined;
  for (const text of statsText.split('\n')) {
    if (!text.startsWith('{')) continue;
    const line = JSON.parse(text) as { step?: number; lossD?: unknown; seconds?: unknown };
    if (line.step === steps && 'lossD' in line && typeof line.seconds === 'number') seconds = line.seconds;
  }
  return seconds;
}

/** Runs `node <cliMain> train ...` for `name` on native in a temporary run folder (removed after) and returns its row. */
export function measureTraining(cliMain: string, name: string, steps?: number): Row {
  const w = TRAIN_WORKLOADS[name];
  const n = steps ?? w.steps;
  const dir = mkdtempSync(join(tmpdir(), 'gankit-bench-train-'));
  const failed = (why: string): Row => ({
    workload: name,
    backend: 'native',
    batch: w.batch,
    stepMs: null,
    skipped: why,
  });
  try {
    const out = join(dir, 'run');
    const r = spawnSync(process.execPath, [cliMain, 'train', ...w.options, '--steps', String(n), '--out', out], {
      encoding: 'utf8',
      timeout: 1_800_000,
      env: { ...process.env, GANKIT_BACKEND: 'native' },
    });
    if (r.status !== 0) {
      const last = `${r.stderr ?? ''}`.trim().split('\n').slice(-1)[0];
      return failed(`gankit train failed: ${last || `exit ${r.status ?? r.signal}`}`);
    }
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as {
      seconds: number;
      backend: string;
      rollbacks?: number;
    };
    const options = JSON.parse(readFileSync(join(out, 'options.json'), 'utf8')) as { batchSize: number };
    const loop = loopSeconds(readFileSync(join(out, 'stats.jsonl'), 'utf8'), n);
    if (loop === undefined) return failed(`its stats.jsonl has no step line for step ${n}`);
    if (metrics.backend !== 'native') return failed(`it trained on ${metrics.backend}, not native`);
    // A rollback redoes steps: the time would no longer be that of n steps.
    const redone = metrics.rollbacks ? `; ${metrics.rollbacks} rollbacks (steps redone)` : '';
    return {
      workload: name,
      backend: 'native',
      batch: options.batchSize,
      stepMs: (loop / n) * 1000,
      note: `gankit train, ${n} steps: ${loop.toFixed(1)} s of training loop, ${metrics.seconds.toFixed(1)} s with the final evaluation and pictures${redone}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
