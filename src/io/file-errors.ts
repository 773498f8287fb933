// File system failures in words a user can act on. Node's own messages name no file for
// a failed write ("ENOSPC: no space left on device, write"), so every write of a run
// goes through here: the error says which file, what went wrong and what to do.

/** Codes we explain; anything else keeps Node's message, with the file named. */
const EXPLAINED: Record<string, (file: string) => string> = {
  ENOSPC: (file) => `the disk holding ${file} is full; free some space (df -h shows where) and run the command again`,
  EDQUOT: (file) => `the disk quota for ${file} is used up; free some space and run the command again`,
  EACCES: (file) => `permission denied for ${file}; choose a folder you can write to, or change its permissions`,
  EPERM: (file) => `the operation is not permitted on ${file}; choose a folder you can write to`,
  EROFS: (file) => `${file} is on a read-only file system; choose a writable folder`,
  EMFILE: () => 'too many open files; raise the limit (ulimit -n) and run the command again',
};

export interface FileError extends Error {
  /** The system's code (ENOSPC, EACCES, …), kept so that callers can tell failures apart. */
  code?: string;
  /** The file the failure concerns. */
  file: string;
}

/** An Error saying that `doing` (e.g. "writing the checkpoint") failed on `file`, and why. */
export function fileError(err: unknown, file: string, doing: string): FileError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const why = code && EXPLAINED[code] ? EXPLAINED[code](file) : `${file}: ${(err as Error)?.message ?? String(err)}`;
  const explained = new Error(`Failed ${doing}: ${why}`, { cause: err }) as FileError;
  explained.code = code;
  explained.file = file;
  return explained;
}

/** Runs `work`, turning a file system failure into fileError(…, file, doing). */
export async function withFileErrors<T>(file: string, doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if ((err as FileError).file !== undefined) throw err; // already explained further down
    if (typeof (err as NodeJS.ErrnoException)?.code !== 'string') throw err;
    throw fileError(err, file, doing);
  }
}
