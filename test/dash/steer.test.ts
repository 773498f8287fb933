// Steering from the dashboard (POST /api/train, pause, resume, checkpoint) with real
// trainings: `gankit dash` starts `gankit train` children, pause is a real SIGINT (the
// child checkpoints and exits 130), resume goes on to the end, and the record written
// across the two processes holds every step once. Steps are slowed (GANKIT_SLOW_STEP_MS)
// so that a 300-step run is still training when the pause arrives.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bearer, request, startDash, type Dash } from './dash-process.js';
import { tempDir, writeRun } from './fake-runs.js';

let runs: string;
let dash: Dash;

before(async () => {
  runs = tempDir('steer');
  writeRun(runs, 'existing', { steps: 3 });
  dash = await startDash(runs, [], { GANKIT_SLOW_STEP_MS: '15', GANKIT_PROGRESS_EVERY: '1' });
});

after(async () => {
  await dash.stop();
});

const post = (p: string, body?: unknown) =>
  request(dash.port, p, {
    method: 'POST',
    headers: { ...bearer(dash.token), 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
const getJson = async (p: string) => (await request(dash.port, p, { headers: bearer(dash.token) })).json();
const summary = async (name: string) => (await getJson('/api/runs')).runs.find((r: any) => r.name === name);

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}; dash output:\n${dash.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Whether a process catches a signal, read from Linux's /proc (as the test's own check). */
const catches = (pid: number, signal: number) => {
  const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1];
  return ((BigInt(`0x${mask}`) >> BigInt(signal - 1)) & 1n) === 1n;
};

test('bad training requests get 400 with a sentence and create nothing; an existing run gets 409', async () => {
  const before = readdirSync(runs).sort();
  const bad: [unknown, RegExp][] = [
    [{ name: 'x1', data: 'nope' }, /Expected data to be one of ring8, .* but received "nope"/],
    [{ name: 'x2', data: 'rign8' }, /Did you mean "ring8"\?/],
    [{ name: '../x', data: 'ring8' }, /Expected name to be a folder path inside the runs folder .* received "\.\.\/x"/],
    [{ name: '/abs', data: 'ring8' }, /Expected name/],
    [{ name: 'a/../../b', data: 'ring8' }, /Expected name/],
    [{ name: '.hidden', data: 'ring8' }, /Expected name/],
    [{ name: 'x3', data: 'ring8', steps: 0 }, /Expected steps to be a whole number from 1/],
    [{ name: 'x4', data: 'ring8', steps: '300' }, /Expected steps/],
    [{ name: 'x5', data: 'ring8', loss: 'wgan-qp' }, /Expected loss to be one of .*Did you mean "wgan-gp"/],
    [{ name: 'x6', data: 'ring8', model: 'gan' }, /Expected model to be one of/],
    [{ name: 'x7', data: 'ring8', seed: -1 }, /Expected seed/],
    [{ name: 'x8', data: 'ring8', out: '/tmp' }, /Expected only the fields .* but received out/],
    [[1, 2], /Expected a JSON object/],
    ['{not json', /not JSON/],
  ];
  for (const [body, message] of bad) {
    const answer = await post('/api/train', body);
    assert.equal(answer.status, 400, JSON.stringify(body));
    assert.match(answer.json().error, message);
  }
  assert.deepEqual(readdirSync(runs).sort(), before, 'a refused request created something');
  const taken = await post('/api/train', { name: 'existing', data: 'ring8' });
  assert.equal(taken.status, 409);
  assert.match(taken.json().error, /existing is a run already/);
  assert.equal((await post('/api/pause?run=existing')).status, 409);
  assert.equal((await post('/api/pause?run=missing')).status, 404);
  assert.equal((await post('/api/resume?run=existing')).status, 409, 'no checkpoint to resume from');
});

test('train → listed at once as training → checkpoint → pause (exit 130, a checkpoint) → resume → finished, every step once', async () => {
  const name = 'steered/one';
  const folder = path.join(runs, 'steered', 'one');
  const started = await post('/api/train', { name, data: 'ring8', steps: 300, seed: 3 });
  assert.equal(started.status, 200, started.text);
  const { pid } = started.json();
  assert.equal(started.json().name, name);
  const listed = await summary(name);
  assert.equal(listed?.status, 'training', 'listed as training at once');
  assert.equal((await post('/api/train', { name, data: 'ring8' })).status, 409, 'a second start of the same name');

  // Ready: the trainer holds the lock and handles SIGINT.
  await until('the trainer to take its lock', 60_000, async () => {
    const detail = await getJson(`/api/run?run=${encodeURIComponent(name)}`);
    return detail.pid === pid && existsSync(path.join(folder, 'lock')) && catches(pid, 2);
  });
  assert.equal((await post(`/api/resume?run=${encodeURIComponent(name)}`)).status, 409, 'resume while training');

  // Checkpoint now: where the trainer answers SIGUSR2 a checkpoint appears and it goes on; else a refusal.
  const checkpoint = await post(`/api/checkpoint?run=${encodeURIComponent(name)}`);
  if (catches(pid, 12)) {
    assert.equal(checkpoint.status, 200, checkpoint.text);
    assert.deepEqual(checkpoint.json(), { pid });
    await until('a checkpoint from SIGUSR2', 30_000, async () =>
      readdirSync(path.join(folder, 'checkpoints')).some((c) => /^step-\d+$/.test(c)),
    );
    assert.equal((await summary(name)).status, 'training', 'it goes on after the checkpoint');
  } else {
    assert.equal(checkpoint.status, 409);
    assert.match(checkpoint.json().error, /SIGUSR2/);
    assert.equal((await summary(name)).status, 'training', 'the refused signal was not sent');
  }

  const paused = await post(`/api/pause?run=${encodeURIComponent(name)}`);
  assert.equal(paused.status, 200, paused.text);
  assert.deepEqual(paused.json(), { pid });
  const log = path.join(folder, 'train.log');
  await until('the trainer to exit', 60_000, async () => readFileSync(log, 'utf8').includes(`(process ${pid}) exited`));
  const text = readFileSync(log, 'utf8');
  assert.match(text, new RegExp(`\\(process ${pid}\\) exited with code 130`));
  const at = Number(/interrupted after step (\d+) \(checkpoint saved\)/.exec(text)?.[1]);
  assert.ok(at > 0 && at < 300, `paused at step ${at}:\n${text}`);
  assert.ok(existsSync(path.join(folder, 'checkpoints', `step-${String(at).padStart(7, '0')}`)));
  const stopped = await summary(name);
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.step, at);

  const resumed = await post(`/api/resume?run=${encodeURIComponent(name)}`);
  assert.equal(resumed.status, 200, resumed.text);
  await until('the resumed run to finish', 120_000, async () => (await summary(name)).status === 'finished');
  const done = await summary(name);
  assert.equal(done.step, 300);
  const steps = readFileSync(path.join(folder, 'stats.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((l) => 'lossD' in l)
    .map((l) => l.step);
  assert.deepEqual(
    steps,
    Array.from({ length: 300 }, (_, i) => i + 1),
  );
  await until('the resumed trainer to exit', 10_000, async () =>
    readFileSync(log, 'utf8').includes(`(process ${resumed.json().pid}) exited with code 0`),
  );
});
