// The command line as a user runs it: a child process, its output and exit code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNpy } from '../../src/io/npy.js';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');
const gankit = (...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 120_000 });
const small = [
  '--g-hidden',
  '32,32',
  '--d-hidden',
  '32,32',
  '--batch-size',
  '64',
  '--latent-dim',
  '2',
  '--eval-samples',
  '500',
];

test('train then sample: metrics.json, then .npy, .csv and .png samples', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-cli-'));
  const run = path.join(dir, 'run');
  const t = gankit('train', '--data', 'grid25', '--seed', '3', '--steps', '30', ...small, '--out', run);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /^backend: /m);
  assert.match(t.stdout, /final: modes \d+\/25 · high quality/);
  assert.match(t.stdout, /^step 30\/30 · ETA 0s · .* · loss D /m); // plain progress lines when not on a terminal
  const metrics = JSON.parse(readFileSync(path.join(run, 'metrics.json'), 'utf8'));
  for (const key of ['modes', 'highQuality', 'reverseKL']) assert.equal(typeof metrics[key], 'number');
  // Flags left out take the data's defaults (toy: β1 0; an image run keeps 0.5).
  const options = JSON.parse(readFileSync(path.join(run, 'options.json'), 'utf8'));
  assert.deepEqual([options.beta1, options.r1Every], [0, 16]);

  const npy = path.join(dir, 's.npy');
  const s = gankit('sample', '--run', run, '--n', '2500', '--out', npy);
  assert.equal(s.status, 0, s.stderr);
  const array = decodeNpy(readFileSync(npy));
  assert.deepEqual(array.shape, [2500, 2]);
  assert.ok(array.data.every(Number.isFinite));
  assert.ok(new Set(array.data).size > 1000, 'samples are not varied');

  // The run's 1% Jacobian truncation by default; --jacobian-truncation 0 gives G's own
  // samples, the first of which is the CSV's first row.
  assert.equal(metrics.jacobianTruncation, 0.01);
  const rawNpy = path.join(dir, 'raw.npy');
  assert.equal(gankit('sample', '--run', run, '--n', '2500', '--jacobian-truncation', '0', '--out', rawNpy).status, 0);
  const raw = decodeNpy(readFileSync(rawNpy));
  assert.notDeepEqual(raw.data, array.data);
  const csv = path.join(dir, 's.csv');
  assert.equal(gankit('sample', '--run', run, '--n', '10', '--jacobian-truncation', '0', '--out', csv).status, 0);
  const rows = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(rows[0], 'x1,x2');
  assert.equal(rows.length, 11);
  assert.deepEqual(rows[1].split(',').map(Number), Array.from(raw.data.subarray(0, 2)));

  const png = path.join(dir, 's.png');
  assert.equal(gankit('sample', '--run', run, '--n', '500', '--out', png).status, 0);
  assert.deepEqual([...readFileSync(png).subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
});

test('--help everywhere', () => {
  for (const args of [['--help'], ['train', '--help'], ['sample', '--help']]) {
    const r = gankit(...args);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: gankit/);
  }
  const help = gankit('train', '--help').stdout.replace(/\s+/g, ' ');
  assert.match(
    help,
    /--loss <game> .*\(default: nonsaturating; --recipe sngan: hinge, --recipe dcgan-fast: hinge\) \(choices: "nonsaturating", "minimax", "lsgan", "wgan", "wgan-gp", "hinge"\)/,
  );
});

test('bad input: what was expected, what was received, non-zero exit, nothing written', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-cli-'));
  const cases: [string[], RegExp][] = [
    [['train', '--stepz', '10'], /unknown option '--stepz'/],
    [['train', '--steps', 'ten'], /Expected a positive integer but received "ten"/],
    [['train', '--steps', '0'], /Expected a positive integer but received "0"/],
    [
      ['train', '--data', 'ring9'],
      /Expected data to be one of ring8, grid25, gauss1d, spiral, moons, mnist, fashion-mnist, kmnist, cifar10 or a path to image data but received "ring9"/,
    ],
    [
      ['train', '--data', 'grid25', '--model', 'dcgan'],
      /Expected model to be one of mlp, cgan, acgan, infogan, custom but received "dcgan"/,
    ],
    [
      ['train', '--g-hidden', '64,x'],
      /Expected a comma-separated list of positive integers such as 128,128,128 but received "64,x"/,
    ],
    [['train', '--lr-final', '2'], /Expected a number in \[0, 1\] but received "2"/],
    [['train', '--resume'], /Expected --out DIR with --resume/],
    [
      ['sample', '--run', path.join(dir, 'nothing'), '--out', path.join(dir, 'x.npy')],
      /Expected a run directory with options.json at .*nothing/,
    ],
    [
      ['sample', '--run', dir, '--out', path.join(dir, 'x.txt')],
      /Expected --out to end in one of .npy, .csv, .png but received/,
    ],
    [['sample', '--out', 'x.npy'], /required option '--run <dir>' not specified/],
    [
      ['sample', '--run', dir, '--jacobian-truncation', '1', '--out', path.join(dir, 'x.npy')],
      /Expected a number in \[0, 1\) but received "1"/,
    ],
    [['train', '--jacobian-truncation', '-0.1'], /Expected a number in \[0, 1\) but received "-0.1"/],
  ];
  for (const [args, message] of cases) {
    const r = gankit(...args);
    assert.notEqual(r.status, 0, `${args.join(' ')} exited 0`);
    assert.match(r.stderr, message, `${args.join(' ')}: ${r.stderr}`);
  }
  assert.ok(!existsSync(path.join(dir, 'x.npy')));
});
