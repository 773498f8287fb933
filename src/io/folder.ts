// Folders that appear whole or not at all: the caller fills a temporary folder beside
// the target, then it is renamed into place. A previous folder is moved aside first
// and removed only once the new one is in place.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { temporaryPathFor } from './atomic.js';

/** The names in `dir`, or undefined when it does not exist; throws when it is a file. */
export async function folderEntries(dir: string, name: string): Promise<string[] | undefined> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat) return undefined;
  if (!stat.isDirectory()) throw new Error(`Expected a folder or a new path for ${name} but ${dir} is a file`);
  return fs.readdir(dir);
}

/**
 * Runs `fill` on a new temporary folder beside `target` and renames it to `target`.
 * `replaceable` says whether an existing target may be replaced (it is asked only
 * when the target exists), so a user's unrelated folder is never deleted.
 */
export async function writeFolderAtomic(
  target: string,
  fill: (dir: string) => Promise<void>,
  replaceable: (entries: string[]) => boolean,
  name: string,
): Promise<void> {
  const final = path.resolve(target);
  const existing = await folderEntries(final, name);
  if (existing && existing.length > 0 && !replaceable(existing)) {
    throw new Error(
      `Expected ${name} to be a new or empty folder, or one gankit wrote before, but ${final} holds other files; ` +
        'choose another path',
    );
  }
  await fs.mkdir(path.dirname(final), { recursive: true });
  const tmp = temporaryPathFor(final);
  const old = temporaryPathFor(final);
  try {
    await fs.mkdir(tmp);
    await fill(tmp);
    if (existing) await fs.rename(final, old);
    await fs.rename(tmp, final);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    // Put the previous folder back if it was moved aside but the new one is not in place.
    const moved = await fs.stat(old).then(
      () => true,
      () => false,
    );
    const placed = await fs.stat(final).then(
      () => true,
      () => false,
    );
    if (moved && !placed) await fs.rename(old, final);
    throw err;
  }
  await fs.rm(old, { recursive: true, force: true });
}
