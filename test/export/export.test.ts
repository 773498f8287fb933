// Exporting G: the files, gankit.json, a round trip through the tfjs format, and
// an export that appears whole or not at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { exportGenerator } from '../../src/export/export.js';
import type { GeneratorMetadata } from '../../src/export/metadata.js';
import { loadModel } from '../../src/io/model-files.js';
import { Rng } from '../../src/rng.js';
import { drawLatents } from '../../src/generate/latent.js';
import { makeRun, tempDir, type FixtureKind } from '../sampling/fixtures.js';

/**
 * Loads the export the way its index.html does, with tfjs's own HTTP loader (weights
 * fetched relative to model.json), from a local server whose root is `root`.
 */
async function loadOverHttp(root: string, modelJson: string): Promise<tfl.LayersModel> {
  const server = http.createServer((request, response) => {
    readFile(path.join(root, decodeURIComponent(new URL(request.url!, 'http://x').pathname))).then(
      (body) => response.end(body),
      () => ((response.statusCode = 404), response.end()),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as { port: number };
    return await tfl.loadLayersModel(`http://127.0.0.1:${port}/${path.relative(root, modelJson)}`);
  } finally {
    server.close();
  }
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

const cases: [FixtureKind, number[], [number, number] | null][] = [
  ['dcgan28', [28, 28, 1], [-1, 1]],
  ['mlp2d', [2], null],
];

for (const [kind, outputShape, valueRange] of cases) {
  test(`${kind}: the exported model gives G's outputs; gankit.json describes it`, async () => {
    const { dir, generator, latentDim } = await makeRun(kind, { step: 42 });
    const out = path.join(tempDir(), 'web', 'generator');
    const info = await exportGenerator({ run: dir, out });
    assert.equal(info.out, out);
    assert.deepEqual(readdirSync(out).sort(), ['gankit.json', 'index.html', 'model.json', 'weights.bin']);
    assert.ok(!readdirSync(path.dirname(out)).some((n) => n.includes('.tmp')), 'temporary folder left behind');

    const meta: GeneratorMetadata = JSON.parse(readFileSync(path.join(out, 'gankit.json'), 'utf8'));
    const { exportedAt, ...rest } = meta;
    assert.deepEqual(rest, {
      format: 'gankit-generator',
      version: 1,
      latentDim,
      prior: 'normal',
      outputShape,
      valueRange,
      data: 'ring8',
      step: 42,
      model: 'mlp',
      weights: 'trained',
      jacobianTruncation: 0,
    });
    assert.ok(Math.abs(Date.parse(exportedAt) - Date.now()) < 60_000);
    assert.deepEqual(info.metadata, meta);

    const html = readFileSync(path.join(out, 'index.html'), 'utf8');
    assert.match(
      html,
      /<script src="https:\/\/cdn\.jsdelivr\.net\/npm\/@tensorflow\/tfjs@4\.22\.0\/dist\/tf\.min\.js"><\/script>/,
    );
    assert.match(html, /tf\.loadLayersModel\(new URL\('model\.json', location\.href\)\.href\)/);

    // Served from a folder above the export, as a web page would be, and read by tfjs itself (not gankit's loader).
    const loaded = await loadOverHttp(path.dirname(path.dirname(out)), path.join(out, 'model.json'));
    const z = tf.tensor2d(drawLatents(new Rng(3), 'normal', 5, latentDim), [5, latentDim]);
    const expected = tf.tidy(() => (generator.predict(z) as tf.Tensor).dataSync());
    const actual = tf.tidy(() => (loaded.predict(z) as tf.Tensor).dataSync());
    assert.ok(maxAbsDiff(actual, expected) <= 1e-6, `max abs diff ${maxAbsDiff(actual, expected)}`);
    z.dispose();
    loaded.dispose();
    generator.dispose();
  });
}

test('the moving average is exported by default; the trained G on request', async () => {
  const { dir, generator, average, latentDim } = await makeRun('tinyconv', { average: true });
  const out = path.join(tempDir(), 'g');
  const z = tf.tensor2d(drawLatents(new Rng(1), 'normal', 2, latentDim), [2, latentDim]);
  const outputs = async () => {
    const model = await loadModel(out);
    const values = tf.tidy(() => (model.predict(z) as tf.Tensor).dataSync());
    model.dispose();
    return values;
  };
  assert.equal((await exportGenerator({ run: dir, out })).metadata.weights, 'average');
  assert.ok(
    maxAbsDiff(
      await outputs(),
      tf.tidy(() => (average!.predict(z) as tf.Tensor).dataSync()),
    ) <= 1e-6,
  );
  // A second export replaces the first.
  assert.equal((await exportGenerator({ run: dir, out, generator: 'trained' })).metadata.weights, 'trained');
  assert.ok(
    maxAbsDiff(
      await outputs(),
      tf.tidy(() => (generator.predict(z) as tf.Tensor).dataSync()),
    ) <= 1e-6,
  );
  assert.equal(readdirSync(path.dirname(out)).length, 1);
  z.dispose();
  generator.dispose();
  average!.dispose();
});

test('errors: missing run, run without checkpoint, a folder that is not an export', async () => {
  const root = tempDir();
  await assert.rejects(
    exportGenerator({ run: path.join(root, 'nothing'), out: path.join(root, 'e') }),
    /Expected a run directory with options.json at .*nothing/,
  );
  const { dir, generator } = await makeRun('mlp2d');
  generator.dispose();
  const bare = path.join(root, 'bare');
  mkdirSync(bare);
  writeFileSync(path.join(bare, 'options.json'), readFileSync(path.join(dir, 'options.json')));
  await assert.rejects(
    exportGenerator({ run: bare, out: path.join(root, 'e') }),
    /Expected a trained run in .*bare \(with checkpoints\/latest\) but found none/,
  );
  const mine = path.join(root, 'mine');
  mkdirSync(mine);
  writeFileSync(path.join(mine, 'model.json'), '{}');
  writeFileSync(path.join(mine, 'thesis.tex'), 'keep me');
  await assert.rejects(
    exportGenerator({ run: dir, out: mine }),
    /Expected --out to be a new or empty folder, or one gankit wrote before, but .*mine holds other files/,
  );
  assert.deepEqual(readdirSync(mine).sort(), ['model.json', 'thesis.tex']);
  assert.deepEqual(readdirSync(root).sort(), ['bare', 'mine']);
});
