// A checkpoint written on one backend resumes on another (issue 19), through the CLI in
// real processes. The reference is one uninterrupted cpu run of 2N steps: a run of N steps
// on backend A with a checkpoint at N, then `--resume --steps 2N --backend B`, must
// - on cpu → cpu, repeat the reference's losses exactly (the control: the resume itself
//   changes nothing, so what differs below is the backends' float rounding alone);
// - on A ≠ B, record backend B in metrics.json and on its start-up line, keep the first N
//   step lines as A wrote them, and give the reference's losses and D outputs to TOLERANCE
//   from step N+1 on: step N+1's D loss is computed on the checkpoint's weights before any
//   update, so it checks that B started from exactly those (fresh or stale weights would be
//   off by far more, which the test also checks the reference shows), and the later steps
//   check Adam's moments came across too.
// The learning rates are held constant (--lr-final 1) so that a run of N steps extended to
// 2N is the same computation as a run of 2N. webgpu joins where an adapter exists (in CI,
// Mesa's llvmpipe; skipUnless: under CI it runs and fails without one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listWebgpuAdapters } from '../../src/backend/webgpu.js';
import { skipUnless } from '../requirements.js';
import { stepLines } from '../train/run-files.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');
const N = 40;
/**
 * Backends round float32 differently: on the development machine the cases below agreed
 * with cpu to 3.6e-7 at most (wasm, webgpu on llvmpipe; native exactly), while a resume
 * that started from the first step's state would be 0.2 off. Tight enough that Adam's
 * moments matter (a lost moment changes an update by up to the learning rate).
 */
const TOLERANCE = 1e-5;

const RUN = [
  'train',
  '--data',
  'ring8',
  '--seed',
  '5',
  '--g-hidden',
  '16,16',
  '--d-hidden',
  '16,16',
  '--batch-size',
  '64',
  '--lr-final',
  '1',
  '--checkpoint-every',
  String(N),
  '--eval-every',
  '0',
  '--plot-every',
  '0',
  '--live-every',
  '0',
];

function gankit(args: string[], backend: string) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--backend', backend], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, GANKIT_BACKEND: '' },
  });
  const out = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, `gankit ${args.join(' ')} --backend ${backend} failed:\n${out}`);
  return out;
}

const temp = () => path.join(mkdtempSync(path.join(tmpdir(), 'gankit-resume-backends-')), 'run');

let reference: ReturnType<typeof stepLines> | undefined;
/** The uninterrupted cpu run of 2N steps, made once. */
function uninterrupted() {
  if (!reference) {
    const out = temp();
    gankit([...RUN, '--steps', String(2 * N), '--out', out], 'cpu');
    reference = stepLines(out);
    assert.equal(reference.length, 2 * N);
  }
  return reference;
}

/** Trains N steps on `from`, resumes to 2N on `to`; returns both folders' step lines and the resume's output. */
function resumeAcross(from: string, to: string) {
  const first = temp();
  gankit([...RUN, '--steps', String(N), '--out', first], from);
  const resumed = temp();
  cpSync(first, resumed, { recursive: true });
  const out = gankit(['train', '--resume', '--out', resumed, '--steps', String(2 * N)], to);
  return { before: stepLines(first), after: stepLines(resumed), out, metrics: readMetrics(resumed) };
}

const readMetrics = (run: string) => JSON.parse(readFileSync(path.join(run, 'metrics.json'), 'utf8'));

/** The largest difference in losses and D outputs between two lists of step lines, step by step. */
function largestDifference(a: ReturnType<typeof stepLines>, b: ReturnType<typeof stepLines>): number {
  assert.deepEqual(
    a.map((l) => l.step),
    b.map((l) => l.step),
  );
  let most = 0;
  a.forEach((l, i) => {
    for (const k of ['lossD', 'lossG', 'dReal', 'dFake'] as const) most = Math.max(most, Math.abs(l[k] - b[i][k]));
  });
  return most;
}

test('the tolerance can fail: the reference after N steps is far from where it started', () => {
  const ref = uninterrupted();
  // A resume that ignored the checkpoint (fresh weights, fresh Adam) would look like the first steps again.
  assert.ok(
    largestDifference(
      ref.slice(N, N + 3),
      ref.slice(0, 3).map((l, i) => ({ ...l, step: N + 1 + i })),
    ) >
      10 * TOLERANCE,
  );
});

test('resume on the same backend (cpu → cpu) repeats the uninterrupted run exactly', () => {
  const { before, after, metrics } = resumeAcross('cpu', 'cpu');
  assert.deepEqual(before, uninterrupted().slice(0, N));
  assert.deepEqual(after, uninterrupted());
  assert.equal(metrics.backend, 'cpu');
});

const { adapters, why } = await listWebgpuAdapters();
const noAdapter = skipUnless(adapters.length > 0, `no WebGPU adapter: ${why}`);

for (const [from, to, skip] of [
  ['cpu', 'wasm', false],
  ['native', 'cpu', false],
  ['cpu', 'webgpu', noAdapter],
  ['webgpu', 'cpu', noAdapter],
] as const) {
  test(
    `a checkpoint written on ${from} resumes on ${to}: the uninterrupted cpu run's losses to ${TOLERANCE}`,
    { skip },
    () => {
      const ref = uninterrupted();
      const { before, after, out, metrics } = resumeAcross(from, to);
      assert.match(out, new RegExp(`backend: ${to}\\b`), 'the start-up line names the new backend');
      assert.match(out, new RegExp(`at step ${N}\\b`), `it resumed from the checkpoint at step ${N}:\n${out}`);
      assert.equal(metrics.backend, to);
      assert.equal(metrics.steps, 2 * N);
      assert.deepEqual(after.slice(0, N), before, `the first ${N} steps stay as ${from} wrote them`);
      assert.ok(largestDifference(before, ref.slice(0, N)) <= TOLERANCE, `${from}'s first ${N} steps agree with cpu`);
      const first = largestDifference(after.slice(N, N + 1), ref.slice(N, N + 1));
      assert.ok(first <= TOLERANCE, `step ${N + 1} on ${to}: ${first} from cpu's, on the checkpoint's weights`);
      const rest = largestDifference(after.slice(N), ref.slice(N));
      assert.ok(rest <= TOLERANCE, `steps ${N + 1}–${2 * N} on ${to}: up to ${rest} from cpu's`);
    },
  );
}
