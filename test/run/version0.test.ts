// Runs written before run directories had a format version ("version 0": options.json
// without a `version` field) keep working through the CLI: resume, sample, export.
//
// test/fixtures/run-v0 was written by the original code (commit 5970d54) with
//   gankit train --data ring8 --g-hidden 16,16 --d-hidden 16 --lr-final 1 \
//     --checkpoint-every 10 --eval-every 10 --plot-every 0 --seed 2 --backend cpu \
//     --steps 30 --out /tmp/some-other-place/run
// then copied without its pictures (*.png, snapshots/). Its options.json still records
// `out` as that /tmp path on purpose: a run is the folder it is in, never the `out`
// written inside it, so the tests below copy it elsewhere and that path must stay untouched.
// test/fixtures/reference/run-v0-40.jsonl is the same command with --steps 40 run
// uninterrupted (`seconds` removed). --lr-final 1 keeps the learning rate constant, so
// that 30 steps resumed to 40 train exactly as 40 uninterrupted steps (with the default
// linear decay the rate at every step depends on the run's length); --backend cpu (pure
// JS; kept by the resumed run) makes the numbers the same on any machine, so the
// tolerance is the cpu backend's |a − b| ≤ 1e-6 + 1e-5·|b|.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assertSameLines, CLI, fixture, readLines } from '../reference-lines.js';

const gankit = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 300_000 });

/** A fresh copy of the version-0 run in a temporary folder. */
function copyRun(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-v0-')), 'run');
  cpSync(fixture('run-v0'), dir, { recursive: true });
  return dir;
}

/** Every path under `dir` with its size and modification time; null when it does not exist. */
function listing(dir: string): string[] | null {
  if (!existsSync(dir)) return null;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((p) => {
      const s = statSync(path.join(dir, p));
      return `${p} ${s.size} ${s.mtimeMs}`;
    });
}

/** Removes, after the test, whatever of `dir` and its parents the test itself created. */
function cleanUpCreated(t: TestContext, dir: string): void {
  let top: string | undefined;
  for (let p = dir; !existsSync(p); p = path.dirname(p)) top = p;
  t.after(() => {
    if (top) rmSync(top, { recursive: true, force: true });
  });
}

test('version 0: train --resume --out COPY --steps 40 continues the copy, exactly as 40 uninterrupted steps', (t) => {
  const run = copyRun();
  const recordedOut: string = JSON.parse(readFileSync(path.join(run, 'options.json'), 'utf8')).out;
  assert.equal(recordedOut, '/tmp/some-other-place/run');
  assert.equal(JSON.parse(readFileSync(path.join(run, 'options.json'), 'utf8')).version, undefined);
  const before = listing(recordedOut);
  cleanUpCreated(t, recordedOut);

  const r = gankit('train', '--resume', '--out', run, '--steps', '40');
  assert.deepEqual(
    listing(recordedOut),
    before,
    `Expected the resumed run to leave ${recordedOut} (the out recorded in its options.json) untouched, ` +
      `but it ${before === null ? 'was created' : 'changed'}: the run was resumed there instead of in --out ${run}\n` +
      `exit ${r.status}; stderr:\n${r.stderr}`,
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /resumed from .*step-0000030 at step 30/);

  // The resumed file keeps the copy's lines up to its checkpoint (step 30, whose final
  // evaluation wrote no mode-collapse warning) and then has the uninterrupted run's lines.
  // The reference's last line, the final evaluation's mode-collapse warning, was added by
  // hand when final evaluations began to pass the same checks as the others (issue 15).
  const copied = readLines(fixture('run-v0', 'stats.jsonl'));
  const uninterrupted = readLines(fixture('reference', 'run-v0-40.jsonl'));
  // The resumed session's own line comes at the checkpoint's step: the run's new length,
  // and the learning rates' factor from which they decay (1: this run keeps --lr-final 1).
  assert.equal(JSON.parse(readFileSync(fixture('run-v0', 'options.json'), 'utf8')).lrFinal, 1);
  const expected = [
    ...copied.filter((l) => (l.step as number) <= 30),
    { step: 30, resume: { steps: 40, lrScale: 1 } },
    ...uninterrupted.filter((l) => (l.step as number) > 30),
  ];
  assert.equal(expected.length, 48);
  assertSameLines(readLines(path.join(run, 'stats.jsonl')), expected, { abs: 1e-6, rel: 1e-5 }, `${run}/stats.jsonl`);

  assert.equal(readFileSync(path.join(run, 'checkpoints', 'latest'), 'utf8').trim(), 'step-0000040');
  const metrics = JSON.parse(readFileSync(path.join(run, 'metrics.json'), 'utf8'));
  assert.equal(metrics.steps, 40);
  const final = uninterrupted.filter((l) => 'metrics' in l).at(-1)!.metrics as Record<string, unknown>;
  for (const key of ['modes', 'highQuality', 'reverseKL'])
    assert.ok(
      Math.abs((metrics[key] as number) - (final[key] as number)) <= 1e-6 + 1e-5 * Math.abs(final[key] as number),
      key,
    );
});

test('version 0: sample --run COPY --n 100 --out s.npy writes a float32 100×2 .npy', () => {
  const run = copyRun();
  const file = path.join(run, 's.npy');
  const r = gankit('sample', '--run', run, '--n', '100', '--out', file);
  assert.equal(r.status, 0, r.stderr);
  const bytes = readFileSync(file);
  // "\x93NUMPY", version 1.0, a little-endian uint16 header length, the header dict
  // padded with spaces to a multiple of 64 bytes and ending in "\n", then the data.
  assert.deepEqual([...bytes.subarray(0, 6)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
  assert.deepEqual([bytes[6], bytes[7]], [1, 0]);
  const headerLength = bytes.readUInt16LE(8);
  assert.equal((10 + headerLength) % 64, 0);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(100, 2\), \} *\n$/);
  assert.equal(bytes.length, 10 + headerLength + 100 * 2 * 4);
  const values = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset + 10 + headerLength, bytes.byteOffset + bytes.length),
  );
  assert.ok(values.every(Number.isFinite));
  assert.ok(new Set(values).size > 100, 'samples are not varied');
});

test('version 0: export --run COPY --out web writes model.json, weights.bin, gankit.json, index.html, tfjs/', () => {
  const run = copyRun();
  const web = path.join(run, 'web');
  const r = gankit('export', '--run', run, '--out', web);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(web).sort(), ['gankit.json', 'index.html', 'model.json', 'tfjs', 'weights.bin']);
  const meta = JSON.parse(readFileSync(path.join(web, 'gankit.json'), 'utf8'));
  assert.equal(meta.format, 'gankit-generator');
  assert.deepEqual([meta.latentDim, meta.outputShape, meta.data, meta.step], [2, [2], 'ring8', 30]);
  const model = JSON.parse(readFileSync(path.join(web, 'model.json'), 'utf8'));
  assert.ok(model.modelTopology && model.weightsManifest, 'model.json is not a tfjs layers model');
  assert.ok(statSync(path.join(web, 'weights.bin')).size > 0);
});
