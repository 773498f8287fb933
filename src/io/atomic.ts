// Writes that never leave a half-written file behind and that hold once they return,
// even across a power cut: the data goes to a temporary file in the same directory, is
// flushed to the disk (fsync), then renamed over the target (atomic on POSIX), and the
// directory is flushed so that the rename itself is on the disk. On any failure (a full
// disk, no permission, …) the temporary file is removed, the previous target is left as
// it was, and the error names the target (io/file-errors.ts). Files rewritten often may
// skip the flushes and stay atomic without being durable.
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { fileError, type FileError } from './file-errors.js';

let counter = 0;

/** `.NAME.tmp-PID-N`: the names temporaryPathFor gives, so that leftovers of a killed process can be found. */
export const TEMPORARY_NAME = /^\..+\.tmp-\d+-\d+$/;

export function temporaryPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}-${counter++}`);
}

/** Flushes a written file to the disk. */
export async function syncFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Flushes a directory's entries to the disk, so that a file created or renamed in it
 * survives a power cut. File systems that cannot sync a directory (EINVAL, ENOTSUP) and
 * Windows, where a directory cannot be opened (EISDIR, EPERM), offer nothing to flush.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await fs.open(dir, 'r');
  } catch (err) {
    if (process.platform === 'win32') return;
    throw err;
  }
  try {
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR') throw err;
  } finally {
    await handle.close();
  }
}

/** Writes `data` to `file` (created or truncated) and flushes it to the disk before returning. */
export async function writeFileSynced(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `target` with `data`, durably: after it returns the new content is on the
 * disk; if it throws, `target` is as it was and no temporary file remains. `doing` names
 * the write in the error ("Failed writing options.json: the disk holding … is full; …").
 * `durable: false` skips both flushes: readers still see the old file or the new one,
 * never a part, but a power cut may lose the write (files rewritten every second, whose
 * flushes would cost more than they keep: the dashboard's live.json).
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  doing = `writing ${path.basename(target)}`,
  { durable = true }: { durable?: boolean } = {},
): Promise<void> {
  const tmp = temporaryPathFor(target);
  try {
    if (durable) await writeFileSynced(tmp, data);
    else await fs.writeFile(tmp, data);
    await fs.rename(tmp, target);
    if (durable) await syncDirectory(path.dirname(target));
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => {}); // the write's own error is the one to report
    throw explained(err, target, doing);
  }
}

/** A system error as fileError(…); an error already explained, or not from the system, as it is. */
export function explained(err: unknown, file: string, doing: string): unknown {
  if ((err as FileError)?.file !== undefined) return err;
  if (typeof (err as NodeJS.ErrnoException)?.code !== 'string') return err;
  return fileError(err, file, doing);
}
