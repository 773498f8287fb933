// The export in a real browser: Chromium loads model.json over HTTP with tfjs and must
// compute what G computes in Node; the example index.html must sample and draw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { chromium, type Browser } from 'playwright-core';
import { exportGenerator } from '../../src/export/export.js';
import { TFJS_CDN } from '../../src/export/page.js';
import { Rng } from '../../src/rng.js';
import { drawLatents } from '../../src/generate/latent.js';
import { jacobianNorms, truncateDraw } from '../../src/generate/truncation.js';
import { makeRun, tempDir, type FixtureKind } from '../sampling/fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const TRUNCATION = 0.2;
const require = createRequire(import.meta.url);
const bundle = (pkg: string, file: string) =>
  path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'dist', file);
// The parts of the full tfjs bundle a LayersModel needs, loaded in this order.
const TFJS_FILES = [
  bundle('@tensorflow/tfjs-core', 'tf-core.min.js'),
  bundle('@tensorflow/tfjs-backend-cpu', 'tf-backend-cpu.min.js'),
  bundle('@tensorflow/tfjs-layers', 'tf-layers.min.js'),
];

const TEST_PAGE = `<!doctype html><meta charset="utf-8"><title>gankit export test</title>
${TFJS_FILES.map((f) => `<script src="/tfjs/${path.basename(f)}"></script>`).join('\n')}`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'application/javascript',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

/** Serves /tfjs/<bundle>, /test.html and everything under `root`, on 127.0.0.1. */
async function serve(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const bundleFile = TFJS_FILES.find((f) => name === `/tfjs/${path.basename(f)}`);
    const file = bundleFile ?? path.join(root, path.normalize(name));
    try {
      const body = name === '/test.html' ? Buffer.from(TEST_PAGE) : await fs.readFile(file);
      res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test(
  'Chromium runs the exported generators as Node does, and the example page draws samples',
  { timeout: 60_000 },
  async (t) => {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI)
        assert.fail(`Expected Chromium at ${CHROMIUM} on CI but it is missing: apt-get install chromium`);
      t.skip('chromium not installed: apt-get install chromium');
      return;
    }
    const root = tempDir('gankit-browser-');
    const kinds: FixtureKind[] = ['dcgan28', 'tinyconv', 'mlp2d']; // tinyconv's outputs fill [−1, 1]; a fresh DCGAN's are ~0.01
    const expected: Record<string, { z: number[]; n: number; latentDim: number; outputs: Float32Array }> = {};
    let pool: Float32Array = new Float32Array(0);
    let keptInNode: Float32Array = new Float32Array(0);
    let normsInNode: Float64Array = new Float64Array(0);
    for (const kind of kinds) {
      // The 2D run samples with Jacobian truncation, which its page must apply as gankit does.
      const { dir, generator, latentDim } = await makeRun(kind, {
        seed: 11,
        jacobianTruncation: kind === 'mlp2d' ? TRUNCATION : 0,
      });
      await exportGenerator({ run: dir, out: path.join(root, kind) });
      const n = 6;
      const z = drawLatents(new Rng(21), 'normal', n, latentDim);
      const outputs = tf.tidy(
        () => (generator.predict(tf.tensor2d(z, [n, latentDim])) as tf.Tensor).dataSync() as Float32Array,
      );
      expected[kind] = { z: Array.from(z), n, latentDim, outputs };
      if (kind === 'mlp2d') {
        pool = drawLatents(new Rng(22), 'normal', 1000, latentDim);
        keptInNode = truncateDraw(generator, { z: pool }, latentDim, 800, TRUNCATION).z;
        normsInNode = jacobianNorms(generator, pool, latentDim);
      }
      generator.dispose();
    }

    const server = await serve(root);
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(`${server.url}/test.html`);
      for (const kind of kinds) {
        const { z, n, latentDim, outputs } = expected[kind];
        const inBrowser = await page.evaluate(
          async ({ url, z, n, latentDim }) => {
            const tf = (globalThis as unknown as { tf: any }).tf; // eslint-disable-line @typescript-eslint/no-explicit-any
            const model = await tf.loadLayersModel(url);
            const x = tf.tensor2d(z, [n, latentDim]);
            const y = model.predict(x);
            const values = Array.from(await y.data()) as number[];
            tf.dispose([x, y]);
            model.dispose();
            return { values, backend: tf.getBackend() as string };
          },
          { url: `${server.url}/${kind}/model.json`, z, n, latentDim },
        );
        assert.equal(inBrowser.backend, 'cpu');
        assert.equal(inBrowser.values.length, outputs.length);
        const diff = inBrowser.values.reduce((m, v, i) => Math.max(m, Math.abs(v - outputs[i])), 0);
        assert.ok(diff <= 1e-4, `${kind}: max abs diff ${diff} between browser and Node`);
      }

      // The example page, with the CDN's tfjs answered by the local bundles (no network here).
      const tfjs = (await Promise.all(TFJS_FILES.map((f) => fs.readFile(f, 'utf8')))).join(';\n');
      await page.route(TFJS_CDN, (route) => route.fulfill({ body: tfjs, contentType: 'application/javascript' }));
      for (const [kind, width] of [
        ['dcgan28', 8 * 30 + 2],
        ['mlp2d', 480],
      ] as const) {
        await page.goto(`${server.url}/${kind}/index.html`);
        await page.waitForSelector('body[data-state]');
        const state = await page.evaluate(() => {
          const canvas = document.getElementById('canvas') as HTMLCanvasElement;
          const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          return {
            state: document.body.dataset.state,
            status: document.getElementById('status')!.textContent,
            width: canvas.width,
            drawn: pixels.some((v) => v !== 255),
          };
        });
        assert.equal(state.state, 'ready', `${kind}: ${state.status}`);
        assert.equal(state.width, width);
        assert.ok(state.drawn, `${kind}: the canvas is blank`);
        assert.match(
          state.status ?? '',
          kind === 'mlp2d'
            ? /2000 samples \(20% Jacobian truncation\) in \d+ ms on the cpu backend/
            : /64 samples in \d+ ms on the cpu backend/,
        );
      }
      // The page's truncation keeps the rows gankit keeps. A ReLU G is piecewise linear,
      // so the rows of one linear piece share a Jacobian: where that piece straddles the
      // cut-off, float32 differences between the backends decide which of its rows stay.
      // Any row kept on one side only must therefore sit at the cut-off.
      const keptInBrowser = await page.evaluate(
        async ({ pool, size, ratio }) => {
          const g = globalThis as unknown as { tf: any; keptLatents: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
          const model = await g.tf.loadLayersModel(new URL('model.json', location.href).href);
          const kept = await g.keptLatents(model, g.tf.tensor2d(pool, [size, 2]), 800, ratio);
          const values = Array.from(await kept.data()) as number[];
          kept.dispose();
          model.dispose();
          return values;
        },
        { pool: Array.from(pool), size: pool.length / 2, ratio: TRUNCATION },
      );
      const key = (values: ArrayLike<number>, i: number) => `${values[2 * i]},${values[2 * i + 1]}`;
      const rows = (values: ArrayLike<number>) =>
        new Set(Array.from({ length: values.length / 2 }, (_, i) => key(values, i)));
      const [inNode, inBrowser] = [rows(keptInNode), rows(Float32Array.from(keptInBrowser))];
      assert.equal(inBrowser.size, 800);
      const poolRow = new Map(Array.from({ length: pool.length / 2 }, (_, i) => [key(pool, i), i]));
      const cutoff = Float64Array.from(normsInNode).sort()[1000 - 200 - 1];
      const oneSided = [...inBrowser].filter((r) => !inNode.has(r));
      assert.ok(oneSided.length < 100, `${oneSided.length} of 800 kept rows differ`);
      for (const r of oneSided) {
        const norm = normsInNode[poolRow.get(r)!];
        assert.ok(
          Math.abs(norm - cutoff) <= 1e-3 * cutoff,
          `row ${r} kept by the page only has ‖J‖² ${norm}, against the cut-off ${cutoff}`,
        );
      }
      assert.deepEqual(errors, []);
    } finally {
      await browser?.close();
      await server.close();
    }
  },
);
