// gankit eval as a user runs it: the contract (one JSON object of numbers), samples
// from a run, from .npy and from a folder of PNGs, and refusals of bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadImages } from '../../src/data/images/index.js';
import { writeNpy } from '../../src/io/npy.js';
import { encodePng, tileImages } from '../../src/plots/grid.js';
import { Rng } from '../../src/rng.js';
import { makeRun } from '../sampling/fixtures.js';
import { runCli } from '../cli/run-cli.js';
import { addNoise, skipFashion as skip, TEST_DATA_DIR, toSigned } from './fixtures.js';

const gankit = (...args: string[]) =>
  runCli(args, { timeout: 300_000, env: { ...process.env, GANKIT_DATA: TEST_DATA_DIR } });

const temp = () => mkdtempSync(path.join(tmpdir(), 'gankit-eval-'));

test(
  'contract: eval --samples s.npy --data fashion-mnist --metrics fid10k,kid --json prints one JSON object of numbers',
  { skip },
  async (t) => {
    // 10,000 real test images with a little noise stand in for a generator's samples.
    const test_ = await loadImages('fashion-mnist', { split: 'test', download: false });
    const rng = new Rng(5);
    const file = path.join(temp(), 's.npy');
    await writeNpy(
      file,
      addNoise(toSigned(test_.images), 0.1, () => rng.normal()),
      [10_000, 28, 28, 1],
    );
    const started = Date.now();
    const r = await gankit('eval', '--samples', file, '--data', 'fashion-mnist', '--metrics', 'fid10k,kid', '--json');
    assert.equal(r.status, 0, r.stderr);
    t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)} s: ${r.stdout.trim()}`);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, 'stdout holds more than one line');
    const result = JSON.parse(lines[0]);
    assert.deepEqual(Object.keys(result).sort(), [
      'fid10k',
      'fid10k_real',
      'kid',
      'kid_real',
      'kid_real_std',
      'kid_std',
    ]);
    for (const [key, value] of Object.entries(result))
      assert.ok(typeof value === 'number' && Number.isFinite(value), `${key}: ${value}`);
    assert.ok(
      result.fid10k > 5 * result.fid10k_real && result.kid > result.kid_real,
      'noise should score worse than real images',
    );
  },
);

test('eval --run generates the samples; a folder of PNGs scores as the same images in .npy', { skip }, async () => {
  const run = await makeRun('dcgan28', { seed: 4 });
  run.generator.dispose();
  // The same 40 test images as uint8 .npy and as RGB PNGs (as torchvision's save_image writes grey images).
  const test_ = await loadImages('fashion-mnist', { split: 'test', download: false });
  const dir = temp();
  const images = test_.images.subarray(0, 40 * 784);
  await writeNpy(path.join(dir, 'real.npy'), images, [40, 28, 28]);
  mkdirSync(path.join(dir, 'pngs'));
  const signed = toSigned(images);
  const sharp = (await import('sharp')).default;
  for (let i = 0; i < 40; i++) {
    const grey = await encodePng(tileImages(signed.subarray(i * 784, (i + 1) * 784), [1, 28, 28, 1], { padding: 0 }));
    await sharp(grey)
      .toColourspace('srgb')
      .png()
      .toFile(path.join(dir, 'pngs', `${String(i).padStart(3, '0')}.png`));
  }
  const [fromRun, fromNpy, fromPngs] = await Promise.all([
    gankit('eval', '--run', run.dir, '--data', 'fashion-mnist', '--metrics', 'fid,classes', '--n', '200'),
    gankit('eval', '--samples', path.join(dir, 'real.npy'), '--data', 'fashion-mnist', '--metrics', 'fid,is', '--json'),
    gankit('eval', '--samples', path.join(dir, 'pngs'), '--data', 'fashion-mnist', '--metrics', 'fid,is', '--json'),
  ]);
  for (const r of [fromRun, fromNpy, fromPngs]) assert.equal(r.status, 0, r.stderr);
  assert.match(fromRun.stdout, /^metric +value +real vs real +meaning\nfid +[\d.]+ +[\d.]+ +Fréchet distance/);
  assert.match(fromRun.stdout, /\nclasses_kl +[\d.]+ +[\d.e-]+ +KL\(generated ‖ data\)/);
  const [a, b] = [JSON.parse(fromNpy.stdout), JSON.parse(fromPngs.stdout)];
  assert.ok(
    Math.abs(a.fid - b.fid) < 1e-6 * a.fid && Math.abs(a.is - b.is) < 1e-6,
    `${fromNpy.stdout} vs ${fromPngs.stdout}`,
  );
});

test('bad input: what was expected, a non-zero exit', async () => {
  const dir = temp();
  const few = path.join(dir, 'few.npy');
  const small = path.join(dir, 'small.npy');
  const bytesAsFloats = path.join(dir, 'bytes.npy');
  await writeNpy(few, new Float32Array(100 * 784).fill(-0.5), [100, 28, 28, 1]);
  await writeNpy(small, new Float32Array(10 * 8 * 8 * 3).fill(-0.5), [10, 8, 8, 3]);
  await writeNpy(bytesAsFloats, new Float32Array(10 * 784).fill(200), [10, 28, 28, 1]);
  const points = await makeRun('mlp2d');
  points.generator.dispose();
  const cases: [string[], RegExp, boolean][] = [
    [
      ['eval', '--samples', few, '--data', 'fashion-mnist', '--metrics', 'fid10k'],
      /Expected at least 10,000 samples for fid10k but received 100/,
      false,
    ],
    [
      ['eval', '--samples', bytesAsFloats, '--data', 'fashion-mnist', '--metrics', 'fid'],
      /Expected float samples in \[−1, 1\] in .*bytes\.npy but they range over \[200, 200\]/,
      false,
    ],
    [
      ['eval', '--samples', few, '--data', 'fashion-mnist', '--metrics', 'fid,nope'],
      /Expected a comma-separated list from fid10k, fid, kid, .* but received "fid,nope"/,
      false,
    ],
    [['eval', '--data', 'fashion-mnist'], /Expected exactly one of --run or --samples but received neither/, false],
    [['eval', '--samples', few], /Expected --data .* with --samples/, false],
    [
      ['eval', '--run', points.dir, '--metrics', 'fid'],
      /Expected an image run for eval but .* outputs 2D points/,
      false,
    ],
    [
      ['eval', '--samples', small, '--data', 'fashion-mnist', '--metrics', 'fid'],
      /Expected samples of 28×28×1 \(the shape of fashion-mnist's images\) but received 8×8×3/,
      true,
    ],
  ];
  const runnable = cases.filter(([, , needsData]) => !needsData || !skip);
  const results = await Promise.all(runnable.map(([args]) => gankit(...args)));
  runnable.forEach(([args, message], i) => {
    assert.notEqual(results[i].status, 0, `${args.join(' ')} exited 0`);
    assert.match(results[i].stderr, message, `${args.join(' ')}: ${results[i].stderr}`);
  });
});
