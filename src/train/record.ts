// The run folder before the first step. checkOutFolder runs before anything is written:
// a new run may go into a missing or empty folder, or replace a run when asked to
// (--force); never into a folder of other files. openRecord then, holding the lock,
// restores a resumed run (players and stats.jsonl as the checkpoint left them) or
// clears a replaced one. A run stopped before its first checkpoint resumes from step 0.
import { promises as fs } from 'node:fs';
import { findCheckpoint, removeTemporaries } from '../run/checkpoint.js';
import { folderState, removeRunFiles } from '../run/contents.js';
import { runPaths, type RunPaths } from '../run/paths.js';
import { History } from '../run/stats.js';
import type { RunPlan } from './plan.js';
import { restorePlayers, type Players } from './players.js';

export async function checkOutFolder(plan: RunPlan): Promise<void> {
  if (plan.resume) return; // the plan has read the run's options.json: it is a run
  const dir = plan.runDir;
  const state = await folderState(dir);
  if (state.kind === 'run' && !plan.replace) {
    throw new Error(
      `Expected --out to name a new folder but ${dir} holds a run; continue it with gankit train --resume --out ` +
        `${dir}, or replace it (its checkpoints, record and pictures are deleted) with --force`,
    );
  }
  if (state.kind === 'other') {
    const some = state.entries.slice(0, 3).join(', ') + (state.entries.length > 3 ? ', …' : '');
    throw new Error(
      `Expected --out to name a new or empty folder, or a run, but ${dir} ` +
        (state.entries.length > 0 ? `holds other files (${some})` : 'is a file') +
        '; choose another folder',
    );
  }
}

/** Resume: the players and the record as the latest checkpoint left them. New run: an empty record. */
export async function openRecord(plan: RunPlan, players: Players, say: (message: string) => void) {
  const paths = runPaths(plan.runDir);
  if (plan.resume) {
    const found = await findCheckpoint(paths.root);
    if (found?.note) say(`note: ${found.note}`);
    const dir = found?.dir;
    if (!dir) {
      // Stopped before its first checkpoint: a run is a function of its options, so it starts over.
      say(`no checkpoint yet in ${paths.checkpoints}: starting the run from step 0 with its recorded options`);
      return startOver(paths, say);
    }
    const start = await restorePlayers(players, dir);
    if (plan.options.steps < start)
      throw new Error(
        `Expected --steps ≥ ${start} (the step of ${dir}) to resume ${paths.root} but received ` +
          `${plan.options.steps}; a run cannot be shortened: sample or export it as it is`,
      );
    refuseExtendingAtRateZero(plan, start);
    await cleanUp(paths.root, say);
    const history = await History.resume(paths.stats, start);
    for (const repair of history.repairs) say(`repaired ${paths.stats}: ${repair}`);
    say(`resumed from ${dir} at step ${start}`);
    return { start, history };
  }
  return startOver(paths, say);
}

/**
 * A run that finished with --lr-final 0 ended at learning rate 0, and its schedule goes
 * on from there (schedule.ts): more steps would change nothing. Refused before the run's
 * files change.
 */
function refuseExtendingAtRateZero(plan: RunPlan, start: number): void {
  const { steps, lrFinal } = plan.options;
  if (lrFinal !== 0 || plan.previousSteps === undefined || start < plan.previousSteps || steps <= start) return;
  throw new Error(
    `Expected a run whose learning rates have not decayed to 0 to extend with --steps, but ${plan.runDir} ` +
      `finished its ${start} steps at rate 0 (--lr-final 0), and the schedule goes on from the rate reached: ` +
      `steps to ${steps} would change nothing. Train a longer run into a new folder (gankit train --steps ` +
      `${steps} --out NEW with the same options), or sample and export this one as it is`,
  );
}

/** Temporary files and folders a killed process left (none can be live: we hold the lock). */
async function cleanUp(run: string, say: (message: string) => void) {
  const removed = await removeTemporaries(run);
  if (removed.length > 0) say(`removed ${removed.length} temporary file(s) an interrupted process left in ${run}`);
}

async function startOver(paths: RunPaths, say: (message: string) => void) {
  await removeRunFiles(paths.root);
  await cleanUp(paths.root, say);
  await fs.writeFile(paths.stats, '');
  return { start: 0, history: new History(paths.stats) };
}
