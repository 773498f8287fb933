// Folders that appear whole or not at all, and stay once written: the caller fills a
// temporary folder beside the target; every file and folder in it is flushed to the disk,
// then it is renamed into place and the parent directory is flushed. A previous folder
// is moved aside first and removed only once the new one is in place. On any failure the
// temporary folder is removed, the previous folder is put back, and the error names the
// target (io/file-errors.ts).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { explained, syncDirectory, syncFile, temporaryPathFor } from './atomic.js';
import { fileError, type FileError } from './file-errors.js';

/** The names in `dir`, or undefined when it does not exist; throws when it is a file. */
export async function folderEntries(dir: string, name: string): Promise<string[] | undefined> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat) return undefined;
  if (!stat.isDirectory()) throw new Error(`Expected a folder or a new path for ${name} but ${dir} is a file`);
  return fs.readdir(dir);
}

/** Flushes every file and folder under `dir` to the disk, `dir` itself last. */
export async function syncTree(dir: string): Promise<void> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) await syncTree(child);
    else if (entry.isFile()) await syncFile(child);
  }
  await syncDirectory(dir);
}

const exists = (p: string) =>
  fs.lstat(p).then(
    () => true,
    () => false,
  );

/**
 * Runs `fill` on a new temporary folder beside `target` and renames it to `target`.
 * `replaceable` says whether an existing target may be replaced (it is asked only
 * when the target exists), so a user's unrelated folder is never deleted. `name` says
 * what the folder is in messages ("--out", "the checkpoint").
 */
export async function writeFolderAtomic(
  target: string,
  fill: (dir: string) => Promise<void>,
  replaceable: (entries: string[]) => boolean,
  name: string,
): Promise<void> {
  const final = path.resolve(target);
  const parent = path.dirname(final);
  const existing = await folderEntries(final, name);
  if (existing && existing.length > 0 && !replaceable(existing)) {
    throw new Error(
      `Expected ${name} to be a new or empty folder, or one gankit wrote before, but ${final} holds other files; ` +
        'choose another path',
    );
  }
  const tmp = temporaryPathFor(final);
  const old = temporaryPathFor(final);
  try {
    await fs.mkdir(parent, { recursive: true });
    await fs.mkdir(tmp);
    await fill(tmp);
    await syncTree(tmp);
    if (existing) await fs.rename(final, old);
    await fs.rename(tmp, final);
    await syncDirectory(parent);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
    // Put the previous folder back if it was moved aside but the new one is not in place.
    if ((await exists(old)) && !(await exists(final))) await fs.rename(old, final).catch(() => {});
    throw inTarget(err, tmp, final, `writing ${name}`);
  }
  try {
    await fs.rm(old, { recursive: true, force: true });
  } catch (err) {
    throw explained(err, old, `removing the previous ${name} (the new one is in place at ${final})`);
  }
}

/** An error about the temporary folder as one about the target: the user knows the target's name, not ours. */
function inTarget(err: unknown, tmp: string, final: string, doing: string): unknown {
  const file = (err as FileError)?.file;
  if (file !== undefined && (file === tmp || file.startsWith(tmp + path.sep))) {
    return fileError((err as Error).cause ?? err, final + file.slice(tmp.length), doing);
  }
  return explained(err, final, doing);
}
