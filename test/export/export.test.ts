// Exporting G: the files, gankit.json, a round trip through the tfjs format, the
// TensorFlow.js copied beside the page (byte for byte what npm installed), and an export
// that appears whole or not at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { exportGenerator } from '../../src/export/export.js';
import type { GeneratorMetadata } from '../../src/export/metadata.js';
import { examplePage } from '../../src/export/page.js';
import { locateTfjs, TFJS_SCRIPTS } from '../../src/export/vendor.js';
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

/** The browser builds npm installed, found by this test itself: `package/dist/file` → bytes. */
const require = createRequire(import.meta.url);
const installed = (pkg: string, file: string) =>
  readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'dist', file));
const TFJS_VERSION = JSON.parse(readFileSync(require.resolve('@tensorflow/tfjs-core/package.json'), 'utf8')).version;
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
const VENDORED: [string, string[]][] = [
  ['@tensorflow/tfjs-core', ['tf-core.min.js']],
  ['@tensorflow/tfjs-backend-cpu', ['tf-backend-cpu.min.js']],
  ['@tensorflow/tfjs-backend-webgl', ['tf-backend-webgl.min.js']],
  ['@tensorflow/tfjs-backend-webgpu', ['tf-backend-webgpu.min.js']],
  ['@tensorflow/tfjs-backend-wasm', ['tf-backend-wasm.min.js', ...WASM_FILES]],
  ['@tensorflow/tfjs-layers', ['tf-layers.min.js']],
];

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
    assert.deepEqual(readdirSync(out).sort(), ['gankit.json', 'index.html', 'model.json', 'tfjs', 'weights.bin']);
    const copied = VENDORED.flatMap(([, files]) => files);
    assert.deepEqual(readdirSync(path.join(out, 'tfjs')).sort(), [...copied].sort());
    for (const [pkg, files] of VENDORED) {
      for (const f of files) assert.ok(readFileSync(path.join(out, 'tfjs', f)).equals(installed(pkg, f)), f);
    }
    assert.deepEqual(info.files, [
      ...['model.json', 'weights.bin', 'gankit.json', 'index.html'],
      ...copied.map((f) => `tfjs/${f}`),
    ]);
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
      tfjs: VENDORED.map(([pkg, files]) => ({
        package: pkg,
        version: TFJS_VERSION,
        files: files.map((f) => `tfjs/${f}`),
      })),
    });
    assert.equal(TFJS_VERSION, '4.22.0'); // package.json pins it; a change should be looked at in a browser
    assert.ok(Math.abs(Date.parse(exportedAt) - Date.now()) < 60_000);
    assert.deepEqual(info.metadata, meta);

    const html = readFileSync(path.join(out, 'index.html'), 'utf8');
    // Only relative sources, from the export's own folder, in the order each needs the one before.
    assert.deepEqual(
      [...html.matchAll(/<script src="([^"]*)">/g)].map((m) => m[1]),
      [
        'tfjs/tf-core.min.js',
        'tfjs/tf-backend-cpu.min.js',
        'tfjs/tf-backend-webgl.min.js',
        'tfjs/tf-backend-webgpu.min.js',
        'tfjs/tf-backend-wasm.min.js',
        'tfjs/tf-layers.min.js',
      ],
    );
    assert.ok(!/https?:/.test(html.replace(/<!--[\s\S]*?-->/, '')), 'index.html names a URL');
    assert.match(html, /tf\.wasm\.setWasmPaths\(new URL\('tfjs\/', location\.href\)\.href\)/);
    assert.match(html, /tf\.io\.http\(new URL\('model\.json', location\.href\)\.href\)/);

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

test('a missing tfjs package or browser file is refused, naming it and how to reinstall', async () => {
  // A fake install: each package's package.json and dist/ files, as npm lays them out.
  const root = tempDir();
  for (const [pkg, files] of VENDORED) {
    const dir = path.join(root, 'node_modules', pkg);
    mkdirSync(path.join(dir, 'dist'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: pkg, version: '9.8.7' }));
    for (const f of files) writeFileSync(path.join(dir, 'dist', f), f);
  }
  const from = path.join(root, 'main.js');
  const located = await locateTfjs(from);
  assert.deepEqual(
    located.map((p) => [p.package, p.version, p.dist]),
    VENDORED.map(([pkg]) => [pkg, '9.8.7', path.join(root, 'node_modules', pkg, 'dist')]),
  );

  const simd = path.join(root, 'node_modules', '@tensorflow/tfjs-backend-wasm', 'dist', WASM_FILES[1]);
  const missing = new RegExp(
    `^Error: Expected ${simd.replace(/[.]/g, '\\.')}, part of @tensorflow/tfjs-backend-wasm 9\\.8\\.7's browser ` +
      'build that the exported page loads, but it is missing; the installation is damaged: reinstall it ' +
      '\\(npm install @tensorflow/tfjs-backend-wasm@9\\.8\\.7\\)$',
  );
  rmSync(simd);
  await assert.rejects(locateTfjs(from), missing);
  mkdirSync(simd); // a folder where the file should be is as good as missing
  await assert.rejects(locateTfjs(from), missing);

  rmSync(simd, { recursive: true });
  writeFileSync(simd, 'back');
  await locateTfjs(from);

  // WebGPU's backend is an optional dependency: not installed, it is left out (the page goes
  // without it); installed but lacking its file, it is as damaged as any other.
  const webgpu = path.join(root, 'node_modules', '@tensorflow/tfjs-backend-webgpu');
  rmSync(path.join(webgpu, 'dist', 'tf-backend-webgpu.min.js'));
  await assert.rejects(locateTfjs(from), /part of @tensorflow\/tfjs-backend-webgpu 9\.8\.7's browser build/);
  rmSync(webgpu, { recursive: true });
  assert.deepEqual(
    (await locateTfjs(from)).map((p) => p.package),
    VENDORED.map(([pkg]) => pkg).filter((pkg) => pkg !== '@tensorflow/tfjs-backend-webgpu'),
  );
  rmSync(path.join(root, 'node_modules', '@tensorflow/tfjs-layers'), { recursive: true });
  await assert.rejects(
    locateTfjs(from),
    new RegExp(
      '^Error: Expected the npm package @tensorflow/tfjs-layers, a dependency of gankit whose browser build the ' +
        `exported page loads, to be installed, but it cannot be found from ${root}; reinstall gankit's ` +
        'dependencies \\(npm install\\)$',
    ),
  );
});

test("index.html loads the scripts the export carries, in vendor.ts's order, and no optional one it lacks", async () => {
  const { dir } = await makeRun('mlp2d', { step: 1 });
  const { metadata } = await exportGenerator({ run: dir, out: path.join(tempDir(), 'page') });
  const scripts = (html: string) => [...html.matchAll(/<script src="([^"]*)">/g)].map((m) => m[1]);
  assert.deepEqual(scripts(examplePage(metadata)), TFJS_SCRIPTS);
  const withoutWebgpu = metadata.tfjs!.filter((p) => p.package !== '@tensorflow/tfjs-backend-webgpu');
  assert.deepEqual(
    scripts(examplePage({ ...metadata, tfjs: withoutWebgpu })),
    TFJS_SCRIPTS.filter((s) => s !== 'tfjs/tf-backend-webgpu.min.js'),
  );
});
