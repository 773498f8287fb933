// DiffAugment's cost per DCGAN-28 step, measured in one process: two players with the
// same weights, one without and one with --augment color,translation,cutout, stepped in
// alternation (rounds of 20 steps each), so that a busy machine slows both alike; the
// medians of the per-round step times and their ratio. The data are fixed random images:
// a step's cost does not depend on the pixels.
// Run: npm run build && node dist/bench/augment.js [rounds] (default 15)
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, describeBackend } from '../src/backend/index.js';
import { presetNetworks } from '../src/networks/presets.js';
import { resolveOptions } from '../src/train/options.js';
import { Gan } from '../src/train/gan.js';
import { Rng } from '../src/rng.js';
import type { Augmentation } from '../src/train/augment.js';
import type { BatchSource } from '../src/data/batches.js';

const rounds = Number(process.argv[2] ?? 15);
const STEPS = 20;
console.log(describeBackend(await initBackend()));

const pixels = new Rng(1).fillUniform(new Float32Array(64 * 28 * 28), -1, 1);
const data: BatchSource = { batch: (_rng, n) => ({ x: tf.tensor4d(pixels.subarray(0, n * 784), [n, 28, 28, 1]) }) };

function player(augment: Augmentation[]): Gan {
  const options = resolveOptions({ data: 'fashion-mnist', model: 'dcgan', augment });
  const { generator, discriminator } = presetNetworks(options, [28, 28, 1], new Rng(1));
  return new Gan(generator, discriminator, options, new Rng(2));
}

const players = { none: player([]), 'color,translation,cutout': player(['color', 'translation', 'cutout']) };
const times: Record<string, number[]> = { none: [], 'color,translation,cutout': [] };
for (const gan of Object.values(players)) for (let i = 0; i < 5; i++) await gan.step(data); // warm-up
for (let r = 0; r < rounds; r++) {
  for (const [name, gan] of Object.entries(players)) {
    const start = performance.now();
    for (let i = 0; i < STEPS; i++) await gan.step(data);
    times[name].push((performance.now() - start) / STEPS);
  }
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const base = median(times.none);
for (const [name, t] of Object.entries(times)) {
  const m = median(t);
  console.log(`${name}: median ${m.toFixed(1)} ms/step over ${rounds} rounds of ${STEPS} (×${(m / base).toFixed(3)})`);
}
