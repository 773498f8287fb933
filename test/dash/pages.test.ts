// The page's files (docs/dashboard.md §3), through the server started in this process
// with a page folder of the test's own: HTML with the token's <meta> for authorised
// requests only, scripts and styles from their folders and nothing beside them, and
// the browser libraries byte for byte from node_modules by their fixed list only.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startDashServer, type DashServer } from '../../src/dash/server.js';
import { bearer, request } from './dash-process.js';
import { tempDir } from './fake-runs.js';

let server: DashServer;
let pages: string;
let scripts: string;

before(async () => {
  const root = tempDir('pages');
  pages = path.join(root, 'web');
  scripts = path.join(root, 'dist-web');
  mkdirSync(pages);
  mkdirSync(scripts);
  mkdirSync(path.join(root, 'runs'));
  writeFileSync(
    path.join(pages, 'index.html'),
    '<!doctype html>\n<html><head lang="en"><title>t</title></head></html>\n',
  );
  writeFileSync(path.join(pages, 'compare.html'), '<!doctype html><HEAD></HEAD><body>compare</body>');
  writeFileSync(path.join(pages, 'style.css'), 'body { color: red }\n');
  writeFileSync(path.join(scripts, 'index.js'), 'console.log(1);\n');
  writeFileSync(path.join(root, 'secret.txt'), 'secret\n');
  server = await startDashServer({ runsDir: path.join(root, 'runs'), port: 0, pages: { pages, scripts } });
});

after(() => server.close());

const get = (p: string, headers: Record<string, string> = bearer(server.token)) => request(server.port, p, { headers });

test('/ and /app/NAME.html are the pages with the token meta right after <head>, to authorised requests only', async () => {
  const index = await get('/');
  assert.equal(index.status, 200);
  assert.match(index.headers['content-type']!, /^text\/html/);
  assert.equal(
    index.text,
    `<!doctype html>\n<html><head lang="en"><meta name="gankit-token" content="${server.token}"><title>t</title></head></html>\n`,
  );
  const compare = await get('/app/compare.html');
  assert.equal(
    compare.text,
    `<!doctype html><HEAD><meta name="gankit-token" content="${server.token}"></HEAD><body>compare</body>`,
  );
  const anonymous = await get('/', {});
  assert.equal(anonymous.status, 401);
  assert.ok(!anonymous.text.includes(server.token));
});

test('/app/NAME.js comes from the scripts folder, /app/NAME.css from the page folder; nothing else', async () => {
  const script = await get('/app/index.js');
  assert.equal(script.status, 200);
  assert.match(script.headers['content-type']!, /^text\/javascript/);
  assert.equal(script.text, 'console.log(1);\n');
  const style = await get('/app/style.css');
  assert.match(style.headers['content-type']!, /^text\/css/);
  assert.equal(style.text, 'body { color: red }\n');
  for (const p of [
    '/app/missing.js',
    '/app/../secret.txt',
    '/app/%2e%2e/secret.txt',
    '/app/index.html.bak',
    '/secret.txt',
    '/app/sub/index.js',
  ])
    assert.equal((await get(p)).status, 404, p);
});

test('/vendor/ serves uPlot and the TensorFlow.js files byte for byte from node_modules, and nothing else of it', async () => {
  const require = createRequire(import.meta.url);
  const uplot = path.dirname(require.resolve('uplot/package.json'));
  const js = await get('/vendor/uplot/uPlot.iife.min.js');
  assert.equal(js.status, 200);
  assert.deepEqual(js.body, readFileSync(path.join(uplot, 'dist', 'uPlot.iife.min.js')));
  const css = await get('/vendor/uplot/uPlot.min.css');
  assert.match(css.headers['content-type']!, /^text\/css/);
  const core = path.dirname(require.resolve('@tensorflow/tfjs-core/package.json'));
  const tf = await get('/vendor/tfjs/tf-core.min.js');
  assert.deepEqual(tf.body, readFileSync(path.join(core, 'dist', 'tf-core.min.js')));
  const wasm = await get('/vendor/tfjs/tfjs-backend-wasm-simd.wasm');
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  for (const p of [
    '/vendor/uplot/package.json',
    '/vendor/uplot/uPlot.esm.js',
    '/vendor/tfjs/tf-core.js',
    '/vendor/../package.json',
  ])
    assert.equal((await get(p)).status, 404, p);
});
