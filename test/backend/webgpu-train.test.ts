// Issue 19's contract through the CLI, in real processes: `GANKIT_BACKEND=webgpu gankit
// train --data ring8 --steps 200 --seed 1 --out DIR` completes on a WebGPU adapter (in CI,
// Mesa's llvmpipe), its start-up line names the adapter, metrics.json records backend
// "webgpu", and its first steps' losses are a cpu run's to 1e-3. tfjs's cpu backend takes
// minutes over 200 steps of the default MLP, so the cpu run (the same command: the learning
// rates' schedule depends on --steps) is interrupted with SIGINT once it has recorded the
// steps compared. Without an adapter it skips (skipUnless: under CI it runs and fails).
// On the 2-core development machine under load the webgpu run took 72 s (llvmpipe).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listWebgpuAdapters } from '../../src/backend/webgpu.js';
import { skipUnless } from '../requirements.js';

const { adapters, why } = await listWebgpuAdapters();
const skip = skipUnless(adapters.length > 0, `no WebGPU adapter: ${why}`);
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');

/** Steps whose losses the two backends must agree on: float32 rounding differs, and grows with every update. */
const COMPARED_STEPS = 5;

/**
 * Runs the CLI to its end, or (with `stopAfter`) interrupts it with SIGINT once its
 * record holds that many steps; resolves with its exit code and output.
 */
function cli(args: string[], env: NodeJS.ProcessEnv, seconds: number, stopAfter?: { dir: string; steps: number }) {
  return new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), seconds * 1000);
    // The record is appended about once a second: poll it.
    const poll =
      stopAfter &&
      setInterval(() => {
        if (steps(stopAfter.dir).length < stopAfter.steps) return;
        clearInterval(poll);
        child.kill('SIGINT');
      }, 200);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ code, signal, out });
    });
  });
}

function steps(dir: string): { step: number; lossD: number; lossG: number; dReal: number; dFake: number }[] {
  const file = path.join(dir, 'stats.jsonl');
  if (!existsSync(file)) return [];
  // Whole lines only: a running trainer may be halfway through appending one.
  const text = readFileSync(file, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l))
    .filter((l) => typeof l.lossD === 'number');
}

test(
  'webgpu: the contract run (ring8, 200 steps, seed 1) completes on the adapter and agrees with cpu',
  { skip },
  async () => {
    const args = (out: string) => ['train', '--data', 'ring8', '--steps', '200', '--seed', '1', '--out', out];
    const gpuDir = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-webgpu-')), 'run');
    const gpu = await cli(args(gpuDir), { GANKIT_BACKEND: 'webgpu' }, 900);
    assert.equal(gpu.signal, null, `the webgpu run did not end within 900 s:\n${gpu.out}`);
    assert.equal(gpu.code, 0, gpu.out);
    assert.match(gpu.out, /backend: webgpu \(.+\)/, 'the start-up line names the adapter');
    const metrics = JSON.parse(readFileSync(path.join(gpuDir, 'metrics.json'), 'utf8'));
    assert.equal(metrics.backend, 'webgpu');
    assert.equal(metrics.steps, 200);

    const cpuDir = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-cpu-')), 'run');
    const cpu = await cli(args(cpuDir), { GANKIT_BACKEND: 'cpu' }, 300, { dir: cpuDir, steps: COMPARED_STEPS });
    assert.equal(cpu.signal, null, `the cpu run did not stop on SIGINT:\n${cpu.out}`);
    const [a, b] = [steps(gpuDir), steps(cpuDir)];
    assert.equal(a.length, 200);
    assert.ok(b.length >= COMPARED_STEPS, `the cpu run recorded ${b.length} steps:\n${cpu.out}`);
    for (let i = 0; i < COMPARED_STEPS; i++)
      for (const k of ['lossD', 'lossG', 'dReal', 'dFake'] as const)
        assert.ok(Math.abs(a[i][k] - b[i][k]) <= 1e-3, `step ${a[i].step} ${k}: webgpu ${a[i][k]}, cpu ${b[i][k]}`);
  },
);
