// The image commands as a user runs them: gankit sample, interpolate and export on
// runs made from randomly initialised generators (see test/sampling/fixtures.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { decodeNpy } from '../../src/io/npy.js';
import { makeRun, tempDir } from '../sampling/fixtures.js';
import { runCli } from './run-cli.js';

const gankit = (...args: string[]) => runCli(args);

const dcgan = makeRun('dcgan28', { seed: 2 }).then((r) => (r.generator.dispose(), r.dir));
const tiny = makeRun('tinyconv', { seed: 3 }).then((r) => (r.generator.dispose(), r.dir));
const points = makeRun('mlp2d').then((r) => (r.generator.dispose(), r.dir));

test('sample an image run: a .png grid, .npy and a folder of PNGs', async () => {
  const run = await dcgan;
  const out = tempDir('gankit-cli-');
  const [png, npy, folder] = await Promise.all([
    gankit('sample', '--run', run, '--n', '10', '--out', path.join(out, 'grid.png')),
    gankit('sample', '--run', run, '--n', '5', '--seed', '4', '--out', path.join(out, 's.npy')),
    gankit('sample', '--run', run, '--n', '12', '--out', path.join(out, 'pngs') + '/'),
  ]);
  for (const r of [png, npy, folder]) assert.equal(r.status, 0, r.stderr);
  assert.match(png.stdout, /wrote 10×28×28×1 samples to .*grid\.png/);

  const grid = await sharp(path.join(out, 'grid.png')).metadata();
  // ceil(√10) = 4 columns of 28 px + 2 padding (122 px), enlarged ×5 to a readable width, under a title; still grey.
  assert.ok(grid.width! >= 5 * (4 * 30 + 2) && grid.height! > 5 * (3 * 30 + 2), `${grid.width}×${grid.height}`);
  assert.equal(grid.channels, 1);

  const bytes = readFileSync(path.join(out, 's.npy'));
  assert.match(
    bytes.subarray(10, 80).toString('latin1'),
    /'descr': '<f4', 'fortran_order': False, 'shape': \(5, 28, 28, 1\)/,
  );
  const array = decodeNpy(bytes);
  assert.ok(array.data.every((v) => v >= -1 && v <= 1));

  const names = readdirSync(path.join(out, 'pngs')).sort();
  assert.equal(names.length, 12);
  assert.deepEqual([names[0], names[11]], ['000000.png', '000011.png']);
  const one = await sharp(path.join(out, 'pngs', '000003.png')).metadata();
  assert.deepEqual([one.width, one.height], [28, 28]);
});

test('interpolate: a grid of walks and an animated loop', async () => {
  const out = tempDir('gankit-cli-');
  const [grid, loop] = await Promise.all([
    gankit(
      'interpolate',
      '--run',
      await dcgan,
      '--out',
      path.join(out, 'walk.png'),
      '--rows',
      '3',
      '--steps',
      '5',
      '--path',
      'lerp',
    ),
    gankit(
      'interpolate',
      '--run',
      await tiny,
      '--out',
      path.join(out, 'tiny.png'),
      '--gif',
      path.join(out, 'tiny.gif'),
      '--frames',
      '8',
    ),
  ]);
  assert.equal(grid.status, 0, grid.stderr);
  assert.equal(loop.status, 0, loop.stderr);
  assert.match(grid.stdout, /wrote 3×5 lerp grid to .*walk\.png/);
  assert.match(loop.stdout, /wrote 8×10 slerp grid to .*tiny\.png\nwrote 8-frame loop to .*tiny\.gif/);
  const walk = await sharp(path.join(out, 'walk.png')).metadata();
  assert.deepEqual([walk.width, walk.height], [5 * 30 + 2, 3 * 30 + 2]);
  const tinyGrid = await sharp(path.join(out, 'tiny.png')).metadata();
  assert.deepEqual([tinyGrid.width, tinyGrid.height, tinyGrid.channels], [10 * 10 + 2, 8 * 10 + 2, 3]);
  const gif = await sharp(path.join(out, 'tiny.gif')).metadata();
  assert.equal(gif.format, 'gif');
  assert.equal(gif.pages, 8);
  assert.deepEqual([gif.width, gif.pageHeight ?? gif.height], [32, 32]); // 8 px × 4
  // Opaque, every frame: nothing vanishes on a light page.
  const frames = await sharp(path.join(out, 'tiny.gif'), { animated: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  assert.equal(frames.info.height, 8 * 32);
  for (let k = 3; k < frames.data.length; k += 4)
    if (frames.data[k] !== 255) assert.fail(`pixel ${(k - 3) / 4} transparent`);
});

test('export writes G for the browser', async () => {
  const out = path.join(tempDir('gankit-cli-'), 'web');
  const r = await gankit('export', '--run', await dcgan, '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /exported G \(trained weights, step 7\): z ∈ R\^100 \(normal\) → 28×28×1 to .*web/);
  assert.deepEqual(readdirSync(out).sort(), ['gankit.json', 'index.html', 'model.json', 'tfjs', 'weights.bin']);
  const meta = JSON.parse(readFileSync(path.join(out, 'gankit.json'), 'utf8'));
  assert.deepEqual(
    [meta.format, meta.latentDim, meta.outputShape, meta.valueRange],
    ['gankit-generator', 100, [28, 28, 1], [-1, 1]],
  );
});

test('bad input: what was expected, non-zero exit, nothing written', async () => {
  const out = tempDir('gankit-cli-');
  const [image, flat] = [await dcgan, await points];
  // Each case is a process (~1 s); the library's tests cover the other refusals.
  const cases: [string[], RegExp][] = [
    [
      ['interpolate', '--run', flat, '--out', path.join(out, 'w.png')],
      /Expected an image run for interpolate but .* generator outputs 2D points/,
    ],
    [
      ['interpolate', '--run', image, '--out', path.join(out, 'w.jpg')],
      /Expected --out to end in \.png but received ".*w\.jpg"/,
    ],
    [
      ['sample', '--run', image, '--out', path.join(out, 's.jpg')],
      /Expected --out to end in one of \.npy, \.csv, \.png but received ".*s\.jpg"/,
    ],
    [
      ['sample', '--run', image, '--class', '3', '--out', path.join(out, 's.png')],
      /Expected a conditional run \(model cgan\/acgan\/infogan\) for --class but .* was trained with model mlp/,
    ],
    [
      ['export', '--run', path.join(out, 'missing'), '--out', path.join(out, 'e')],
      /Expected a run directory with options.json at .*missing/,
    ],
  ];
  const results = await Promise.all(cases.map(([args]) => gankit(...args)));
  cases.forEach(([args, message], i) => {
    assert.notEqual(results[i].status, 0, `${args.join(' ')} exited 0`);
    assert.match(results[i].stderr, message, `${args.join(' ')}: ${results[i].stderr}`);
  });
  assert.deepEqual(readdirSync(out), [], 'something was written');
  assert.ok(!existsSync(path.join(out, 'e')));
});
