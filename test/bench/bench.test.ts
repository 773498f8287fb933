// `npm run bench` as a user runs it (dist/bench/main.js in real processes): the webgpu row
// names the adapter Dawn finds, --batch and the dcgan64 workload time what they say, and
// --baseline builds another commit in a temporary worktree, times both (the bench's step and
// each build's own `gankit train`), and leaves nothing behind. Timings themselves are not
// asserted: this machine is shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tfl from '@tensorflow/tfjs-layers';
import { describeAdapter, listWebgpuAdapters } from '../../src/backend/webgpu.js';
import { initBackend } from '../../src/backend/index.js';
import { dcgan64Workload } from '../../bench/workloads.js';
import { loopSeconds } from '../../bench/train-workloads.js';
import { skipUnless } from '../requirements.js';

const BENCH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/main.js');
const REPO = path.resolve(path.dirname(BENCH), '../..');

function bench(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BENCH, ...args], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, ...env },
  });
  const rows = (r.stdout ?? '')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  return { status: r.status, rows, out: `${r.stdout}${r.stderr}` };
}

const { adapters, why } = await listWebgpuAdapters();

test(
  'the webgpu row names the adapter Dawn finds and whether it is software',
  { skip: skipUnless(adapters.length > 0, `no WebGPU adapter: ${why}`) },
  () => {
    const r = bench(['--workloads', 'mlp2d', '--backends', 'webgpu', '--rounds', '1', '--steps', '3', '--json']);
    assert.equal(r.status, 0, r.out);
    const row = r.rows.find((o) => o.backend === 'webgpu');
    assert.ok(row, r.out);
    assert.equal(row.adapter, describeAdapter(adapters[0]));
    assert.equal(row.software, adapters[0].software);
    assert.ok(row.stepMs > 0, JSON.stringify(row));
    assert.ok(Number.isFinite(row.lossD) && Number.isFinite(row.lossG), 'the losses were read back');
    // The batch timed is the one asked for, or a smaller one that the note owns up to.
    assert.ok(row.batch === 256 || (row.batch < 256 && /would take/.test(row.note)), JSON.stringify(row));
  },
);

test('dcgan64 is the 64-pixel, 3-channel DCGAN: its parameter count by formula', async () => {
  await initBackend('cpu');
  const { step, real } = dcgan64Workload(1, 2);
  assert.deepEqual(real.shape, [2, 64, 64, 3]);
  const count = (m: tfl.LayersModel) =>
    m.trainableWeights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
  // G: dense 100 → 4·4·512 (no bias), batch norm (γ, β), then 4×4 transposed convs 512→256→128→64→3 with batch norm but the last.
  const g = 100 * 8192 + 2 * 8192 + 16 * (512 * 256 + 256 * 128 + 128 * 64 + 64 * 3) + 2 * (256 + 128 + 64);
  // D: 4×4 convs 3→64→128→256→512 (batch norm after all but the first), then the logit from 4·4·512 (with bias).
  const d = 16 * (3 * 64 + 64 * 128 + 128 * 256 + 256 * 512) + 2 * (128 + 256 + 512) + 8192 + 1;
  assert.equal(count(step.G), g);
  assert.equal(count(step.D), d);
  step.dispose();
});

test('--batch sets the batch the row is timed at', () => {
  const r = bench(['--workloads', 'mlp2d', '--backends', 'native', '--batch', '32', '--rounds', '1', '--json']);
  assert.equal(r.status, 0, r.out);
  const row = r.rows.find((o) => o.backend === 'native');
  assert.equal(row?.batch, 32, r.out);
  assert.ok(row.stepMs > 0);
});

test('--baseline names a commit or is refused', () => {
  const r = bench(['--baseline', 'no-such-ref-anywhere', '--workloads', 'mlp2d']);
  assert.equal(r.status, 1);
  assert.match(r.out, /Expected --baseline to name a commit of this repository but received "no-such-ref-anywhere"/);
});

test("a trainer workload's ms/step is its last step line's seconds over the steps", () => {
  // Lines as gankit train writes them: step lines, then the final evaluation's line for the same step.
  const stats = [
    { step: 1, lossD: 1.3, lossG: 0.7, dReal: 0.5, dFake: 0.5, lr: 1e-3, seconds: 0.25 },
    { step: 2, lossD: 1.2, lossG: 0.7, dReal: 0.5, dFake: 0.5, lr: 5e-4, seconds: 0.75 },
    { step: 2, metrics: { modes: 0 } },
    { step: 2, warning: 'mode collapse' },
  ];
  assert.equal(loopSeconds(stats.map((l) => JSON.stringify(l)).join('\n') + '\n', 2), 0.75);
  assert.equal(loopSeconds(JSON.stringify(stats[0]) + '\n', 2), undefined, 'a run that stopped early has no time');
});

test('--baseline HEAD: both builds timed side by side in alternating rounds, and its worktree removed', () => {
  // The paths git lists (other sessions' worktrees may come and go meanwhile: look for this one's only).
  const worktrees = () =>
    spawnSync('git', ['worktree', 'list', '--porcelain'], { cwd: REPO, encoding: 'utf8' })
      .stdout.split('\n')
      .filter((l) => l.startsWith('worktree '));
  const tmp = mkdtempSync(path.join(tmpdir(), 'gankit-bench-test-'));
  // The step row and both trainer workloads (each build's own gankit train, 4 steps instead of thousands).
  const workloads = 'mlp2d,train-mlp2d,train-dcgan28';
  const args = ['--baseline', 'HEAD', '--workloads', workloads, '--steps', '3', '--train-steps', '4', '--json'];
  const r = bench(args, { TMPDIR: tmp });
  assert.equal(r.status, 0, r.out);
  assert.deepEqual(
    r.rows.map((o) => [o.workload, o.batch, o.steps]),
    [
      ['mlp2d', 256, undefined],
      ['train-mlp2d', 256, 4],
      ['train-dcgan28', 64, 4],
    ],
  );
  for (const row of r.rows) {
    assert.equal(row.baseline.rounds.length, 3);
    assert.equal(row.current.rounds.length, 3);
    for (const ms of [...row.baseline.rounds, ...row.current.rounds]) assert.ok(ms > 0, r.out);
    assert.ok(Math.abs(row.ratioBest - row.current.best / row.baseline.best) < 1e-9);
  }
  assert.deepEqual(readdirSync(tmp), [], 'the temporary worktree and run folders are gone');
  assert.deepEqual(
    worktrees().filter((l) => l.includes(tmp)),
    [],
    'git no longer lists it',
  );
});
