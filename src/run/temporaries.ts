// Leftovers of a killed process: the `.NAME.tmp-PID-N` files and folders that atomic
// writes (io/atomic.ts, io/folder.ts) fill before renaming them into place. A process
// killed between the two leaves them behind; they are never read, only removed here.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { explained, TEMPORARY_NAME } from '../io/atomic.js';
import { runPaths } from './paths.js';

/**
 * Removes the temporary files and folders left in run `runDir`, its checkpoints/ and
 * snapshots/; returns their paths. Precondition: no other process is writing this run
 * (the trainer holds the run's lock, src/run/lock.ts), since a live writer's temporaries
 * look the same as a dead one's.
 */
export async function removeTemporaries(runDir: string): Promise<string[]> {
  const paths = runPaths(runDir);
  const removed: string[] = [];
  for (const dir of [paths.root, paths.checkpoints, paths.snapshots]) {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => TEMPORARY_NAME.test(n))) {
      const leftover = path.join(dir, name);
      await fs.rm(leftover, { recursive: true, force: true }).catch((err) => {
        throw explained(err, leftover, 'removing a temporary file left by an interrupted run');
      });
      removed.push(leftover);
    }
  }
  return removed;
}
