// What a run folder holds before a command writes to it, and how a run is replaced.
// gankit never overwrites a run unless asked to (train --force), and never deletes a
// file of a folder that is not a run.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LOCK_FILE } from './lock.js';
import { runPaths } from './paths.js';

/**
 * The output of a trainer the dashboard starts (src/dash/steer.ts): it is opened before
 * the trainer runs, so a folder holding only it is still a new one.
 */
export const TRAIN_LOG = 'train.log';

export type FolderState = { kind: 'missing' | 'empty' | 'run' } | { kind: 'other'; entries: string[] };

export async function folderState(dir: string): Promise<FolderState> {
  let entries: string[];
  try {
    entries = (await fs.readdir(dir)).filter((e) => e !== TRAIN_LOG);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ENOTDIR') return { kind: 'other', entries: [] };
    throw err;
  }
  if (entries.length === 0) return { kind: 'empty' };
  const marks = ['options.json', 'stats.jsonl', 'checkpoints', LOCK_FILE];
  return entries.some((e) => marks.includes(e)) ? { kind: 'run' } : { kind: 'other', entries };
}

/** Removes a run's own files from `dir` (train --force): its record, checkpoints and pictures. */
export async function removeRunFiles(dir: string): Promise<void> {
  const paths = runPaths(dir);
  const pictures = (await fs.readdir(dir)).filter((e) => e.endsWith('.png')).map((e) => path.join(dir, e));
  const files = [paths.options, paths.stats, paths.metrics, paths.checkpoints, paths.snapshots, ...pictures];
  await Promise.all(files.map((f) => fs.rm(f, { recursive: true, force: true })));
}
