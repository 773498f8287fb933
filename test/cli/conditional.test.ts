// Conditional runs from the command line: the contract on Fashion-MNIST (a few
// steps), sampling one class and the class grid, and the refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { decodeNpy } from '../../src/io/npy.js';
import { skipUnless } from '../requirements.js';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');
const gankit = (...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 180_000 });
const fashion = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';

test(
  'train --model cgan on fashion-mnist, then sample --class 3 and the class grid',
  {
    skip: skipUnless(existsSync(fashion), 'dataset-fashion-mnist not installed: apt-get install dataset-fashion-mnist'),
  },
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gankit-cli-conditional-'));
    const run = path.join(dir, 'run');
    const t = gankit(
      'train',
      '--data',
      'fashion-mnist',
      '--model',
      'cgan',
      '--steps',
      '4',
      '--seed',
      '1',
      '--out',
      run,
    );
    assert.equal(t.status, 0, t.stderr);
    assert.equal(JSON.parse(readFileSync(path.join(run, 'options.json'), 'utf8')).numClasses, 10);
    // Scored at the end like any image run, on G's samples over uniformly drawn classes: 4 steps are far from the data.
    const metrics = JSON.parse(readFileSync(path.join(run, 'metrics.json'), 'utf8'));
    assert.ok(metrics.fid10k > 50 && metrics.fid10k_real < 2, JSON.stringify(metrics));

    const npy = path.join(dir, 'c3.npy');
    const s = gankit('sample', '--run', run, '--class', '3', '--n', '10', '--out', npy);
    assert.equal(s.status, 0, s.stderr);
    assert.match(s.stdout, /wrote 10×28×28×1 samples of class 3 to .*c3\.npy/);
    const array = decodeNpy(readFileSync(npy));
    assert.deepEqual(array.shape, [10, 28, 28, 1]);
    assert.ok(array.data.every((v) => v >= -1 && v <= 1));

    const grid = path.join(dir, 'classes.png');
    const g = gankit('sample', '--run', run, '--grid', 'classes', '--out', grid);
    assert.equal(g.status, 0, g.stderr);
    assert.match(g.stdout, /wrote 10×10 classes grid/);
    // The 10 × 10 tiles of 28 px with 2 px padding, enlarged ×2 to a readable width, with a title and row names.
    const meta = await sharp(grid).metadata();
    assert.ok(meta.width! > 2 * (10 * 30 + 2) && meta.height! > 2 * (10 * 30 + 2), `${meta.width}×${meta.height}`);

    const cases: [string[], RegExp][] = [
      [
        ['sample', '--run', run, '--class', '11', '--n', '10', '--out', path.join(dir, 'x.npy')],
        /Expected --class to be an integer in 0\.\.9 \(model cgan, 10 classes\) but received 11/,
      ],
      [
        ['sample', '--run', run, '--grid', 'traversal', '--out', path.join(dir, 'x.png')],
        /Expected an InfoGAN run with continuous codes for a traversal but received model cgan/,
      ],
      [
        ['sample', '--run', run, '--grid', 'classes', '--out', path.join(dir, 'x.npy')],
        /Expected --out to end in \.png with --grid but received ".*x\.npy"/,
      ],
      [
        ['export', '--run', run, '--out', path.join(dir, 'web')],
        /Expected a run whose generator takes z alone but .* was trained with model cgan/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = gankit(...args);
      assert.notEqual(r.status, 0, `${args.join(' ')} exited 0`);
      assert.match(r.stderr, message, `${args.join(' ')}: ${r.stderr}`);
    }
    assert.ok(
      !existsSync(path.join(dir, 'x.npy')) &&
        !existsSync(path.join(dir, 'x.png')) &&
        !existsSync(path.join(dir, 'web')),
    );
  },
);

test('conditional models from the command line: refusals and help', () => {
  const r = gankit('train', '--data', 'spiral', '--model', 'acgan', '--steps', '2');
  assert.notEqual(r.status, 0);
  assert.match(
    r.stderr,
    /Expected labelled data for model acgan .* but spiral has no labels; use --model infogan, which needs none/,
  );
  const bad = gankit('train', '--model', 'infogan', '--info-lambda-cat', '-1');
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /Expected a number ≥ 0 but received "-1"/);
  const help = gankit('sample', '--help').stdout.replace(/\s+/g, ' ');
  assert.match(
    help,
    /--class <k> samples of class k \(cgan, acgan\) or of value k of the categorical code \(infogan\)/,
  );
  assert.match(
    gankit('train', '--help').stdout.replace(/\s+/g, ' '),
    /choices: "mlp", "dcgan", "cgan", "acgan", "infogan"/,
  );
});
