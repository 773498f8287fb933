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
}

/**
 * The outcome of one case. Only 'accepted' and 'refused' are allowed: a refusal is an
 * Error whose message names the file; anything else is a defect of the reader.
 */
export type Outcome = 'accepted' | 'refused' | 'raw error' | 'crash' | 'hang' | 'partial file';
