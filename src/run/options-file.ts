// options.json: a run's resolved options, flat (one key per option), with the format's
// version. Version 1 added `version` itself; a file without it was written before and
// reads as version 0, whose keys are the same. Version 2 added gExtraConvs, which the
// default image recipe sets: a file from before has none and its G has none (DCGAN's), so
// it reads as 0 rather than as whatever the recipe sets today. A newer version than this
// code knows is refused, so an old gankit never misreads a newer run.
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../io/atomic.js';
import { runPaths } from './paths.js';

export const OPTIONS_VERSION = 2;
/** options.json is a few kilobytes; a larger file is refused unread. */
const MAX_BYTES = 1024 * 1024;
const ADVICE = 'the file is damaged: restore it from a copy of the run';

export interface OptionsFile {
  /** 0 for files from before versioning. */
  version: number;
  /** The options as written, without `version`; the trainer resolves and checks them. */
  values: Record<string, unknown>;
}

export async function writeOptionsFile(run: string, options: object): Promise<void> {
  const text = JSON.stringify({ version: OPTIONS_VERSION, ...options }, null, 2) + '\n';
  await writeFileAtomic(runPaths(run).options, text, "writing the run's options");
}

export async function readOptionsFile(run: string): Promise<OptionsFile> {
  const file = runPaths(run).options;
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw Object.assign(new Error('it is not a regular file'), { code: 'EISDIR' });
    if (stat.size > MAX_BYTES) throw new Error(`it holds ${stat.size} bytes, more than the ${MAX_BYTES} allowed`);
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `Expected a run directory with options.json at ${run} but found none; train one with gankit train --out ${run}`,
      );
    }
    const code = (err as NodeJS.ErrnoException).code;
    const denied = code === 'EACCES' || code === 'EPERM';
    throw new Error(
      `Expected to read the run's options from ${file} but could not: ` +
        (denied ? 'permission denied; make it readable by this user' : `${(err as Error).message}; ${ADVICE}`),
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`Expected JSON in ${file} but could not parse it: ${(err as Error).message}; ${ADVICE}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(
      `Expected an object of options in ${file} but received ${Array.isArray(raw) ? 'a list' : JSON.stringify(raw)}; ` +
        ADVICE,
    );
  }
  const { version = 0, ...values } = raw as Record<string, unknown>;
  if (!Number.isInteger(version) || (version as number) < 0 || (version as number) > OPTIONS_VERSION) {
    throw new Error(
      `Expected options.json version 0..${OPTIONS_VERSION} in ${file} but received ${JSON.stringify(version)}; ` +
        'a newer gankit wrote this run: update gankit to read it',
    );
  }
  if ((version as number) < 2 && !('gExtraConvs' in values)) values.gExtraConvs = 0;
  return { version: version as number, values };
}

/**
 * The run's saved options checked by `resolve` (the trainer's resolveOptions, passed in
 * since it lives in a higher layer), its refusals naming the file: what `--resume` and
 * the sampling tools do with options.json.
 */
export async function resolveSavedOptions<T>(run: string, resolve: (values: Record<string, unknown>) => T): Promise<T> {
  const { values } = await readOptionsFile(run);
  const file = runPaths(run).options;
  try {
    return resolve(values);
  } catch (err) {
    // Only refusals are explained; a TypeError or the like is a defect of `resolve` and stays one.
    if (!(err instanceof Error) || err.constructor !== Error || err.message.includes(file)) throw err;
    throw new Error(`${file}: ${err.message}`, { cause: err });
  }
}
