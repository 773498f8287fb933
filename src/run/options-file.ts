// options.json: a run's resolved options, flat (one key per option), with the format's
// version. Version 1 added `version` itself; a file without it was written before and
// reads as version 0, whose keys are the same. A newer version than this code knows is
// refused, so an old gankit never misreads a newer run.
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../io/atomic.js';
import { runPaths } from './paths.js';

export const OPTIONS_VERSION = 1;

export interface OptionsFile {
  /** 0 for files from before versioning. */
  version: number;
  /** The options as written, without `version`; the trainer resolves and checks them. */
  values: Record<string, unknown>;
}

export async function writeOptionsFile(run: string, options: object): Promise<void> {
  const text = JSON.stringify({ version: OPTIONS_VERSION, ...options }, null, 2) + '\n';
  await writeFileAtomic(runPaths(run).options, text);
}

export async function readOptionsFile(run: string): Promise<OptionsFile> {
  const file = runPaths(run).options;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new Error(
      `Expected a run directory with options.json at ${run} but found none; train one with gankit train --out ${run}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`Expected JSON in ${file} but could not parse it: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(
      `Expected an object of options in ${file} but received ${Array.isArray(raw) ? 'a list' : JSON.stringify(raw)}`,
    );
  }
  const { version = 0, ...values } = raw as Record<string, unknown>;
  if (!Number.isInteger(version) || (version as number) < 0 || (version as number) > OPTIONS_VERSION) {
    throw new Error(
      `Expected options.json version 0..${OPTIONS_VERSION} in ${file} but received ${JSON.stringify(version)}; ` +
        'a newer gankit wrote this run: update gankit to read it',
    );
  }
  return { version: version as number, values };
}
