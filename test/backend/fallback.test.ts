// Without the native addon gankit must still run: initBackend falls back to
// wasm (with the kernels wasm lacks supplied by gankit) and says why, and a
// DCGAN-28 trains there end to end. Each case runs in a child process so the
// addon's absence can be simulated (GANKIT_NATIVE_ADDON) with a clean tfjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const backendIndex = fileURLToPath(new URL('../../src/backend/index.js', import.meta.url));
const workloads = fileURLToPath(new URL('../../bench/workloads.js', import.meta.url));

function runChild(code: string, env: Record<string, string>): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const pickBackend = `
  import '@tensorflow/tfjs-layers';
  import { initBackend } from ${JSON.stringify(backendIndex)};
  const c = await initBackend();
  console.log('RESULT' + JSON.stringify(c));`;

test('initBackend falls back to wasm when the addon file is missing, and says what to install', () => {
  const r = runChild(pickBackend, { GANKIT_NATIVE_ADDON: '/nonexistent/gankit_native.node', GANKIT_BACKEND: 'auto' });
  assert.equal(r.status, 0, r.out);
  const choice = JSON.parse(r.out.split('RESULT')[1]);
  assert.equal(choice.name, 'wasm');
  assert.match(choice.note, /not built/);
  assert.match(choice.note, /apt-get install libdnnl-dev/);
  assert.match(choice.note, /brew install onednn/);
});

test('a native addon that fails to load is diagnosed as a load error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gankit-'));
  const bogus = join(dir, 'gankit_native.node');
  writeFileSync(bogus, 'not a shared library');
  const r = runChild(pickBackend, { GANKIT_NATIVE_ADDON: bogus, GANKIT_BACKEND: 'auto' });
  assert.equal(r.status, 0, r.out);
  const choice = JSON.parse(r.out.split('RESULT')[1]);
  assert.equal(choice.name, 'wasm');
  assert.match(choice.note, /failed to load/);
});

test('forcing the native backend without the addon is an error naming the cause', () => {
  const r = runChild(pickBackend, { GANKIT_NATIVE_ADDON: '/nonexistent/gankit_native.node', GANKIT_BACKEND: 'native' });
  assert.notEqual(r.status, 0);
  assert.match(r.out, /native: the native addon is not built/);
});

test('GANKIT_BACKEND=wasm trains DCGAN-28 end to end with finite losses', () => {
  const r = runChild(
    `
    import '@tensorflow/tfjs-layers';
    import { initBackend } from ${JSON.stringify(backendIndex)};
    import { dcgan28Workload } from ${JSON.stringify(workloads)};
    const c = await initBackend();
    const { step, real } = dcgan28Workload(5, 64);
    const out = [];
    for (let i = 0; i < 2; i++) out.push(step.step(real));
    console.log('RESULT' + JSON.stringify({ backend: c.name, out }));`,
    { GANKIT_BACKEND: 'wasm' },
  );
  assert.equal(r.status, 0, r.out);
  const { backend, out } = JSON.parse(r.out.split('RESULT')[1]);
  assert.equal(backend, 'wasm');
  assert.equal(out.length, 2);
  for (const { lossD, lossG } of out) {
    assert.ok(Number.isFinite(lossD) && Number.isFinite(lossG), JSON.stringify(out));
  }
});
