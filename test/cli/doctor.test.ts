// `gankit doctor` as a user runs it: a line per backend with why it is or is not
// available, webgpu's adapter with its limits when Dawn finds one (always under CI, which
// installs Mesa's llvmpipe), and timings whose numbers agree with each other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listWebgpuAdapters } from '../../src/backend/webgpu.js';
import { decide, writeVerdict } from '../../src/backend/auto.js';
import { nativeSkipReason } from '../backend/helpers.js';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');
const gankit = (...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 300_000 });
const gankitWith = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });

test('doctor lists native, wasm, cpu and webgpu, each available or not with why', async () => {
  const r = gankit('doctor', '--seconds', '0');
  assert.equal(r.status, 0, r.stderr);
  const line = (name: string) => new RegExp(`^  ${name} +(available|not available): (.+)$`, 'm').exec(r.stdout);
  for (const name of ['native', 'wasm', 'cpu', 'webgpu']) assert.ok(line(name), `no ${name} line in:\n${r.stdout}`);
  const native = line('native')!;
  if (nativeSkipReason() === undefined) {
    assert.equal(native[1], 'available');
    assert.match(native[2], /^oneDNN \d+\.\d+\.\d+ \(OpenMP\), \d+ threads; /);
  } else assert.equal(native[1], 'not available');
  assert.match(line('wasm')![2], /^SIMD (yes|no), threads (yes|no)$/);
  const { adapters } = await listWebgpuAdapters();
  if (process.env.CI) assert.ok(adapters.length > 0, 'CI installs the software adapter; Dawn found none');
  const webgpu = line('webgpu')!;
  if (adapters.length) {
    assert.equal(webgpu[1], 'available');
    assert.ok(webgpu[2].includes(adapters[0].device), `${webgpu[2]} should name ${adapters[0].device}`);
    assert.match(
      webgpu[2],
      /(software|hardware) adapter.*; route \w+; maxBufferSize \d+ [KMG]iB, .*maxComputeWorkgroupStorageSize/,
    );
  } else {
    assert.equal(webgpu[1], 'not available');
    assert.match(webgpu[2], /no WebGPU adapter|optional package webgpu/);
  }
  assert.match(r.stdout, /^auto picks the first of native → wasm → cpu/m);
  assert.doesNotMatch(r.stdout, /DCGAN-28/, '--seconds 0 skips the timing');
});

test('doctor times a DCGAN-28 step: steps/s = steps / seconds and images/s = steps/s × batch', () => {
  const r = gankit('doctor', '--seconds', '1', '--batch', '4', '--backends', 'native,wasm');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^DCGAN-28 training step .*batch 4, ~1 s per backend:$/m);
  const timings = [
    ...r.stdout.matchAll(
      /^  (\w+) +([\d.]+) steps\/s · ([\d.]+) images\/s \((\d+) steps? in ([\d.]+) s(?:; at batch (\d+))?/gm,
    ),
  ];
  const names = timings.map((m) => m[1]);
  assert.ok(names.includes('wasm'), `no wasm timing in:\n${r.stdout}`);
  if (nativeSkipReason() === undefined) assert.ok(names.includes('native'), `no native timing in:\n${r.stdout}`);
  assert.ok(!names.includes('cpu') && !names.includes('webgpu'), '--backends limits the timing');
  for (const [, name, perSecond, images, steps, seconds, batch] of timings) {
    const rate = Number(steps) / Number(seconds);
    assert.ok(
      Math.abs(Number(perSecond) - rate) <= 0.01 * rate + 0.01,
      `${name}: ${perSecond} steps/s vs ${steps}/${seconds}`,
    );
    const b = batch === undefined ? 4 : Number(batch);
    assert.ok(Math.abs(Number(images) - Number(perSecond) * b) <= 0.01 * Number(images) + 0.1, `${name}: images/s`);
    assert.ok(Number(seconds) >= 1 || batch !== undefined, `${name}: timed for at least the budget`);
  }
});

test('doctor refuses an unknown backend, saying which exist', () => {
  const r = gankit('doctor', '--backends', 'native,cuda');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Expected backends from native, wasm, cpu, webgpu but received "cuda"/);
});

test("doctor lists auto's cached webgpu verdicts, and --forget deletes them", async () => {
  const cache = mkdtempSync(path.join(tmpdir(), 'gankit-doctor-cache-'));
  const file = path.join(cache, 'gankit', 'backend-verdicts.json');
  const when = new Date('2025-06-01T12:00:00Z');
  await writeVerdict(
    'a',
    decide('native', { against: 0.61, webgpu: 0.1 }, 'NVIDIA H200', 'dcgan 28×28×1 batch 64', when),
    file,
  );
  await writeVerdict(
    'b',
    decide('native', { against: 0.02, webgpu: 0.08 }, 'NVIDIA H200', 'mlp 2 batch 256', when),
    file,
  );
  const env = { XDG_CACHE_HOME: cache };
  const listed = gankitWith(env, 'doctor', '--seconds', '0');
  assert.equal(listed.status, 0, listed.stderr);
  assert.ok(
    listed.stdout.includes(`auto's webgpu verdicts (${file}; gankit doctor --forget clears them):`),
    listed.stdout,
  );
  assert.match(
    listed.stdout,
    /^  dcgan 28×28×1 batch 64: webgpu \(webgpu 6\.1× faster than native on NVIDIA H200; 2025-06-01T12:00:00\.000Z\)$/m,
  );
  assert.match(listed.stdout, /^  mlp 2 batch 256: native \(webgpu 4\.0× slower than native on NVIDIA H200; /m);
  const forgot = gankitWith(env, 'doctor', '--seconds', '0', '--forget');
  assert.equal(forgot.status, 0, forgot.stderr);
  assert.ok(forgot.stdout.includes(`forgot the backend verdicts (${file})`));
  assert.ok(forgot.stdout.includes(`auto's webgpu verdicts: none cached (${file})`));
  assert.equal(existsSync(file), false);
  const again = gankitWith(env, 'doctor', '--seconds', '0', '--forget');
  assert.match(again.stdout, /^no backend verdicts to forget$/m);
});
