// `gankit train` with auto on a machine with a WebGPU adapter, through the CLI. With no GPU
// here, GANKIT_TEST_WEBGPU_AS_HARDWARE (tests only) makes Mesa's llvmpipe count as hardware,
// so the whole path runs: the first run times the MLP step on native and on webgpu, picks
// native (llvmpipe is far slower), says so on the start-up line and caches the verdict; a
// second run reads the verdict, says "(cached)" and prints its line seconds sooner (it times
// nothing). Without the variable (no GPU device node here) and with --backend native, auto
// measures nothing and writes no verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hardwareGpuMayExist } from '../../src/backend/auto.js';
import { probeWebgpuAdapter } from '../../src/backend/webgpu.js';
import { nativeSkipReason } from '../backend/helpers.js';
import { skipUnless } from '../requirements.js';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');
const { adapter, why } = await probeWebgpuAdapter();
const skip =
  skipUnless(adapter !== undefined, `no WebGPU adapter: ${why}`) ||
  skipUnless(nativeSkipReason() === undefined, `no native backend: ${nativeSkipReason()}`);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Seconds from the start of the process to its backend line. */
  lineAfter: number;
  line: string;
}

/** A ring8 run of a few steps; the cache folder is the test's own (env-paths follows XDG_CACHE_HOME). */
function train(cache: string, extra: string[], env: Record<string, string> = {}): Promise<Run> {
  const out = mkdtempSync(path.join(tmpdir(), 'gankit-auto-run-'));
  const args = [main, 'train', '--data', 'ring8', '--steps', '3', '--eval-samples', '200', '--out', out, ...extra];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, GANKIT_BACKEND: '', XDG_CACHE_HOME: cache, ...env },
  });
  const start = performance.now();
  let stdout = '';
  let stderr = '';
  let lineAfter = NaN;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    if (Number.isNaN(lineAfter) && /^backend: .*\n/m.test(stdout)) lineAfter = (performance.now() - start) / 1000;
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on('close', (status) =>
      resolve({ status, stdout, stderr, lineAfter, line: /^backend: .*$/m.exec(stdout)?.[0] ?? '' }),
    ),
  );
}

test(
  'auto times native against a (test-)hardware adapter once, picks native, says so, then reads the verdict',
  { skip },
  async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'gankit-auto-cache-'));
    const file = path.join(cache, 'gankit', 'backend-verdicts.json');
    const env = { GANKIT_TEST_WEBGPU_AS_HARDWARE: '1' };

    const first = await train(cache, [], env);
    assert.equal(first.status, 0, first.stderr);
    assert.match(
      first.line,
      // Under load either timing may outlast its budget and be extrapolated from a smaller batch.
      /^backend: native \(oneDNN\); webgpu \(.*llvmpipe.*\) measured [\d.]+× slower than native for mlp 2 batch \d+(, extrapolated \((native from batch \d+, )?webgpu from batch \d+\)|, extrapolated \(native from batch \d+\))?$/,
    );
    const written = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(written.version, 1);
    const verdicts = Object.values(written.verdicts) as {
      backend: string;
      seconds: { against: number; webgpu: number };
    }[];
    assert.equal(verdicts.length, 1);
    assert.equal(verdicts[0].backend, 'native');
    assert.ok(verdicts[0].seconds.webgpu > verdicts[0].seconds.against, 'llvmpipe is slower than native');
    assert.match(first.stdout, /backend native\)/, 'the run trained on native');

    const second = await train(cache, [], env);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.line, `${first.line} (cached)`);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), written, 'a hit neither measures nor rewrites');
    // The first run timed ≥ 1.5 s on each backend before its line; the second timed nothing.
    assert.ok(
      second.lineAfter < first.lineAfter - 1.5,
      `the cached line came after ${second.lineAfter.toFixed(2)} s, the measured one after ${first.lineAfter.toFixed(2)} s`,
    );
  },
);

test('a forced backend never measures, and without a GPU device node auto does not either', { skip }, async () => {
  const cache = mkdtempSync(path.join(tmpdir(), 'gankit-auto-cache-'));
  const file = path.join(cache, 'gankit', 'backend-verdicts.json');
  const forced = await train(cache, ['--backend', 'native'], { GANKIT_TEST_WEBGPU_AS_HARDWARE: '1' });
  assert.equal(forced.status, 0, forced.stderr);
  assert.equal(forced.line, 'backend: native (oneDNN)');
  const viaEnv = await train(cache, [], { GANKIT_TEST_WEBGPU_AS_HARDWARE: '1', GANKIT_BACKEND: 'native' });
  assert.equal(viaEnv.line, 'backend: native (oneDNN)');
  if (!hardwareGpuMayExist()) {
    const plain = await train(cache, []);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(plain.line, 'backend: native (oneDNN)');
    assert.doesNotMatch(plain.stderr, /Vulkan|Dawn|maxDynamic/, 'Dawn was not even loaded');
  }
  assert.equal(existsSync(file), false, 'no verdict was written');
});
