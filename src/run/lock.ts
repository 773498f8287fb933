// One trainer per run: RUN/lock holds the PID of the process training it. The file is
// created with O_EXCL, so of two trainers starting at once exactly one gets it. A lock
// whose process is gone (kill -9, a crash, a reboot) is stale and is taken over, with
// a note. Readers (sample, eval, export) take no lock: every file they read is replaced
// atomically, so they see either the old or the new version.
import { promises as fs, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { withFileErrors } from '../io/file-errors.js';

export const LOCK_FILE = 'lock';

interface LockContents {
  pid: number;
  host: string;
  started: string;
}

export interface RunLock {
  file: string;
  /** Removes the lock; safe to call more than once, and from an exit handler (it is synchronous). */
  release(): void;
}

/**
 * Takes RUN/lock (RUN must exist). Refuses when a live process holds it; takes over a
 * stale one and says so through `say`.
 */
export async function lockRun(run: string, say: (message: string) => void): Promise<RunLock> {
  const file = path.join(run, LOCK_FILE);
  const mine: LockContents = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await create(file, mine)) return held(file);
    const holder = await readHolder(file);
    if (holder === 'gone') continue; // released between our two looks: try again
    if (holder && isAlive(holder, file)) {
      throw new Error(
        `Expected no other trainer on ${run} but process ${holder.pid} (started ${holder.started} on ` +
          `${holder.host}) is training it; wait for it to finish or stop it (kill ${holder.pid}), then run the ` +
          `command again. If that process is not gankit, delete ${file}`,
      );
    }
    // Stale: its process is dead, or the file is unreadable (a kill while it was written).
    say(
      holder
        ? `took over the lock of process ${holder.pid}, which is no longer running (it was stopped or crashed)`
        : `took over an unreadable lock file ${file}`,
    );
    await fs.rm(file, { force: true });
  }
  throw new Error(`Expected to take the lock ${file} but other processes kept taking it; run the command again`);
}

async function create(file: string, contents: LockContents): Promise<boolean> {
  return withFileErrors(file, 'taking the run lock', async () => {
    try {
      const handle = await fs.open(file, 'wx');
      try {
        await handle.writeFile(JSON.stringify(contents) + '\n');
        await handle.sync();
      } finally {
        await handle.close();
      }
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  });
}

/** The holder of the lock, undefined when the file cannot be read as a lock, 'gone' when it vanished. */
async function readHolder(file: string): Promise<LockContents | undefined | 'gone'> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockContents>;
    if (Number.isInteger(parsed.pid) && (parsed.pid as number) > 0 && typeof parsed.host === 'string')
      return { pid: parsed.pid!, host: parsed.host, started: String(parsed.started) };
  } catch {
    // unreadable: treated as stale below
  }
  return undefined;
}

/**
 * Whether the holder still runs. On another host we cannot tell, so it counts as alive
 * (a run folder on a shared disk): the message then names the file to delete.
 */
function isAlive(holder: LockContents, file: string): boolean {
  if (holder.host !== hostname()) return true;
  // Our own PID: another train() in this process, or a dead process's PID that we now reuse.
  if (holder.pid === process.pid) return heldHere.has(file);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, but another user's
  }
}

/** Lock files this process holds. */
const heldHere = new Set<string>();

/** Releases every lock of this process, synchronously: for a command that must exit at once. */
export function releaseRunLocks(): void {
  for (const file of [...heldHere]) {
    heldHere.delete(file);
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
}

function held(file: string): RunLock {
  heldHere.add(file);
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      heldHere.delete(file);
      try {
        unlinkSync(file);
      } catch {
        // already gone: nothing to release
      }
    },
  };
}
