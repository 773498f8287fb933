// Every run ends with a verdict (issue 16): the contract's image run (a few steps
// instead of an epoch) ends with fid10k beside its reference in metrics.json and in its
// final lines, then the verdict as the very last line; --eval-metrics none skips the
// evaluation; a 1D run reports its distances and draws its samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { skipUnless } from '../requirements.js';
import { TEST_DATA_DIR } from '../metrics/fixtures.js';
import { runCli } from './run-cli.js';

const fashion = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';
const tempRun = () => path.join(mkdtempSync(path.join(tmpdir(), 'gankit-verdict-')), 'run');
// The metrics tests' cache: the training set's features are computed once for all tests.
const env = { ...process.env, GANKIT_DATA: TEST_DATA_DIR };
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const lastLines = (stdout: string, n: number) => stdout.trimEnd().split('\n').slice(-n);

test(
  'train --data fashion-mnist ends with fid10k and fid10k_real in metrics.json, printed, then the verdict',
  {
    skip: skipUnless(existsSync(fashion), 'dataset-fashion-mnist not installed: apt-get install dataset-fashion-mnist'),
  },
  async () => {
    const out = tempRun();
    const r = await runCli(['train', '--data', 'fashion-mnist', '--steps', '3', '--plot-every', '0', '--out', out], {
      env,
    });
    assert.equal(r.status, 0, r.stderr);
    const metrics = json(path.join(out, 'metrics.json'));
    // Three steps from random weights are far from the data; the test set is close to the training set.
    assert.ok(metrics.fid10k > 100, `fid10k ${metrics.fid10k}`);
    assert.ok(metrics.fid10k_real > 0 && metrics.fid10k_real < 2, `fid10k_real ${metrics.fid10k_real}`);
    // The final evaluation is in the record too, at the last step.
    const lines = readFileSync(path.join(out, 'stats.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.filter((l) => 'imageMetrics' in l),
      [{ step: 3, imageMetrics: { fid10k: metrics.fid10k, fid10k_real: metrics.fid10k_real } }],
    );
    const [trained, final, wrote, last] = lastLines(r.stdout, 4);
    assert.match(trained, /^trained 3 steps/);
    const one = (v: number) => (v >= 10 ? v.toFixed(1) : v.toPrecision(3));
    assert.equal(final, `final: fid10k ${one(metrics.fid10k)} (real ${one(metrics.fid10k_real)})`);
    assert.match(wrote, /^wrote .*metrics\.json/);
    assert.equal(last, `verdict: ${metrics.verdict}`);
    assert.match(last, /^verdict: poor — fid10k \d+\.\d \(real vs real 0\.\d\d\); DCGAN-28 scores 73\.8 after 1 epoch/);
    assert.ok(last.includes(path.join(out, 'samples.png')), last);
  },
);

test(
  '--eval-metrics none: no evaluation at all, and the verdict says how to score the run',
  {
    skip: skipUnless(existsSync(fashion), 'dataset-fashion-mnist not installed: apt-get install dataset-fashion-mnist'),
  },
  async () => {
    const out = tempRun();
    const args = ['train', '--data', 'fashion-mnist', '--steps', '2', '--plot-every', '0', '--eval-metrics', 'none'];
    const r = await runCli([...args, '--out', out], { env });
    assert.equal(r.status, 0, r.stderr);
    const metrics = json(path.join(out, 'metrics.json'));
    assert.equal(metrics.fid10k, undefined);
    assert.deepEqual(json(path.join(out, 'options.json')).evalMetrics, []);
    assert.doesNotMatch(r.stdout, /final evaluation|fid10k/);
    assert.equal(
      lastLines(r.stdout, 1)[0],
      `verdict: not measured — no FID at the end; look at ${path.join(out, 'samples.png')}, or score it with ` +
        `gankit eval --run ${out}`,
    );
    // An empty list is refused, not taken for none.
    const empty = await runCli(['train', '--data', 'ring8', '--eval-metrics', '', '--out', tempRun()], { env });
    assert.notEqual(empty.status, 0);
    assert.match(empty.stderr, /Expected a comma-separated list from fid10k.*, or none but received ""/);
  },
);

test('gauss1d: W1 and KS beside real data own, samples.png drawn, then the verdict', async () => {
  const out = tempRun();
  const r = await runCli(['train', '--data', 'gauss1d', '--steps', '200', '--plot-every', '0', '--out', out], { env });
  assert.equal(r.status, 0, r.stderr);
  const m = json(path.join(out, 'metrics.json'));
  for (const key of ['wasserstein1', 'wasserstein1_real', 'ks', 'ks_real'])
    assert.equal(typeof m[key], 'number', `${key} in ${JSON.stringify(m)}`);
  const [final, , last] = lastLines(r.stdout, 3);
  assert.match(final, /^final: wasserstein1 [\d.]+ \(real [\d.]+\) · ks [\d.]+ \(real [\d.]+\)$/);
  assert.match(last, /^verdict: (good|fair|poor) — .*Wasserstein-1 .*KS /);
  assert.equal(last, `verdict: ${m.verdict}`);
  const png = PNG.sync.read(readFileSync(path.join(out, 'samples.png')));
  assert.ok(png.width > 800 && png.height > 300, `${png.width}×${png.height}`);
});
