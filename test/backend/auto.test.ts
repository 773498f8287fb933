// auto's choice between webgpu and native (src/backend/auto.ts) without a GPU: the
// decision from timings, the start-up line's reason, the verdict cache's key (any change of
// adapter, driver, backend timed against or workload is a miss), its file (versioned,
// written atomically, a corrupt or foreign file ignored with a warning, never fatal), and
// autoVerdict measuring on a miss only. The CLI's whole path is in test/cli/auto-backend.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  autoVerdict,
  countsAsHardware,
  decide,
  describeDecision,
  describeWorkload,
  forgetVerdicts,
  readVerdicts,
  TEST_AS_HARDWARE_ENV,
  VERDICTS_VERSION,
  verdictKey,
  writeVerdict,
} from '../../src/backend/auto.js';
import type { AdapterDescription } from '../../src/backend/webgpu.js';

const gpu: AdapterDescription = {
  route: 'default',
  vendor: 'nvidia',
  architecture: 'hopper',
  device: 'NVIDIA H200',
  description: 'NVIDIA: 550.54.15',
  software: false,
  limits: {
    maxBufferSize: 2 ** 30,
    maxStorageBufferBindingSize: 2 ** 27,
    maxComputeWorkgroupStorageSize: 2 ** 15,
    maxComputeInvocationsPerWorkgroup: 1024,
  },
};
const dcgan = { model: 'dcgan', shape: [28, 28, 1], batch: 64, latentDim: 100 };
const folder = () => mkdtempSync(path.join(tmpdir(), 'gankit-auto-'));

test('decide: the faster per step wins; speedup = the other seconds / webgpu seconds', () => {
  const now = new Date('2025-01-02T03:04:05Z');
  const fast = decide('native', { against: 0.61, webgpu: 0.1 }, 'NVIDIA H200', 'dcgan 28×28×1 batch 64', now);
  assert.equal(fast.backend, 'webgpu');
  assert.ok(Math.abs(fast.speedup - 6.1) < 1e-12);
  assert.deepEqual(fast.seconds, { against: 0.61, webgpu: 0.1 });
  assert.equal(fast.measuredAt, '2025-01-02T03:04:05.000Z');
  const slow = decide('native', { against: 0.02, webgpu: 0.08 }, 'x', 'mlp 2 batch 256');
  assert.equal(slow.backend, 'native');
  assert.equal(slow.speedup, 0.25);
  // A tie keeps the CPU backend: webgpu must be faster, not as fast.
  assert.equal(decide('wasm', { against: 0.5, webgpu: 0.5 }, 'x', 'y').backend, 'wasm');
  // A backend that failed to time (Infinity seconds) loses.
  assert.equal(decide('native', { against: 0.5, webgpu: Infinity }, 'x', 'y').backend, 'native');
});

test('the reason on the start-up line: how many times faster or slower, for which workload, cached or not', () => {
  const fast = decide('native', { against: 0.61, webgpu: 0.1 }, 'NVIDIA H200', describeWorkload(dcgan));
  assert.equal(describeDecision({ ...fast, cached: true }), 'measured 6.1× native for dcgan 28×28×1 batch 64 (cached)');
  const slow = decide('native', { against: 0.02, webgpu: 0.08 }, 'llvmpipe', 'mlp 2 batch 256');
  assert.equal(describeDecision({ ...slow, cached: false }), 'measured 4.0× slower than native for mlp 2 batch 256');
  // A step of the workload's batch would outlast the budget: the batch timed is named.
  const estimated = decide('native', { against: 0.02, webgpu: 8 }, 'llvmpipe', 'mlp 2 batch 256', new Date(), {
    webgpu: 4,
  });
  assert.deepEqual(estimated.extrapolatedFrom, { webgpu: 4 });
  assert.equal(
    describeDecision({ ...estimated, cached: true }),
    'measured 400.0× slower than native for mlp 2 batch 256, extrapolated (webgpu from batch 4) (cached)',
  );
  assert.equal(decide('native', { against: 1, webgpu: 2 }, 'x', 'y', new Date(), {}).extrapolatedFrom, undefined);
});

test('the cache key changes with the adapter, its driver, the backend timed against, and the workload', () => {
  const key = verdictKey(gpu, 'native', dcgan);
  assert.equal(verdictKey({ ...gpu, limits: { ...gpu.limits, maxBufferSize: 1 } }, 'native', dcgan), key);
  const changed = [
    verdictKey({ ...gpu, device: 'NVIDIA A100' }, 'native', dcgan),
    verdictKey({ ...gpu, description: 'NVIDIA: 560.28.03' }, 'native', dcgan), // a new driver
    verdictKey(gpu, 'wasm', dcgan),
    verdictKey(gpu, 'native', { ...dcgan, batch: 256 }),
    verdictKey(gpu, 'native', { ...dcgan, shape: [32, 32, 3] }),
    verdictKey(gpu, 'native', { ...dcgan, model: 'mlp' }),
  ];
  for (const other of changed) assert.notEqual(other, key);
  assert.equal(new Set(changed).size, changed.length);
  assert.match(key, /"gankit":"\d+\.\d+\.\d+"/, "gankit's version is part of the key");
});

test('the verdict file: versioned JSON, written atomically, read back as written', async () => {
  const file = path.join(folder(), 'nested', 'verdicts.json');
  const a = decide('native', { against: 0.61, webgpu: 0.1 }, 'NVIDIA H200', 'dcgan 28×28×1 batch 64');
  const b = decide('native', { against: 0.02, webgpu: 0.08 }, 'NVIDIA H200', 'mlp 2 batch 256');
  await writeVerdict('a', a, file);
  await writeVerdict('b', b, file);
  const written = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(written.version, VERDICTS_VERSION);
  assert.deepEqual(written.verdicts, { a, b });
  assert.deepEqual(readdirSync(path.dirname(file)), ['verdicts.json'], 'no temporary file left behind');
  assert.deepEqual(await readVerdicts(file), { a, b });
  assert.equal(await forgetVerdicts(file), true);
  assert.equal(await forgetVerdicts(file), false);
  const warnings: string[] = [];
  assert.deepEqual(await readVerdicts(file, (m) => warnings.push(m)), {});
  assert.deepEqual(warnings, [], 'no file is no warning');
});

test('a corrupt, foreign or other-version verdict file is ignored with a warning, then replaced', async () => {
  const dir = folder();
  const cases: [string, RegExp][] = [
    ['{"version": 1, "verdicts": {', /expected JSON but it does not parse/],
    ['{"version": 99, "verdicts": {}}', /expected version 1 with verdicts but received version 99/],
    ['[1, 2, 3]', /expected version 1 with verdicts but received version undefined/],
    ['null', /expected version 1 with verdicts but received version undefined/],
  ];
  for (const [i, [text, why]] of cases.entries()) {
    const file = path.join(dir, `v${i}.json`);
    writeFileSync(file, text);
    const warnings: string[] = [];
    assert.deepEqual(await readVerdicts(file, (m) => warnings.push(m)), {});
    assert.equal(warnings.length, 1, text);
    assert.match(warnings[0], why);
    assert.match(warnings[0], /auto measures again \(gankit doctor --forget removes it\)/);
    await writeVerdict('k', decide('native', { against: 1, webgpu: 2 }, 'x', 'y'), file);
    assert.deepEqual(Object.keys(await readVerdicts(file)), ['k']);
  }
  // A well-formed file keeps its good verdicts and drops malformed ones.
  const file = path.join(dir, 'mixed.json');
  const good = decide('native', { against: 1, webgpu: 2 }, 'x', 'y');
  writeFileSync(file, JSON.stringify({ version: 1, verdicts: { good, bad: { backend: 'cuda', speedup: 'fast' } } }));
  assert.deepEqual(await readVerdicts(file), { good });
});

test('autoVerdict: a miss measures and caches, a hit does not measure, a changed key measures again', async () => {
  const file = path.join(folder(), 'verdicts.json');
  let measured = 0;
  const measure = async () => {
    measured++;
    return { against: 0.61, webgpu: 0.1 };
  };
  const first = await autoVerdict(gpu, 'NVIDIA H200', 'native', dcgan, measure, file);
  assert.equal(measured, 1);
  assert.equal(first.cached, false);
  assert.equal(first.backend, 'webgpu');
  assert.equal(first.workload, 'dcgan 28×28×1 batch 64');
  const again = await autoVerdict(gpu, 'NVIDIA H200', 'native', dcgan, measure, file);
  assert.equal(measured, 1, 'a hit does not measure');
  assert.deepEqual(again, { ...first, cached: true });
  await autoVerdict({ ...gpu, description: 'NVIDIA: 560.28.03' }, 'NVIDIA H200', 'native', dcgan, measure, file);
  await autoVerdict(gpu, 'NVIDIA H200', 'native', { ...dcgan, batch: 128 }, measure, file);
  assert.equal(measured, 3, 'a new driver and a new batch are misses');
  assert.equal(Object.keys(await readVerdicts(file)).length, 3);
});

test('autoVerdict: a verdict that cannot be written still holds, with a warning', async () => {
  const dir = folder();
  const blocker = path.join(dir, 'not-a-folder');
  writeFileSync(blocker, '');
  const warnings: string[] = [];
  const verdict = await autoVerdict(
    gpu,
    'NVIDIA H200',
    'native',
    dcgan,
    async () => ({ against: 1, webgpu: 2 }),
    path.join(blocker, 'verdicts.json'),
    (m) => warnings.push(m),
  );
  assert.equal(verdict.backend, 'native');
  // One warning for the read (the path is not a folder), one for the write.
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings[0], /cannot read the backend verdicts in .*not-a-folder/);
  assert.match(warnings[1], /not-a-folder.*the next run measures again/);
});

test(`only a hardware adapter is timed, unless ${TEST_AS_HARDWARE_ENV} (tests only) says otherwise`, () => {
  const saved = process.env[TEST_AS_HARDWARE_ENV];
  try {
    delete process.env[TEST_AS_HARDWARE_ENV];
    assert.equal(countsAsHardware(gpu), true);
    assert.equal(countsAsHardware({ ...gpu, software: true }), false);
    process.env[TEST_AS_HARDWARE_ENV] = '1';
    assert.equal(countsAsHardware({ ...gpu, software: true }), true);
  } finally {
    if (saved === undefined) delete process.env[TEST_AS_HARDWARE_ENV];
    else process.env[TEST_AS_HARDWARE_ENV] = saved;
  }
});
