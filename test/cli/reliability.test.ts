// Reliability through the real CLI: SIGKILL at random moments, SIGINT and SIGTERM, a
// full disk (a small tmpfs), two trainers on one run, refusals that must leave a run
// byte-identical, and divergence recovered by rolling back. The reference for every
// continuation is an uninterrupted run of the same command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/rng.js';
import { statsLines, stepLines } from '../train/run-files.js';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');
const gankit = (args: string[], o: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 180_000, ...o });

/** The command under test: small networks, frequent checkpoints, evaluations and pictures. */
const RUN = [
  'train',
  '--data',
  'ring8',
  '--seed',
  '7',
  '--steps',
  '1200',
  '--checkpoint-every',
  '25',
  '--eval-every',
  '300',
  '--plot-every',
  '300',
  '--g-hidden',
  '64,64',
  '--d-hidden',
  '64,64',
  '--eval-samples',
  '1000',
];

const temp = () => mkdtempSync(path.join(tmpdir(), 'gankit-reliability-'));

let reference: ReturnType<typeof stepLines> | undefined;
/** The uninterrupted run's step lines, made once. */
function uninterrupted() {
  if (!reference) {
    const out = path.join(temp(), 'run');
    const r = gankit([...RUN, '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    reference = stepLines(out);
    assert.equal(reference.length, 1200);
  }
  return reference;
}

/** Starts gankit in the background; resolves with its exit code or signal, and how long it took after `signal`. */
function start(args: string[]) {
  // Progress lines five times a second: waitForStep reads them.
  const env = { ...process.env, GANKIT_PROGRESS_EVERY: '0.2' };
  const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, output: () => stdout };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the run has trained past `step` (its progress line), or the process ended. */
async function waitForStep(run: ReturnType<typeof start>, step: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const steps = [...run.output().matchAll(/step (\d+)\/\d+/g)].map((m) => Number(m[1]));
    if (steps.some((s) => s >= step) || run.child.exitCode !== null) return;
    await sleep(100);
  }
}

/** Leftovers of interrupted writes: temporary files and folders anywhere in the run. */
function temporaries(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tmp-\d+-\d+$/.test(f));
}

function assertExactContinuation(out: string) {
  const lines = stepLines(out);
  assert.deepEqual(
    lines.map((l) => l.step),
    Array.from({ length: 1200 }, (_, i) => i + 1),
    'one line per step',
  );
  assert.deepEqual(lines, uninterrupted(), 'the same losses as the uninterrupted run');
  assert.deepEqual(temporaries(out), [], 'no temporary file left');
  assert.ok(!existsSync(path.join(out, 'lock')), 'the lock is released');
}

test('SIGKILL at random moments, then --resume until done: exactly the uninterrupted run', async () => {
  uninterrupted();
  const out = path.join(temp(), 'run');
  const rng = new Rng(20261129);
  let kills = 0;
  let resumed = false;
  for (let attempt = 0; attempt < 30; attempt++) {
    // --force: a kill during start-up may have left the lock file, which marks the folder as a run's.
    const run = start(resumed ? ['train', '--resume', '--out', out] : [...RUN, '--force', '--out', out]);
    // Start-up takes about a second; kills land from before the first step to the middle of checkpoint writes.
    await sleep(500 + rng.uniform() * 2500);
    run.child.kill('SIGKILL');
    const result = await run.done;
    if (result.signal === 'SIGKILL') kills++;
    else assert.equal(result.code, 0, result.stderr);
    if (result.code === 0) break;
    // A kill before options.json existed leaves nothing to resume: the command is started anew.
    resumed = existsSync(path.join(out, 'options.json'));
  }
  // On a loaded machine every kill may land during start-up: then the last one left nothing to resume.
  let last = gankit(resumed ? ['train', '--resume', '--out', out] : [...RUN, '--force', '--out', out]);
  assert.equal(last.status, 0, last.stderr);
  assert.ok(kills >= 5, `only ${kills} kills landed`);
  assertExactContinuation(out);
  // A finished run resumes as a no-op that changes no step.
  last = gankit(['train', '--resume', '--out', out]);
  assert.equal(last.status, 0, last.stderr);
  assertExactContinuation(out);
});

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test(`${signal} saves a checkpoint after the current step and exits ${code}; the resumed run is exact`, async () => {
    uninterrupted();
    const out = path.join(temp(), 'run');
    const run = start([...RUN, '--out', out]);
    await waitForStep(run, 100);
    const sent = performance.now();
    run.child.kill(signal);
    const result = await run.done;
    const seconds = (performance.now() - sent) / 1000;
    assert.equal(result.code, code, result.stderr);
    const interrupted = Number(/interrupted after step (\d+)/.exec(result.stdout)?.[1]);
    assert.ok(interrupted >= 100 && interrupted < 1200, result.stdout);
    // A second is the bound; the checkpoint of these networks takes milliseconds. Generous for a busy machine.
    assert.ok(seconds < 3, `exited ${seconds.toFixed(2)} s after ${signal}`);
    const latest = readFileSync(path.join(out, 'checkpoints', 'latest'), 'utf8').trim();
    assert.equal(latest, `step-${String(interrupted).padStart(7, '0')}`, 'the checkpoint is of the last step');
    assert.equal(stepLines(out).length, interrupted);
    const resumed = gankit(['train', '--resume', '--out', out]);
    assert.equal(resumed.status, 0, resumed.stderr);
    assertExactContinuation(out);
    // The resumed call reports its own steps; the record's seconds go on across the two sessions.
    const trained = 1200 - interrupted;
    assert.match(resumed.stdout, new RegExp(`trained ${trained} steps \\(steps ${interrupted + 1}–1200 of the run\\)`));
    const clock = statsLines(out).flatMap((l) => ('lossD' in l ? [l.seconds as number] : []));
    assert.ok(
      clock.every((t, i) => i === 0 || t >= clock[i - 1]),
      'seconds never go back',
    );
  });
}

test('a second SIGINT stops at once; the run still resumes exactly', async () => {
  uninterrupted();
  const out = path.join(temp(), 'run');
  const run = start([...RUN, '--out', out]);
  await waitForStep(run, 200);
  run.child.kill('SIGINT');
  await sleep(2);
  run.child.kill('SIGINT');
  const result = await run.done;
  assert.equal(result.code, 130, result.stderr);
  const resumed = gankit(['train', '--resume', '--out', out]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assertExactContinuation(out);
});

test('two trainers on one run: the second is refused naming the first; a dead one’s lock is taken over', async () => {
  const out = path.join(temp(), 'run');
  const first = start([...RUN, '--steps', '100000', '--out', out]);
  await waitForStep(first, 50);
  const pid = first.child.pid!;
  const second = gankit(['train', '--resume', '--out', out]);
  assert.equal(second.status, 1);
  assert.match(second.stderr, new RegExp(`process ${pid} .*is training it; wait for it to finish or stop it`));
  const replace = gankit([...RUN, '--force', '--out', out]);
  assert.equal(replace.status, 1, 'not even --force replaces a run that is training');
  assert.match(replace.stderr, new RegExp(`process ${pid}`));
  first.child.kill('SIGKILL');
  await first.done;
  const saved = Number(
    readFileSync(path.join(out, 'checkpoints', 'latest'), 'utf8')
      .trim()
      .slice(5),
  );
  const third = gankit(['train', '--resume', '--out', out, '--steps', String(saved + 30)]);
  assert.equal(third.status, 0, third.stderr);
  assert.match(third.stdout, new RegExp(`took over the lock of process ${pid}, which is no longer running`));
  assert.deepEqual(
    stepLines(out).map((l) => l.step),
    Array.from({ length: saved + 30 }, (_, i) => i + 1),
  );
});

/** Every file under `dir` with its bytes' hash (and folders), to compare a run before and after. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const full = path.join(dir, f);
    files[f] = statSync(full).isDirectory() ? 'folder' : createHash('sha256').update(readFileSync(full)).digest('hex');
  }
  return files;
}

test('refused commands leave an existing run byte-identical and write nothing elsewhere', () => {
  const out = path.join(temp(), 'run');
  const made = gankit([...RUN, '--steps', '60', '--out', out]);
  assert.equal(made.status, 0, made.stderr);
  const before = snapshot(out);
  const refusals: [string[], RegExp][] = [
    [[...RUN, '--out', out], /holds a run; continue it with gankit train --resume .*or replace it .*--force/],
    [['train', '--resume', '--force', '--out', out], /either --resume .* or --force .* but received both/],
    [['train', '--resume', '--out', out, '--steps', '0'], /--steps/],
    [['train', '--out', out, '--force', '--data', 'no-such-data'], /no-such-data/],
    [['train', '--out', out, '--force', '--lr', '-1'], /--lr/],
    [['train', '--out', out, '--force', '--model', 'dcgan'], /dcgan/],
    [['train', '--resume', '--out', out, '--steps', '30'], /Expected --steps ≥ 60 .* a run cannot be shortened/],
  ];
  for (const [args, message] of refusals) {
    const r = gankit(args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stdout, /run directory/, 'a refused command names no run directory');
    assert.deepEqual(snapshot(out), before, `${args.join(' ')} changed the run`);
  }
  // Damaged checkpoints (every one: a damaged latest alone falls back to the one before) refuse the resume
  // before the record is touched.
  for (const name of readdirSync(path.join(out, 'checkpoints')).filter((n) => n.startsWith('step-')))
    writeFileSync(path.join(out, 'checkpoints', name, 'state.json'), 'garbage');
  const damaged = snapshot(out);
  const r = gankit(['train', '--resume', '--out', out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /state\.json/);
  assert.deepEqual(snapshot(out), damaged);

  // Without --out a run goes to runs/ under the working directory: a refused command creates nothing there.
  const cwd = temp();
  const bad = gankit(['train', '--data', 'no-such-data'], { cwd });
  assert.equal(bad.status, 1);
  assert.deepEqual(readdirSync(cwd), []);
  // --out naming a file, --resume on a folder that does not exist: what was expected, not EEXIST or ENOENT.
  const file = path.join(temp(), 'notes.txt');
  writeFileSync(file, 'mine');
  const onFile = gankit([...RUN, '--out', file]);
  assert.equal(onFile.status, 1);
  assert.match(onFile.stderr, /Expected --out to name a new or empty folder, or a run, but .*notes\.txt is a file/);
  assert.equal(readFileSync(file, 'utf8'), 'mine');
  const missing = path.join(temp(), 'nothing-here');
  const resumeMissing = gankit(['train', '--resume', '--out', missing]);
  assert.equal(resumeMissing.status, 1);
  assert.match(
    resumeMissing.stderr,
    /Expected --out to name a run to resume but .*nothing-here does not exist; check the path .* or start a new run without --resume/,
  );
  assert.doesNotMatch(onFile.stderr + resumeMissing.stderr, /EEXIST|ENOENT/);
  assert.ok(!existsSync(missing), 'a refused resume creates no folder');
  // A folder of other files is never a run's: refused, even with --force.
  const other = temp();
  writeFileSync(path.join(other, 'notes.txt'), 'mine');
  const into = gankit([...RUN, '--force', '--out', other]);
  assert.equal(into.status, 1);
  assert.match(into.stderr, /holds other files \(notes\.txt\); choose another folder/);
  assert.deepEqual(readdirSync(other), ['notes.txt']);
});

test('a NaN injected into a batch: the run rolls back to its checkpoint, halves the learning rates and finishes', () => {
  const out = path.join(temp(), 'run');
  const r = gankit([...RUN, '--steps', '300', '--out', out], {
    env: { ...process.env, GANKIT_INJECT_NAN_AT: '140' },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /rolled back from step 140 to step 125 and halved the learning rates/);
  const rollbacks = statsLines(out).filter((l) => 'rollback' in l);
  assert.deepEqual(
    rollbacks.map((l) => l.rollback),
    [
      {
        at: 140,
        to: 125,
        attempt: 1,
        of: 3,
        lrScale: 0.5,
        reason: (rollbacks[0].rollback as { reason: string }).reason,
      },
    ],
  );
  assert.match((rollbacks[0].rollback as { reason: string }).reason, /loss D NaN/);
  const lines = stepLines(out);
  assert.deepEqual(
    lines.map((l) => l.step),
    Array.from({ length: 300 }, (_, i) => i + 1),
  );
  // Up to the checkpoint the run is the uninterrupted one; after it, the learning rates are half the schedule's.
  const plainOut = path.join(temp(), 'plain');
  assert.equal(gankit([...RUN, '--steps', '300', '--out', plainOut]).status, 0);
  assert.deepEqual(lines.slice(0, 125), stepLines(plainOut).slice(0, 125));
  assert.notDeepEqual(lines.slice(125), stepLines(plainOut).slice(125));
  const lr = (dir: string) => statsLines(dir).flatMap((l) => ('lossD' in l ? [l.lr as number] : []));
  const [recovered, plain] = [lr(out), lr(plainOut)];
  assert.deepEqual(recovered.slice(0, 125), plain.slice(0, 125));
  for (let i = 125; i < 300; i++) assert.ok(Math.abs(recovered[i] - 0.5 * plain[i]) < 1e-15, `lr at step ${i + 1}`);
  assert.ok(lines.every((l) => Number.isFinite(l.lossD)));
  const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
  assert.equal(metrics.rollbacks, 1);
});

/** Whether this machine lets a test mount a tmpfs in its own user and mount namespace (unshare -rm). */
function canMountTmpfs(): string | undefined {
  const probe = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=1m none /mnt']);
  return probe.status === 0 ? undefined : `unshare -rm … mount -t tmpfs failed: ${probe.stderr || probe.error}`;
}

test('a full disk (a 400 kB tmpfs): a clear error naming the file, the previous checkpoint intact and resumable', (t) => {
  const why = canMountTmpfs();
  if (why) return t.skip(`needs a tmpfs of its own: ${why}`);
  uninterrupted();
  const outside = temp();
  mkdirSync(path.join(outside, 'mnt'));
  const mnt = path.join(outside, 'mnt');
  // Inside the namespace: mount, train into it until the disk fills, then copy the run out. A checkpoint of
  // these networks takes 150 kB, so the third one cannot be written.
  const args = [...RUN, '--checkpoint-every', '100', '--plot-every', '0', '--out', `${mnt}/run`];
  const script =
    `mount -t tmpfs -o size=400k none ${mnt} && "${process.execPath}" ${main} ${args.join(' ')}; ` +
    `code=$?; cp -a ${mnt}/run ${outside}/copy; exit $code`;
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    new RegExp(`Failed writing the checkpoint: the disk holding ${mnt}/run/checkpoints/\\S+ is full`),
  );
  assert.match(
    r.stderr,
    /The last checkpoint is intact: once that is fixed, continue with gankit train --resume --out/,
  );
  const copy = path.join(outside, 'copy');
  assert.deepEqual(temporaries(copy), [], 'no partial file left');
  const latest = readFileSync(path.join(copy, 'checkpoints', 'latest'), 'utf8').trim();
  assert.match(latest, /^step-\d{7}$/);
  const resumed = gankit(['train', '--resume', '--out', copy]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assertExactContinuation(copy);
});
