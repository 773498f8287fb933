// `gankit dash` as a user runs it (docs/dashboard.md §2): the printed address, the run
// list against run folders the test wrote, the token, cookie and Host rules, the refusals
// at start, and files served only from inside the runs folder. Real process, real HTTP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { bearer, CLI, request, startDash, type Dash } from './dash-process.js';
import { stepLine, tempDir, writeRun } from './fake-runs.js';

let runs: string;
let dash: Dash;
const secret = 'outside the runs folder\n';

before(async () => {
  runs = tempDir('server');
  writeRun(runs, 'alpha', { steps: 12, total: 500 });
  // A torn last line (a write in progress) does not count as the latest step.
  writeRun(runs, 'group/beta', { steps: 7, tail: '{"step":8,"lossD":1.2,"lo' });
  writeRun(runs, 'group/deeper/gamma', { steps: 3, data: 'gauss1d' });
  mkdirSync(path.join(runs, 'not-a-run', 'empty'), { recursive: true });
  mkdirSync(path.join(runs, '.hidden', 'x'), { recursive: true });
  writeFileSync(path.join(runs, '.hidden', 'x', 'stats.jsonl'), stepLine(1) + '\n');
  writeFileSync(path.join(runs, 'alpha', 'samples.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  // A symlink inside a run that leads out of the runs folder.
  const outside = tempDir('outside');
  writeFileSync(path.join(outside, 'secret.txt'), secret);
  symlinkSync(path.join(outside, 'secret.txt'), path.join(runs, 'alpha', 'leak.txt'));
  symlinkSync(outside, path.join(runs, 'linked-folder'));
  dash = await startDash(runs);
});

after(async () => {
  assert.equal(await dash.stop(), 0, `SIGINT should close the server cleanly; output:\n${dash.output()}`);
});

test('gankit dash prints one address line with its port and a token, within 2 s', () => {
  const first = dash.output().split('\n')[0];
  assert.match(first, /^gankit dash: http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  assert.ok(dash.port > 0);
  assert.ok(dash.startMs < 2000, `the address came after ${dash.startMs} ms`);
});

test('GET /api/runs with the Bearer token lists every run folder, nested ones too, with its latest step', async () => {
  const answer = await request(dash.port, '/api/runs', { headers: bearer(dash.token) });
  assert.equal(answer.status, 200);
  const body = answer.json();
  assert.equal(body.runsDir, runs);
  const byName = Object.fromEntries(body.runs.map((r: any) => [r.name, r]));
  assert.deepEqual(Object.keys(byName), ['alpha', 'group/beta', 'group/deeper/gamma']);
  assert.equal(byName.alpha.step, 12);
  assert.equal(byName.alpha.steps, 500);
  assert.equal(byName.alpha.status, 'stopped');
  assert.equal(byName.alpha.kind, 'toy2d');
  assert.equal(byName['group/beta'].step, 7);
  assert.equal(byName['group/deeper/gamma'].kind, 'toy1d');
});

test('a request without the token gets 401 with a JSON error; a wrong token too', async () => {
  const none = await request(dash.port, '/api/runs');
  assert.equal(none.status, 401);
  assert.match(none.json().error, /token/);
  const wrong = await request(dash.port, '/api/runs', { headers: bearer('x'.repeat(32)) });
  assert.equal(wrong.status, 401);
  const badVisit = await request(dash.port, '/?token=nope');
  assert.equal(badVisit.status, 401);
  assert.equal(badVisit.headers['set-cookie'], undefined);
});

test('/?token=T sets an HttpOnly SameSite=Strict cookie and redirects to /; the cookie then opens GET requests', async () => {
  const visit = await request(dash.port, `/?token=${dash.token}`);
  assert.equal(visit.status, 302);
  assert.equal(visit.headers.location, '/');
  const cookie = visit.headers['set-cookie']![0];
  assert.match(cookie, /^gankit_dash=[^;]+; HttpOnly; SameSite=Strict; Path=\/$/);
  const pair = cookie.split(';')[0];
  const runsAnswer = await request(dash.port, '/api/runs', { headers: { cookie: `other=1; ${pair}` } });
  assert.equal(runsAnswer.status, 200);
  assert.equal(runsAnswer.json().runs.length, 3);
  // POST needs the header: a cookie alone is what a foreign site's form would send.
  const post = await request(dash.port, '/api/pause?run=alpha', { method: 'POST', headers: { cookie: pair } });
  assert.equal(post.status, 401);
  assert.match(post.json().error, /Authorization/);
});

test('a foreign Host header gets 403 (DNS rebinding), even with the token; loopback names pass', async () => {
  const evil = await request(dash.port, '/api/runs', { headers: { ...bearer(dash.token), host: 'evil.example' } });
  assert.equal(evil.status, 403);
  const wrongPort = await request(dash.port, '/api/runs', {
    headers: { ...bearer(dash.token), host: `127.0.0.1:${dash.port + 1}` },
  });
  assert.equal(wrongPort.status, 403);
  for (const host of [`localhost:${dash.port}`, `127.0.0.1:${dash.port}`, '[::1]', 'localhost']) {
    const ok = await request(dash.port, '/api/runs', { headers: { ...bearer(dash.token), host } });
    assert.equal(ok.status, 200, host);
  }
});

test('every answer carries the CSP and nosniff headers', async () => {
  for (const answer of [
    await request(dash.port, '/api/runs'),
    await request(dash.port, '/api/runs', { headers: bearer(dash.token) }),
  ]) {
    assert.equal(answer.headers['content-security-policy'], "default-src 'self'; img-src 'self' blob: data:");
    assert.equal(answer.headers['x-content-type-options'], 'nosniff');
  }
});

test("/files/ serves a run's file byte for byte, and nothing outside the runs folder: .., %2e%2e, symlinks", async () => {
  const get = (p: string) => request(dash.port, p, { headers: bearer(dash.token) });
  const png = await get('/files/alpha/samples.png');
  assert.equal(png.status, 200);
  assert.equal(png.headers['content-type'], 'image/png');
  assert.deepEqual(png.body, readFileSync(path.join(runs, 'alpha', 'samples.png')));
  const nested = await get('/files/group/beta/stats.jsonl');
  assert.deepEqual(nested.body, readFileSync(path.join(runs, 'group', 'beta', 'stats.jsonl')));
  for (const p of [
    '/files/alpha/../../etc/passwd',
    '/files/alpha/%2e%2e/%2e%2e/etc/passwd',
    '/files/alpha/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/files/..%2f..%2fetc/passwd',
    '/files/alpha/leak.txt',
    '/files/linked-folder/secret.txt',
    '/files//etc/passwd',
    '/files/alpha/',
    '/files/alpha/missing.png',
    '/files/alpha/samples.png%00.txt',
  ]) {
    const answer = await get(p);
    assert.equal(answer.status, 404, `${p} answered ${answer.status}`);
    assert.ok(!answer.text.includes(secret.trim()) && !answer.text.includes('root:'), p);
  }
});

test('/api/run gives a run detail; an unknown or escaping run name gets 404', async () => {
  const detail = await request(dash.port, '/api/run?run=group%2Fbeta', { headers: bearer(dash.token) });
  assert.equal(detail.status, 200);
  const body = detail.json();
  assert.equal(body.name, 'group/beta');
  assert.equal(body.options.steps, 100);
  assert.deepEqual(body.snapshots, []);
  assert.equal(body.metrics, null);
  for (const name of ['nope', '../x', 'linked-folder', 'not-a-run', '.hidden/x', '']) {
    const answer = await request(dash.port, `/api/run?run=${encodeURIComponent(name)}`, {
      headers: bearer(dash.token),
    });
    assert.equal(answer.status, 404, name);
  }
});

/** Runs the CLI to its end. */
const runCli = (args: string[]) =>
  new Promise<{ code: number; output: string }>((resolve) =>
    execFile(process.execPath, [CLI, ...args], { timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, output: stdout + stderr }),
    ),
  );

test('--host 0.0.0.0 is refused without --allow-remote, and says what to add', async () => {
  const { code, output } = await runCli(['dash', '--runs', runs, '--port', '0', '--host', '0.0.0.0']);
  assert.equal(code, 1);
  assert.match(output, /Expected --host to be a loopback address .* received 0\.0\.0\.0.*--allow-remote/);
  assert.doesNotMatch(output, /gankit dash: http/);
});

test('--host 0.0.0.0 --allow-remote serves, and says what it exposes', async () => {
  const remote = await startDash(runs, ['--host', '0.0.0.0', '--allow-remote']);
  try {
    assert.match(remote.output(), /warning: listening on 0\.0\.0\.0: .*every run/);
    const answer = await request(remote.port, '/api/runs', { headers: { ...bearer(remote.token), host: 'box.lan' } });
    assert.equal(answer.status, 200);
  } finally {
    await remote.stop();
  }
});

test('a missing runs folder and a port in use are refused with what to do, exit 1', async () => {
  const missing = await runCli(['dash', '--runs', path.join(runs, 'nope'), '--port', '0']);
  assert.equal(missing.code, 1);
  assert.match(missing.output, /Expected --runs to name a folder of runs but .*nope does not exist/);
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const busy = await runCli(['dash', '--runs', runs, '--port', String(port)]);
    assert.equal(busy.code, 1);
    assert.match(busy.output, new RegExp(`Expected port ${port} to be free .*--port 0`));
  } finally {
    blocker.close();
  }
});
