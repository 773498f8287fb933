// A run with --spectral-norm both through the CLI, as a user runs it: N steps, then
// --resume to 2N, gives the same losses as 2N steps uninterrupted (u is in the checkpoint:
// without it the resumed run would restart the power iteration from u's seed and its σ,
// and so its losses, would differ); gankit export writes G folded into plain tfjs layers,
// which load without gankit's layers and compute what the run's G computes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { runCli } from './run-cli.js';
import { loadCheckpointGenerator } from '../../src/run/checkpoint.js';
import { spectralLayers } from '../../src/networks/spectral-norm.js';
import { initBackend } from '../../src/backend/index.js';

await initBackend('cpu');

const N = 20;
const common = ['--data', 'ring8', '--spectral-norm', 'both', '--seed', '5', '--eval-metrics', 'none'];
const common2 = [
  '--plot-every',
  '0',
  '--checkpoint-every',
  String(N),
  '--g-hidden',
  '32,32',
  '--d-hidden',
  '32,32',
  '--lr-final',
  '1',
];

/** The losses and D's outputs of each step, as stats.jsonl recorded them. */
const losses = (run: string) =>
  readFileSync(path.join(run, 'stats.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((l) => 'lossD' in l)
    .map(({ step, lossD, lossG, dReal, dFake }) => ({ step, lossD, lossG, dReal, dFake }));

async function train(out: string, steps: number, ...extra: string[]) {
  const r = await runCli(['train', ...common, ...common2, '--steps', String(steps), '--out', out, ...extra]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
}

test('--spectral-norm both: N steps resumed to 2N give the losses of 2N uninterrupted; export folds G', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'gankit-sn-cli-'));
  try {
    const whole = path.join(root, 'whole');
    const halves = path.join(root, 'halves');
    await train(whole, 2 * N);
    await train(halves, N);
    await train(halves, 2 * N, '--resume');
    const [a, b] = [losses(whole), losses(halves)];
    assert.equal(a.length, 2 * N);
    assert.deepEqual(b, a);

    // u is a weight of the checkpoint, moved by the power iterations from its seeded start.
    const G = await loadCheckpointGenerator(
      path.join(halves, 'checkpoints', `step-${String(2 * N).padStart(7, '0')}`),
      'trained',
    );
    const layers = spectralLayers(G);
    assert.ok(layers.length > 0);

    const out = path.join(root, 'export');
    const r = await runCli(['export', '--run', halves, '--generator', 'trained', '--out', out]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const json = readFileSync(path.join(out, 'model.json'), 'utf8');
    assert.doesNotMatch(json, /GankitSpectral|"u"|\/u"/, 'the export holds no spectral layer and no u');
    // In a fresh Node with tfjs alone (no gankit module, so no gankit layer registered): G's output on z.
    const z = tf.randomNormal([16, G.inputs[0].shape[1] as number], 0, 1, 'float32', 3);
    const zValues = Array.from(z.dataSync());
    const script = `
      const fs = require('node:fs');
      require('@tensorflow/tfjs-backend-cpu');
      const tf = require('@tensorflow/tfjs-core');
      const tfl = require('@tensorflow/tfjs-layers');
      (async () => {
        await tf.setBackend('cpu');
        const dir = process.argv[1];
        const json = JSON.parse(fs.readFileSync(dir + '/model.json', 'utf8'));
        const bin = fs.readFileSync(dir + '/weights.bin');
        const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
        const specs = json.weightsManifest[0].weights;
        const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
        const z = tf.tensor(JSON.parse(process.argv[2]), [16, model.inputs[0].shape[1]]);
        process.stdout.write(JSON.stringify(Array.from(model.predict(z).dataSync())));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const { execFileSync } = await import('node:child_process');
    const plain = JSON.parse(
      execFileSync(process.execPath, ['-e', script, out, JSON.stringify(zValues)], { encoding: 'utf8' }),
    ) as number[];
    const x = G.predict(z) as tf.Tensor;
    const ours = x.dataSync();
    const gap = Math.max(...plain.map((p, i) => Math.abs(p - ours[i])));
    assert.equal(plain.length, ours.length);
    assert.ok(gap <= 1e-5, `the exported G differs from the run's by ${gap}`);
    tf.dispose([x, z]);
    G.dispose();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
