// What the fuzzer knows about one file format: how to make a valid instance, how gankit
// reads it, and (optionally) mutations that only make sense for this format, such as a
// header field set huge. fuzz/main.ts applies the generic mutations (truncation, flipped
// bytes, empty files, wrong JSON types) to every format and classifies each outcome.
import type { Rng } from '../src/rng.js';

export interface FuzzFormat {
  /** Short name for the table: 'npy', 'idx', 'idx.gz', 'cifar', 'image-folder', 'checkpoint', … */
  name: string;
  /** Writes a valid instance under `dir` and returns the files mutations may change. */
  makeValid(dir: string): Promise<string[]>;
  /** Reads `dir` the way gankit does; resolves when the input is accepted, throws when refused. */
  read(dir: string): Promise<unknown>;
  /** Extra mutations of this format: each changes the bytes of `file` in place. */
  mutations?: { name: string; apply(file: string, rng: Rng): Promise<void> }[];
  /**
   * What an accepted input must satisfy (e.g. "at least one image", "labels below the class count"):
   * a sentence saying what is wrong with `result`, or undefined when it is fine. An accepted input
   * that fails it is the defect 'bad accept': the reader let damage through silently.
   */
  check?(result: unknown): string | undefined;
  /**
   * Files (paths relative to `dir`, '/'-separated) that reading may legitimately create, such as
   * an archive's extracted folder; any other new file is the defect 'partial file'.
   */
  mayCreate?(relative: string): boolean;
}

/**
 * The outcome of one case. Only 'accepted' and 'refused' are allowed: a refusal is an
 * Error whose message names the file; anything else is a defect of the reader.
 * 'bad accept': accepted, but the result breaks the format's check (see FuzzFormat.check).
 * 'huge allocation': the reader's process grew by more than the harness allows for these
 * small files, i.e. it allocated what a header asked for without checking it.
 */
export type Outcome =
  'accepted' | 'refused' | 'raw error' | 'crash' | 'hang' | 'partial file' | 'bad accept' | 'huge allocation';

export const OUTCOMES: readonly Outcome[] = [
  'accepted',
  'refused',
  'raw error',
  'crash',
  'hang',
  'partial file',
  'bad accept',
  'huge allocation',
];

/** Outcomes that are not defects. */
export const SOUND_OUTCOMES: readonly Outcome[] = ['accepted', 'refused'];
