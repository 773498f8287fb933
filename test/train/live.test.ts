// The trainer's live output for the dashboard (docs/dashboard.md §1), through the real
// CLI: stats.jsonl grows at least once a second and live.json is replaced about once a
// second while steps run (made slow by GANKIT_SLOW_STEP_MS); live.json's values agree
// with the final checkpoint's networks evaluated here on the cpu backend; watching
// changes no loss; SIGUSR2 writes a checkpoint and training goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../src/backend/index.js';
import { loadCheckpoint } from '../../src/run/checkpoint.js';
import { stepName } from '../../src/run/paths.js';
import { toyDataset } from '../../src/data/toy.js';
import { resolveOptions } from '../../src/train/options.js';
import { Rng } from '../../src/rng.js';
import { writeNpy } from '../../src/io/npy.js';
import { stepLines } from './run-files.js';

await initBackend('cpu');

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'gankit-live-'));
/** Small final evaluations: these runs are about their files, not their quality. */
const QUICK = ['--eval-samples', '300'];

/** Starts `gankit ARGS` as a child process; `done` resolves with its exit code and output. */
function start(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [main, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, output })),
  );
  return { child, done };
}

async function gankit(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = await start(args, env).done;
  assert.equal(result.code, 0, result.output);
  return result.output;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
/** The step of the last complete line of stats.jsonl (0 before any). */
function lastStep(file: string): number {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lines = text.split('\n').slice(0, -1); // what follows the last newline may be torn
  return lines.length > 0 ? (JSON.parse(lines.at(-1)!).step as number) : 0;
}

/** The largest gap between successive times, counting from `from`. */
function largestGap(times: number[], from: number): number {
  let gap = 0;
  for (const t of times) [gap, from] = [Math.max(gap, t - from), t];
  return gap;
}

/** σ(D(x)) of the checkpoint's discriminator at `points` (n×dim), here on the cpu backend. */
function judge(discriminator: tfl.LayersModel, points: number[], dim: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor2d(points, [points.length / dim, dim]);
    return tf.sigmoid(discriminator.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
}

function assertClose(actual: number[], expected: ArrayLike<number>, tolerance: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  assert.ok(worst <= tolerance, `${what}: off by ${worst} (tolerance ${tolerance})`);
}

/** Centres of n equal cells across [lo, hi]. */
const centres = (lo: number, hi: number, n: number) =>
  Array.from({ length: n }, (_, i) => lo + ((i + 0.5) * (hi - lo)) / n);

test('during a 2D run stats.jsonl grows and live.json is replaced about once a second; its last frame is the final networks', async () => {
  const out = path.join(tempDir(), 'run');
  const steps = 24;
  const stats = path.join(out, 'stats.jsonl');
  const live = path.join(out, 'live.json');
  // Steps of over 300 ms: one append and one frame a second means one every few steps.
  const run = start(['train', '--data', 'ring8', '--steps', String(steps), ...QUICK, '--out', out], {
    GANKIT_SLOW_STEP_MS: '300',
  });
  const began = Date.now();
  const growths: { at: number; step: number }[] = [];
  const frames: { at: number; step: number; bytes: number; frame: Record<string, any> }[] = [];
  let size = 0;
  let frameTime = 0;
  while (run.child.exitCode === null && Date.now() - began < 120_000) {
    const now = Date.now();
    const grown = sizeOf(stats);
    if (grown > size) growths.push({ at: now, step: lastStep(stats) });
    size = grown;
    if (existsSync(live)) {
      const text = readFileSync(live, 'utf8');
      const frame = JSON.parse(text); // replaced atomically: never a part of a file
      if (frame.time !== frameTime) frames.push({ at: now, step: frame.step, bytes: Buffer.byteLength(text), frame });
      frameTime = frame.time;
    }
    await sleep(50);
  }
  const { code, output } = await run.done;
  assert.equal(code, 0, output);

  // While steps ran: from the first frame (written after step 1) until the last step's line arrived.
  assert.equal(frames[0]?.step, 1, 'the first frame comes after the first step');
  const stepping = growths.filter((g) => g.at >= frames[0].at && g.step <= steps);
  const ended = stepping.find((g) => g.step === steps)?.at ?? stepping.at(-1)!.at;
  assert.ok(stepping.length >= 4, `stats.jsonl grew ${stepping.length} times during ${steps} slow steps`);
  // An append comes after the first step to end a second after the last one: 1 s + one 300 ms step, polled.
  const appendGap = largestGap(
    stepping.map((g) => g.at),
    frames[0].at,
  );
  assert.ok(appendGap <= 1600, `stats.jsonl did not grow for ${appendGap} ms while steps ran`);
  const during = frames.filter((f) => f.at <= ended);
  const frameGap = largestGap(
    during.map((f) => f.at),
    frames[0].at,
  );
  assert.ok(during.length >= 4, `${during.length} frames during the steps`);
  assert.ok(frameGap <= 1600, `live.json was not replaced for ${frameGap} ms while steps ran`);
  const stepsSeen = frames.map((f) => f.step);
  assert.deepEqual(
    stepsSeen,
    [...stepsSeen].sort((a, b) => a - b),
    'frames come in step order',
  );

  // Every frame: the documented fields and sizes, under 64 kB.
  const bounds = toyDataset('ring8').bounds;
  for (const { frame, bytes } of frames) {
    assert.ok(bytes < 64 * 1024, `live.json holds ${bytes} bytes`);
    assert.equal(frame.format, 'gankit-live');
    assert.equal(frame.version, 1);
    assert.equal(frame.dim, 2);
    assert.deepEqual(frame.bounds, bounds);
    assert.ok(Math.abs(frame.time - Date.now()) < 180_000, 'time is Date.now() of the write');
    for (const grid of [frame.field, frame.density]) {
      assert.equal(grid.nx, 48);
      assert.equal(grid.ny, 48);
      assert.equal(grid.values.length, 48 * 48);
    }
    assert.equal(frame.fake.length, 2 * 500);
    assert.equal(frame.arrows.points.length, 2 * 100);
    assert.equal(frame.arrows.dirs.length, 2 * 100);
    assert.ok(frame.field.values.every((v: number) => v >= 0 && v <= 1));
  }

  // The last frame is the last step's, and agrees with the final checkpoint's networks.
  const last = readJson(live);
  assert.equal(last.step, steps);
  const { models } = await loadCheckpoint(path.join(out, 'checkpoints', stepName(steps)));
  const { xmin, xmax, ymin, ymax } = bounds;
  const xs = centres(xmin, xmax, 48);
  const ys = centres(ymin, ymax, 48);
  const grid = ys.flatMap((y) => xs.flatMap((x) => [x, y])); // row by row, y from ymin up
  assertClose(last.field.values, judge(models.discriminator, grid, 2), 1e-3, 'σ(D(x)) on the grid');
  // The data density: ring8's mixture (its modes and their std), scaled to a maximum of 1.
  const { modes, modeStd } = toyDataset('ring8');
  const mixture = [];
  for (let i = 0; i < grid.length; i += 2) {
    let p = 0;
    for (let m = 0; m < modes!.length; m += 2)
      p += Math.exp(-((grid[i] - modes![m]) ** 2 + (grid[i + 1] - modes![m + 1]) ** 2) / (2 * modeStd! ** 2));
    mixture.push(p);
  }
  const peak = Math.max(...mixture);
  assertClose(
    last.density.values,
    mixture.map((p) => p / peak),
    1e-3,
    'the data density',
  );
  // G's samples: the sampler (G's moving average) on the pictures' fixed noise, seed 1.
  const z = new Rng(1 + 1_000_003).fillNormal(new Float32Array(2 * 500));
  const fake = tf
    .tidy(() => models.generatorAverage!.predict(tf.tensor2d(z, [500, 2])) as tf.Tensor)
    .dataSync() as Float32Array;
  assertClose(last.fake, fake, 1e-3, "G's samples");
  // The arrows: −∇ₓ of G's non-saturating loss mean(softplus(−D(x))) at the first 100 samples.
  const pushed = tf.tidy(() => {
    const loss = (x: tf.Tensor) => tf.mean(tf.softplus(tf.neg(models.discriminator.predict(x) as tf.Tensor)));
    return tf.neg(tf.grad(loss)(tf.tensor2d(fake.slice(0, 200), [100, 2]))).dataSync() as Float32Array;
  });
  assertClose(last.arrows.points, fake.slice(0, 200), 1e-3, 'the arrows’ points');
  const longest = Math.max(...pushed.map(Math.abs));
  assertClose(last.arrows.dirs, pushed, 0.01 * longest, 'the arrows’ directions');
});

test('a 1D run writes D, D*, both densities and G’s samples; train --force removes live.json', async () => {
  const out = path.join(tempDir(), 'run');
  await gankit(['train', '--data', 'gauss1d', '--steps', '30', ...QUICK, '--out', out]);
  const frame = readJson(path.join(out, 'live.json'));
  assert.equal(frame.dim, 1);
  assert.equal(frame.step, 30);
  assert.equal(frame.field, undefined);
  assert.equal(frame.arrows, undefined);
  assert.equal(frame.fake.length, 500);
  const xs = centres(frame.bounds.xmin, frame.bounds.xmax, 200);
  assertClose(frame.xs, xs, 1e-3, 'xs');
  const { models } = await loadCheckpoint(path.join(out, 'checkpoints', stepName(30)));
  assertClose(frame.d, judge(models.discriminator, xs, 1), 1e-3, 'σ(D(x))');
  // gauss1d is N(2, 0.5²).
  const normal = xs.map((x) => Math.exp(-0.5 * ((x - 2) / 0.5) ** 2) / (0.5 * Math.sqrt(2 * Math.PI)));
  assertClose(frame.pData, normal, 1e-3, 'p_data');
  assert.equal(frame.pG.length, 200);
  assert.ok(
    frame.pG.some((p: number) => p > 0.01),
    'G has some density on the line',
  );
  // D* = p_data/(p_data + p_g), from the rounded densities: within their rounding.
  const dStar = frame.pData.map((p: number, i: number) => (p + frame.pG[i] > 0 ? p / (p + frame.pG[i]) : 0.5));
  frame.dStar.forEach((d: number, i: number) => {
    const slack = (0.002 * Math.max(1, dStar[i])) / Math.max(frame.pData[i] + frame.pG[i], 0.002);
    assert.ok(Math.abs(d - dStar[i]) <= Math.min(1, slack), `D* at ${xs[i]}: ${d} against ${dStar[i]}`);
  });

  await gankit(['train', '--data', 'gauss1d', '--steps', '2', ...QUICK, '--live-every', '0', '--force', '--out', out]);
  assert.ok(!existsSync(path.join(out, 'live.json')), 'the replaced run’s live.json is gone');
  assert.equal(readJson(path.join(out, 'options.json')).liveEvery, 0, 'options.json records --live-every');
});

test('image runs write no live.json', async () => {
  const dir = tempDir();
  const data = path.join(dir, 'tiny.npy');
  await writeNpy(
    data,
    Uint8Array.from({ length: 40 * 28 * 28 }, (_, i) => (i * 37) & 255),
    [40, 28, 28, 1],
  );
  const out = path.join(dir, 'run');
  const args = ['--model', 'mlp', '--g-hidden', '16', '--d-hidden', '8', '--batch-size', '8', '--steps', '3'];
  await gankit(['train', '--data', data, ...args, '--eval-metrics', 'none', '--live-every', '1', '--out', out]);
  assert.ok(existsSync(path.join(out, 'stats.jsonl')));
  assert.ok(!existsSync(path.join(out, 'live.json')));
});

test('--live-every is 0 or at least a second, and watching a run changes none of its losses', async () => {
  assert.throws(() => resolveOptions({ liveEvery: 0.5 }), /Expected liveEvery to be 0 \(off\) or a number ≥ 1/);
  const dir = tempDir();
  const args = ['train', '--data', 'ring8', '--steps', '150', '--seed', '4', ...QUICK];
  // Slow steps: about ten frames come between the steps.
  const env = { GANKIT_SLOW_STEP_MS: '60' };
  await gankit([...args, '--live-every', '0', '--out', path.join(dir, 'unwatched')], env);
  await gankit([...args, '--live-every', '1', '--out', path.join(dir, 'watched')], env);
  assert.ok(!existsSync(path.join(dir, 'unwatched', 'live.json')));
  assert.equal(readJson(path.join(dir, 'watched', 'live.json')).step, 150);
  const watched = stepLines(path.join(dir, 'watched'));
  assert.equal(watched.length, 150);
  assert.deepEqual(watched, stepLines(path.join(dir, 'unwatched')));
});

test('when live.json cannot be written the run warns once and finishes, with the losses of an unwatched run', async () => {
  const dir = tempDir();
  // A constant rate: the resumed run then goes on as the uninterrupted one does.
  const args = ['train', '--data', 'ring8', '--seed', '5', '--lr-final', '1', ...QUICK];
  const blocked = path.join(dir, 'blocked');
  await gankit([...args, '--steps', '60', '--out', blocked]);
  // A directory where live.json goes: the atomic rename onto it fails (EISDIR/ENOTEMPTY), as a full disk would.
  rmSync(path.join(blocked, 'live.json'));
  mkdirSync(path.join(blocked, 'live.json', 'in-the-way'), { recursive: true });
  const env = { GANKIT_SLOW_STEP_MS: '30' }; // frames come due while steps run
  const output = await gankit([...args, '--resume', '--steps', '120', '--out', blocked], env);
  const warnings = output.split('\n').filter((l) => l.includes('live.json'));
  assert.equal(warnings.length, 1, output);
  assert.match(warnings[0], /warning: .*live\.json.*training goes on without live\.json/);
  const unwatched = path.join(dir, 'unwatched');
  await gankit([...args, '--steps', '120', '--live-every', '0', '--out', unwatched]);
  assert.equal(readJson(path.join(blocked, 'metrics.json')).steps, 120);
  const lossesOf = (run: string) => stepLines(run).map((l) => [l.step, l.lossD, l.lossG]);
  assert.deepEqual(lossesOf(blocked), lossesOf(unwatched));
});

test('SIGUSR2 writes a checkpoint after the current step and training goes on, to the same losses', async () => {
  const dir = tempDir();
  const steps = 30;
  const args = ['train', '--data', 'ring8', '--steps', String(steps), '--checkpoint-every', '0', ...QUICK];
  const out = path.join(dir, 'asked');
  const run = start([...args, '--out', out], { GANKIT_SLOW_STEP_MS: '200' });
  const stats = path.join(out, 'stats.jsonl');
  const checkpoints = path.join(out, 'checkpoints');
  const began = Date.now();
  while (lastStep(stats) < 5 && run.child.exitCode === null && Date.now() - began < 60_000) await sleep(50);
  const sentAt = lastStep(stats);
  assert.ok(sentAt >= 5 && sentAt < steps - 10, `the signal goes at step ${sentAt}, mid-run`);
  run.child.kill('SIGUSR2');
  let written: string | undefined;
  while (!written && run.child.exitCode === null && Date.now() - began < 60_000) {
    written = existsSync(checkpoints) ? readdirSync(checkpoints).find((e) => /^step-\d+$/.test(e)) : undefined;
    await sleep(50);
  }
  assert.ok(written, 'a checkpoint appeared');
  assert.equal(run.child.exitCode, null, 'the trainer still runs after writing it');
  const at = Number(written.slice('step-'.length));
  assert.ok(at >= sentAt && at < steps, `checkpoint at step ${at}, after the signal at step ${sentAt}`);
  const { code, output } = await run.done;
  assert.equal(code, 0, output);
  assert.match(output, new RegExp(`checkpoint at step ${at}, as asked; training goes on`));
  assert.deepEqual(
    readdirSync(checkpoints)
      .filter((e) => e.startsWith('step-'))
      .sort(),
    [stepName(at), stepName(steps)],
  );
  // The uninterrupted run: the extra checkpoint changed nothing.
  const plain = path.join(dir, 'plain');
  await gankit([...args, '--out', plain]);
  assert.deepEqual(stepLines(out), stepLines(plain));
});
