// The exported page's backend in real Chromium (Debian's, headless): it tries webgpu →
// webgl → wasm → cpu, passes over a GPU the browser does not offer or offers only in
// software, and a backend on which G's first forward throws or strays from the cpu
// backend; ?backend= forces one or a list. On every backend this Chromium offers, G on
// the page must match G run in Node on the cpu backend.
//
// What headless Chromium 156 offers here (no GPU): WebGL 2 on SwiftShader (a CPU
// emulating a GPU, float32 render targets) always; WebGPU only with
// --enable-unsafe-webgpu, then on SwiftShader's fallback adapter. Both compute in
// float32 as cpu does, differing in summation order only (measured ≤ 2e-7 on this G),
// so the tolerance is the one the wasm tests use: 1e-4 on outputs in [−1, 1].
import '@tensorflow/tfjs-backend-cpu';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { exportGenerator } from '../../src/export/export.js';
import { drawLatents } from '../../src/generate/latent.js';
import { Rng } from '../../src/rng.js';
import { skipUnless } from '../requirements.js';
import { makeRun, tempDir } from '../sampling/fixtures.js';
import { serve } from './static-server.js';

const CHROMIUM = '/usr/bin/chromium';
const TOLERANCE = 1e-4;
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu'];
const skip = skipUnless(existsSync(CHROMIUM), 'chromium not installed: apt-get install chromium');

let server: Awaited<ReturnType<typeof serve>>;
/** z and G(z) computed in Node on the cpu backend, for tinyconv (dense, ReLU, transposed conv, tanh). */
let z: number[];
let expected: Float32Array;

before(async () => {
  if (skip) return;
  const root = tempDir('gankit-backends-');
  const { dir, generator, latentDim } = await makeRun('tinyconv', { seed: 5 });
  await exportGenerator({ run: dir, out: path.join(root, 'g') });
  await tf.setBackend('cpu');
  z = Array.from(drawLatents(new Rng(3), 'normal', 6, latentDim));
  expected = tf.tidy(() => (generator.predict(tf.tensor2d(z, [6, latentDim])) as tf.Tensor).dataSync() as Float32Array);
  generator.dispose();
  server = await serve(root, {});
});

after(() => server?.close());

interface Opened {
  browser: Browser;
  page: Page;
  /** Uncaught page errors and console errors. */
  errors: string[];
  outside: string[];
}

/** Chromium with `flags`, every request not to the test server aborted; `patch` appends code to a tfjs script. */
async function launch(flags: string[], patch?: { script: string; code: string }): Promise<Opened> {
  const args = ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', ...flags];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args });
  const context = await browser.newContext();
  const outside: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (!url.startsWith(server.url + '/')) {
      outside.push(url);
      return route.abort();
    }
    if (!patch || !url.endsWith(`/tfjs/${patch.script}`)) return route.continue();
    const original = await route.fetch();
    return route.fulfill({ response: original, body: (await original.text()) + '\n' + patch.code });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(`console: ${m.text()}`)));
  return { browser, page, errors, outside };
}

/** Opens the export's index.html with `query` and returns what the page says once it has drawn or failed. */
async function open(page: Page, query = '') {
  await page.goto(`${server.url}/g/index.html${query}`);
  await page.waitForSelector('body[data-state]', { timeout: 60_000 });
  return page.evaluate(() => ({
    state: document.body.dataset.state,
    backend: document.body.dataset.backend,
    gpu: document.body.dataset.gpu,
    status: document.getElementById('status')!.textContent!,
    line: document.getElementById('backend')!.textContent!,
  }));
}

/** G on the test's z in the page, on the backend the page chose (tfjs's current one). */
async function gOnPage(page: Page): Promise<{ backend: string; values: number[] }> {
  return page.evaluate(
    async ({ z }) => {
      const tf = (globalThis as unknown as { tf: any }).tf; // eslint-disable-line @typescript-eslint/no-explicit-any
      const model = await tf.loadLayersModel(new URL('model.json', location.href).href);
      const x = tf.tensor2d(z, [z.length / 8, 8]);
      const y = model.predict(x);
      const values = Array.from(await y.data()) as number[];
      tf.dispose([x, y]);
      model.dispose();
      return { backend: tf.getBackend() as string, values };
    },
    { z },
  );
}

async function assertMatchesNode(page: Page, backend: string): Promise<void> {
  const inPage = await gOnPage(page);
  assert.equal(inPage.backend, backend);
  assert.equal(inPage.values.length, expected.length);
  const diff = inPage.values.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i])), 0);
  assert.ok(diff <= TOLERANCE, `G on ${backend}: max abs diff ${diff} from Node's cpu backend`);
}

const SOFTWARE_WEBGL = /webgl \(software adapter ANGLE \(.*SwiftShader.*\), slower than wasm\)/;

test(
  "Chromium as installed: software WebGL and no WebGPU adapter, so wasm runs; ?backend=webgl runs G as Node's cpu",
  { skip, timeout: 180_000 },
  async () => {
    const { browser, page, errors, outside } = await launch([]);
    try {
      const chosen = await open(page);
      assert.equal(chosen.state, 'ready', chosen.status);
      assert.equal(chosen.backend, 'wasm');
      assert.match(chosen.status, /^64 samples in \d+ ms on the wasm backend\.$/);
      assert.match(
        chosen.line,
        /^Backend: wasm\. Passed over: webgpu \(no WebGPU adapter\); webgl \(software adapter /,
      );
      assert.match(chosen.line, SOFTWARE_WEBGL);
      await assertMatchesNode(page, 'wasm');

      const webgl = await open(page, '?backend=webgl');
      assert.equal(webgl.state, 'ready', webgl.status);
      assert.equal(webgl.backend, 'webgl');
      assert.match(webgl.gpu!, /SwiftShader/);
      assert.equal(webgl.line, `Backend: webgl on ${webgl.gpu}.`);
      assert.match(webgl.status, /^64 samples in \d+ ms on the webgl backend\.$/);
      // The tolerance assumes float32 textures; a float16 WebGL would need ~1e-3.
      assert.equal(
        await page.evaluate(() => (globalThis as any).tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')),
        true,
      ); // eslint-disable-line @typescript-eslint/no-explicit-any
      await assertMatchesNode(page, 'webgl');

      // A list is tried in order: no adapter for webgpu here, so webgl.
      const listed = await open(page, '?backend=webgpu,webgl');
      assert.equal(listed.backend, 'webgl');
      assert.equal(listed.line, `Backend: webgl on ${listed.gpu}. Passed over: webgpu (no WebGPU adapter).`);
      const cpu = await open(page, '?backend=cpu');
      assert.equal(cpu.backend, 'cpu');
      await assertMatchesNode(page, 'cpu');
      assert.deepEqual(errors, []);

      // Forcing a backend the browser cannot run fails, saying why.
      const none = await open(page, '?backend=webgpu');
      assert.equal(none.state, 'error');
      assert.equal(
        none.status,
        'Could not sample the generator: no TensorFlow.js backend could run G: webgpu (no WebGPU adapter)',
      );
      assert.deepEqual(outside, []);
    } finally {
      await browser.close();
    }
  },
);

test(
  "a backend on which G's first forward throws, or strays from the cpu backend, is passed over",
  { skip, timeout: 180_000 },
  async () => {
    // WebGL without its matrix product: it starts, and the dense layer's kernel is missing.
    const broken = { script: 'tf-backend-webgl.min.js', code: "tf.unregisterKernel('_FusedMatMul', 'webgl');" };
    // WebGL whose tanh is a sigmoid: it runs, with wrong numbers.
    const wrong = {
      script: 'tf-backend-webgl.min.js',
      code:
        "const sigmoid = tf.getKernel('Sigmoid', 'webgl'); tf.unregisterKernel('Tanh', 'webgl'); " +
        "tf.registerKernel({ ...sigmoid, kernelName: 'Tanh' });",
    };
    const cases = [
      [
        broken,
        /^Backend: wasm\. Passed over: webgl \(G failed: Kernel '_FusedMatMul' not registered for backend 'webgl'\)\.$/,
      ],
      [wrong, /^Backend: wasm\. Passed over: webgl \(G is off the cpu backend by 0\.\d+\)\.$/],
    ] as const;
    for (const [patch, line] of cases) {
      const { browser, page, errors, outside } = await launch([], patch);
      try {
        const opened = await open(page, '?backend=webgl,wasm');
        assert.equal(opened.state, 'ready', opened.status);
        assert.equal(opened.backend, 'wasm');
        assert.match(opened.line, line);
        await assertMatchesNode(page, 'wasm');
        assert.deepEqual(errors, []);
        assert.deepEqual(outside, []);
      } finally {
        await browser.close();
      }
    }
  },
);

test(
  "Chromium with WebGPU on: its software adapter is passed over by default; ?backend=webgpu runs G as Node's cpu",
  { skip, timeout: 180_000 },
  async () => {
    const { browser, page, errors, outside } = await launch(WEBGPU_FLAGS);
    try {
      const chosen = await open(page);
      assert.equal(chosen.backend, 'wasm');
      assert.match(
        chosen.line,
        /^Backend: wasm\. Passed over: webgpu \(software adapter [^)]*swiftshader[^)]*, slower/i,
      );
      assert.match(chosen.line, SOFTWARE_WEBGL);

      const webgpu = await open(page, '?backend=webgpu');
      assert.equal(webgpu.state, 'ready', webgpu.status);
      assert.equal(webgpu.backend, 'webgpu');
      assert.match(webgpu.gpu!, /swiftshader/i); // the adapter's vendor and architecture: Chromium gives no description
      assert.equal(webgpu.line, `Backend: webgpu on ${webgpu.gpu}.`);
      assert.match(webgpu.status, /^64 samples in \d+ ms on the webgpu backend\.$/);
      await assertMatchesNode(page, 'webgpu');
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
    } finally {
      await browser.close();
    }
  },
);
