// A small real run for the run-file tests: ring8, 20 steps on the cpu backend, tiny
// networks, G's moving average kept, a checkpoint at steps 10 and 20. Trained once per
// test file and copied for each test, so a test may damage its copy freely.
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { train, type TrainRequest } from '../../src/train/trainer.js';

export const TINY: TrainRequest = {
  data: 'ring8',
  steps: 20,
  checkpointEvery: 10,
  evalEvery: 0,
  plotEvery: 0,
  evalSamples: 200,
  gHidden: [8],
  dHidden: [8],
  batchSize: 32,
  latentDim: 2,
  ema: 0.9,
  backend: 'cpu',
  seed: 3,
  // Rates that end above 0, so the tests may extend the finished run (one at rate 0 is refused).
  lrFinal: 0.5,
};

let trained: Promise<string> | undefined;

/** The folder of the run, trained on first use (do not change it; copy it). */
export function tinyRun(): Promise<string> {
  trained ??= (async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-tiny-')), 'run');
    await train({ ...TINY, out });
    return out;
  })();
  return trained;
}

/** A fresh copy of the tiny run. */
export async function tinyRunCopy(): Promise<string> {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-run-copy-')), 'run');
  cpSync(await tinyRun(), dir, { recursive: true });
  return dir;
}

/** Every file under `dir`, as '/'-separated relative paths, sorted. */
export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    )
    .sort();
}

/** Flips every bit of the byte in the middle of `file`. */
export function flipByte(file: string): void {
  const bytes = readFileSync(file);
  bytes[bytes.length >> 1] ^= 0xff;
  writeFileSync(file, bytes);
}

/** Cuts `file` to `bytes` bytes. */
export function truncate(file: string, bytes: number): void {
  writeFileSync(file, readFileSync(file).subarray(0, Math.min(bytes, statSync(file).size)));
}
