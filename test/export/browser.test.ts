// The export in a real browser with no network: Chromium loads model.json over HTTP with
// the TensorFlow.js the export carries in tfjs/, must compute what G computes in Node on
// each vendored backend, and the example index.html must sample, draw and name its
// backend. Every request that is not to the test's own server on 127.0.0.1 is aborted
// and recorded, and none may be attempted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { exportGenerator } from '../../src/export/export.js';
import { TFJS_SCRIPTS } from '../../src/export/vendor.js';
import { Rng } from '../../src/rng.js';
import { drawLatents } from '../../src/generate/latent.js';
import { jacobianNorms, truncateDraw } from '../../src/generate/truncation.js';
import { makeRun, tempDir, type FixtureKind } from '../sampling/fixtures.js';
import { serve } from './static-server.js';

const CHROMIUM = '/usr/bin/chromium';
const TRUNCATION = 0.2;

// A bare page with the first export's TensorFlow.js, to run G by hand on each backend.
const testPage = (exportName: string) => `<!doctype html><meta charset="utf-8"><title>gankit export test</title>
${TFJS_SCRIPTS.map((src) => `<script src="/${exportName}/${src}"></script>`).join('\n')}`;

/** The example page's state after a draw, and its canvas's RGBA bytes. */
async function pageState(page: Page) {
  const state = await page.evaluate(() => {
    const canvas = document.getElementById('canvas') as HTMLCanvasElement;
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let binary = ''; // as base64: playwright would pass an array as one object per byte, a minute for 480×480
    for (let i = 0; i < pixels.length; i += 8192) binary += String.fromCharCode(...pixels.subarray(i, i + 8192));
    return {
      state: document.body.dataset.state,
      backend: document.body.dataset.backend,
      status: document.getElementById('status')!.textContent ?? '',
      width: canvas.width,
      pixels: btoa(binary),
    };
  });
  return { ...state, pixels: Buffer.from(state.pixels, 'base64') };
}

test(
  'Chromium runs the exported generators as Node does, and the example page draws samples',
  { timeout: 120_000 },
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
        keptInNode = (await truncateDraw(generator, { z: pool }, latentDim, 800, TRUNCATION)).z;
        normsInNode = await jacobianNorms(generator, pool, latentDim);
      }
      generator.dispose();
    }

    const server = await serve(root, { '/test.html': testPage(kinds[0]) });
    const outside: string[] = []; // requests to anywhere but the test's server: each one aborted
    let browser: Browser | undefined;
    try {
      // No name resolves but 127.0.0.1, so nothing could reach the network even past the route below.
      const args = ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];
      browser = await chromium.launch({ executablePath: CHROMIUM, args });
      const context = await browser.newContext();
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(server.url + '/')) return route.continue();
        outside.push(url);
        return route.abort();
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(`${server.url}/test.html`);
      for (const backend of ['cpu', 'wasm']) {
        for (const kind of kinds) {
          const { z, n, latentDim, outputs } = expected[kind];
          const inBrowser = await page.evaluate(
            async ({ url, z, n, latentDim, backend, wasmFolder }) => {
              const tf = (globalThis as unknown as { tf: any }).tf; // eslint-disable-line @typescript-eslint/no-explicit-any
              if (backend === 'wasm' && tf.findBackend('wasm') === null) tf.wasm.setWasmPaths(wasmFolder);
              if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend did not start`);
              const model = await tf.loadLayersModel(url);
              const x = tf.tensor2d(z, [n, latentDim]);
              const y = model.predict(x);
              const values = Array.from(await y.data()) as number[];
              tf.dispose([x, y]);
              model.dispose();
              return { values, backend: tf.getBackend() as string };
            },
            {
              url: `${server.url}/${kind}/model.json`,
              z,
              n,
              latentDim,
              backend,
              wasmFolder: `${server.url}/${kinds[0]}/tfjs/`,
            },
          );
          assert.equal(inBrowser.backend, backend);
          assert.equal(inBrowser.values.length, outputs.length);
          const diff = inBrowser.values.reduce((m, v, i) => Math.max(m, Math.abs(v - outputs[i])), 0);
          assert.ok(diff <= 1e-4, `${kind} on ${backend}: max abs diff ${diff} between browser and Node`);
        }
      }

      // The example pages, on the best backend they carry (wasm in Chromium) or the one the address asks for.
      const pages = [
        ['dcgan28', '', 'wasm', 8 * 30 + 2, /^64 samples in \d+ ms on the wasm backend\.$/],
        ['tinyconv', '', 'wasm', 8 * 10 + 2, /^64 samples in \d+ ms on the wasm backend\.$/],
        ['tinyconv', '?backend=cpu', 'cpu', 8 * 10 + 2, /^64 samples in \d+ ms on the cpu backend\.$/],
        ['mlp2d', '', 'wasm', 480, /^2000 samples \(20% Jacobian truncation\) in \d+ ms on the wasm backend\.$/],
      ] as const;
      for (const [kind, query, backend, width, status] of pages) {
        const where = `${kind}/index.html${query}`;
        server.asked.length = 0;
        await page.goto(`${server.url}/${where}`);
        await page.waitForSelector('body[data-state]');
        const first = await pageState(page);
        assert.equal(first.state, 'ready', `${where}: ${first.status}`);
        assert.equal(first.backend, backend, where);
        assert.match(first.status, status);
        assert.equal(first.width, width);
        assert.ok(new Set(first.pixels).size > 2, `${where}: the canvas is blank or one colour`);
        // The page's TensorFlow.js came from the export's own folder, the .wasm file too when wasm runs.
        for (const src of TFJS_SCRIPTS) assert.ok(server.asked.includes(`/${kind}/${src}`), `${where}: ${src}`);
        const wasm = server.asked.filter((p) => p.startsWith(`/${kind}/tfjs/`) && p.endsWith('.wasm'));
        assert.equal(wasm.length, backend === 'wasm' ? 1 : 0, `${where} fetched ${wasm.join(', ') || 'no .wasm'}`);
        // "New samples" draws other samples: new z, so other pixels.
        await page.evaluate(() => {
          delete document.body.dataset.state;
          document.getElementById('again')!.click();
        });
        await page.waitForSelector('body[data-state]');
        const second = await pageState(page);
        assert.equal(second.state, 'ready', `${where}: ${second.status}`);
        const changed = second.pixels.filter((v, i) => v !== first.pixels[i]).length;
        const drawn = first.pixels.filter((v) => v !== 255).length; // the white background of a scatter stays
        // A fresh DCGAN's outputs sit near 0, so its pixels change by a byte or so, but they change.
        const share = kind === 'dcgan28' ? 1000 : 10;
        assert.ok(changed > drawn / share, `${where}: ${changed} of ${drawn} drawn bytes changed`);
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
      assert.deepEqual(outside, [], 'requests to outside the test server');
    } finally {
      await browser?.close();
      await server.close();
    }
  },
);
