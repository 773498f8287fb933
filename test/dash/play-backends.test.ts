// The playground's backend in real Chromium against a real `gankit dash`, under the
// dashboard's own Content-Security-Policy: it picks as the exported page does (webgpu →
// webgl → wasm → cpu, software GPUs passed over unless asked; test/export/backends.test.ts
// tests the fall-through), names it on the page, and on every backend Debian's headless
// Chromium offers (WebGL 2 on SwiftShader; WebGPU on SwiftShader with
// --enable-unsafe-webgpu) runs the checkpoint's G as Node's cpu backend does. All three
// compute in float32 (about 1e-7 apart here), so the tolerance is play.test.ts's 1e-4.
import '@tensorflow/tfjs-backend-cpu';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Page } from 'playwright-core';
import { drawLatents } from '../../src/generate/latent.js';
import { loadModel } from '../../src/io/model-files.js';
import { Rng } from '../../src/rng.js';
import {
  maxDiff,
  needsChromium,
  openChromium,
  originOf,
  startDash,
  tempRuns,
  trainToy,
  type Dash,
} from './play-fixtures.js';

const TOLERANCE = 1e-4;
/** The dashboard's policy (docs/dashboard.md): the GPU backends must work under it as it is. */
const POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob: data:";
const skip = needsChromium();

let runs: string;
let dash: Dash | undefined;
let z: number[];
let expected: Float32Array;

before(async () => {
  if (skip) return;
  runs = tempRuns('gankit-play-backends-');
  await trainToy(path.join(runs, 'ring8'));
  dash = await startDash(runs);
  // The G the page shows first: the moving average of the last checkpoint, on Node's cpu backend.
  await tf.setBackend('cpu');
  const g = await loadModel(path.join(runs, 'ring8', 'checkpoints', 'step-0000060', 'generatorAverage'));
  z = Array.from(drawLatents(new Rng(9), 'normal', 40, 2));
  expected = tf.tidy(() => (g.predict(tf.tensor2d(z, [40, 2])) as tf.Tensor).dataSync() as Float32Array);
  g.dispose();
});

after(() => dash?.stop());

/** Opens the playground with `query`; what it says of its backend once it has drawn. */
async function open(page: Page, query = '') {
  const response = await page.goto(`${originOf(dash!)}/app/play.html?run=ring8${query}`);
  assert.equal(response!.headers()['content-security-policy'], POLICY);
  await page.waitForSelector('body[data-state]', { timeout: 60_000 });
  return page.evaluate(() => ({
    state: document.body.dataset.state,
    backend: document.body.dataset.backend,
    gpu: document.body.dataset.gpu,
    status: document.getElementById('status')!.textContent!,
    line: document.getElementById('backend')!.textContent!,
  }));
}

/** The page's G on the test's z (its test hook), against Node's. */
async function assertMatchesNode(page: Page, backend: string): Promise<void> {
  type Hooks = { gankitPlay: { sample(z: number[]): Promise<number[]> } };
  const values = await page.evaluate((zs) => (window as unknown as Hooks).gankitPlay.sample(zs), z);
  assert.equal(
    await page.evaluate(() => (globalThis as unknown as { tf: { getBackend(): string } }).tf.getBackend()),
    backend,
  );
  const diff = maxDiff(values, expected);
  assert.ok(diff <= TOLERANCE, `G on ${backend}: max abs diff ${diff} from Node's cpu backend`);
}

test(
  "the playground as Chromium is installed: wasm by default, ?backend=webgl on SwiftShader, G as Node's cpu",
  { skip, timeout: 180_000 },
  async () => {
    const chrome = await openChromium(dash!);
    try {
      const { page, errors, outside } = chrome;
      const chosen = await open(page);
      assert.equal(chosen.state, 'ready', chosen.status);
      assert.equal(chosen.backend, 'wasm');
      assert.match(chosen.status, /on the wasm backend\.$/);
      assert.match(
        chosen.line,
        /^Backend: wasm\. Passed over: webgpu \(no WebGPU adapter\); webgl \(software adapter ANGLE \(.*SwiftShader.*\), slower than wasm\)\.$/,
      );
      await assertMatchesNode(page, 'wasm');

      const webgl = await open(page, '&backend=webgl');
      assert.equal(webgl.state, 'ready', webgl.status);
      assert.equal(webgl.backend, 'webgl');
      assert.match(webgl.gpu!, /SwiftShader/);
      assert.equal(webgl.line, `Backend: webgl on ${webgl.gpu}.`);
      assert.match(webgl.status, /on the webgl backend\.$/);
      await assertMatchesNode(page, 'webgl');

      // WebGL without its matrix product starts, then fails on G's first forward: the next backend runs.
      await page.route('**/vendor/tfjs/tf-backend-webgl.min.js', async (route) => {
        const original = await route.fetch();
        const patch = "tf.unregisterKernel('_FusedMatMul', 'webgl'); tf.unregisterKernel('BatchMatMul', 'webgl');";
        await route.fulfill({ response: original, body: (await original.text()) + '\n' + patch });
      });
      const broken = await open(page, '&backend=webgl,wasm');
      assert.equal(broken.backend, 'wasm');
      assert.match(
        broken.line,
        /^Backend: wasm\. Passed over: webgl \(G failed: Kernel '\w+' not registered for backend 'webgl'\)\.$/,
      );
      await assertMatchesNode(page, 'wasm');
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
    } finally {
      await chrome.browser.close();
    }
  },
);

test(
  "the playground with WebGPU on: the software adapter passed over by default, ?backend=webgpu runs G as Node's cpu",
  { skip, timeout: 180_000 },
  async () => {
    const chrome = await openChromium(dash!, ['--enable-unsafe-webgpu']);
    try {
      const { page, errors, outside } = chrome;
      const chosen = await open(page);
      assert.equal(chosen.backend, 'wasm');
      assert.match(
        chosen.line,
        /^Backend: wasm\. Passed over: webgpu \(software adapter [^)]*swiftshader[^)]*, slower/i,
      );

      const webgpu = await open(page, '&backend=webgpu');
      assert.equal(webgpu.state, 'ready', webgpu.status);
      assert.equal(webgpu.backend, 'webgpu');
      assert.match(webgpu.gpu!, /swiftshader/i);
      assert.equal(webgpu.line, `Backend: webgpu on ${webgpu.gpu}.`);
      await assertMatchesNode(page, 'webgpu');
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
    } finally {
      await chrome.browser.close();
    }
  },
);
