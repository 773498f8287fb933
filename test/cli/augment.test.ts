// --augment through the CLI, as a user runs it: `none` is today's code path (the same record
// as a run without the option), and augmented runs repeat with their seed, change with it,
// and resume exactly, unconditional DCGAN and CGAN's projection D alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeNpy } from '../../src/io/npy.js';
import { Rng } from '../../src/rng.js';
import { skipUnless } from '../requirements.js';
import { stepLines } from '../train/run-files.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gankit-augment-'));
const fashion = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';

/** 200 random 28×28 RGB images as an .npy file: three channels, so saturation takes part. */
async function colourImages(): Promise<string> {
  const file = path.join(dir, 'rgb.npy');
  const pixels = new Uint8Array(200 * 28 * 28 * 3);
  const rng = new Rng(9);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextUint32() & 255;
  await writeNpy(file, pixels, [200, 28, 28, 3]);
  return file;
}

/** Trains to `out` (DCGAN on the data unless `extra` says otherwise), failing the test with the CLI's output. */
async function train(out: string, data: string, extra: string[]): Promise<void> {
  const args = ['train', '--data', data, '--eval-metrics', 'none', '--plot-every', '0', '--checkpoint-every', '0'];
  const r = await runCli([...args, '--out', path.join(dir, out), ...extra], { timeout: 300_000 });
  assert.equal(r.status, 0, `${out}: ${r.stdout}\n${r.stderr}`);
}

/** stats.jsonl with each line's wall-clock `seconds` taken out: the only field two equal runs may differ in. */
const record = (out: string) =>
  readFileSync(path.join(dir, out, 'stats.jsonl'), 'utf8').replace(/,"seconds":[0-9.e+-]+/g, '');
const options = (out: string) => {
  const { out: _, ...rest } = JSON.parse(readFileSync(path.join(dir, out, 'options.json'), 'utf8'));
  return rest;
};
const losses = (out: string) => stepLines(path.join(dir, out));

test('--augment none trains exactly as a run without the option: the same record byte for byte', async () => {
  const data = await colourImages();
  await train('plain', data, ['--steps', '20', '--seed', '3']);
  await train('none', data, ['--steps', '20', '--seed', '3', '--augment', 'none']);
  assert.equal(losses('plain').length, 20);
  assert.equal(record('none'), record('plain'));
  assert.deepEqual(options('none'), options('plain'));
  assert.deepEqual(options('none').augment, []);
});

test('--augment color,translation,cutout: same seed, same run; another seed, another; N + N resumed = 2N', async () => {
  const data = await colourImages();
  const all = ['--augment', 'color,translation,cutout'];
  await train('a', data, ['--steps', '20', '--seed', '3', ...all]);
  await train('b', data, ['--steps', '20', '--seed', '3', ...all]);
  await train('c', data, ['--steps', '20', '--seed', '4', ...all]);
  await train('resumed', data, ['--steps', '10', '--seed', '3', ...all]);
  await train('resumed', data, ['--resume', '--steps', '20']);
  assert.deepEqual(options('a').augment, ['color', 'translation', 'cutout']);
  assert.equal(losses('a').length, 20);
  assert.deepEqual(losses('b'), losses('a'));
  assert.deepEqual(losses('resumed'), losses('a'));
  assert.notDeepEqual(losses('c')[0], losses('a')[0]);
  // Augmentation acts: D's first losses differ from the unaugmented run of the same seed (the test above made it,
  // when it ran; else make it here).
  if (!existsSync(path.join(dir, 'plain', 'stats.jsonl'))) await train('plain', data, ['--steps', '20', '--seed', '3']);
  assert.notEqual(losses('a')[0].lossD, losses('plain')[0].lossD);
});

test(
  'CGAN with --augment on Fashion-MNIST: projection D judges augmented batches with their labels; resumes exactly',
  {
    skip: skipUnless(existsSync(fashion), 'dataset-fashion-mnist not installed: apt-get install dataset-fashion-mnist'),
  },
  async () => {
    const cgan = ['--model', 'cgan', '--seed', '2'];
    const all = ['--augment', 'color,translation,cutout'];
    await train('cgan', 'fashion-mnist', [...cgan, '--steps', '6', ...all]);
    await train('cgan-resumed', 'fashion-mnist', [...cgan, '--steps', '3', ...all]);
    await train('cgan-resumed', 'fashion-mnist', ['--resume', '--steps', '6']);
    await train('cgan-plain', 'fashion-mnist', [...cgan, '--steps', '1']);
    const lines = losses('cgan');
    assert.equal(lines.length, 6);
    assert.ok(
      lines.every((l) => [l.lossD, l.lossG, l.dReal, l.dFake].every(Number.isFinite)),
      JSON.stringify(lines),
    );
    assert.deepEqual(losses('cgan-resumed'), lines);
    assert.notEqual(lines[0].lossD, losses('cgan-plain')[0].lossD);
  },
);

test('the CLI refuses --augment on 2D data and a misspelt transform, before training', async () => {
  const toy = await runCli(['train', '--data', 'ring8', '--augment', 'cutout', '--out', path.join(dir, 'toy')]);
  assert.notEqual(toy.status, 0);
  assert.match(
    toy.stderr,
    /Expected image data for --augment \(DiffAugment transforms images\) but ring8 is 2D points; leave --augment out \(or set it to none\)/,
  );
  const typo = await runCli(['train', '--data', 'mnist', '--augment', 'color,cutuot', '--out', path.join(dir, 'typo')]);
  assert.notEqual(typo.status, 0);
  assert.match(
    typo.stderr,
    /Expected a comma-separated list from color, translation, cutout, or none but received "color,cutuot"\. Did you mean "cutout"\?/,
  );
  assert.ok(!existsSync(path.join(dir, 'toy', 'stats.jsonl')) && !existsSync(path.join(dir, 'typo', 'stats.jsonl')));
});
