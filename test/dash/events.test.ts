// The live stream (GET /api/events, docs/dashboard.md §2 Events) against a real
// `gankit dash`, read with a raw HTTP request: the lines the test wrote arrive whole and
// once, a torn line waits for its newline, a reconnect by offset loses and repeats
// nothing, a file rewritten shorter resets, and live.json's changes are pushed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bearer, EventReader, startDash, type Dash } from './dash-process.js';
import { stepLine, tempDir, writeRun } from './fake-runs.js';

let runs: string;
let dash: Dash;

before(async () => {
  runs = tempDir('events');
  dash = await startDash(runs);
});

after(async () => {
  await dash.stop();
});

const open = (run: string, headers: Record<string, string> = {}, query = '') =>
  new EventReader(dash.port, `/api/events?run=${encodeURIComponent(run)}${query}`, {
    ...bearer(dash.token),
    ...headers,
  });

const linesOf = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => stepLine(from + i)).join('\n');

test('on connect the lines come whole, with the byte offset as id, and the run summary', async () => {
  const folder = writeRun(runs, 'connect', { steps: 5 });
  const events = open('connect');
  try {
    const lines = await events.next('lines', 5000, ['live', 'run']);
    assert.equal(lines.data, linesOf(1, 5));
    assert.equal(Number(lines.id), statSync(path.join(folder, 'stats.jsonl')).size);
    assert.equal(events.status, 200);
  } finally {
    events.close();
  }
  const withRun = open('connect');
  try {
    const run = await withRun.next('run', 5000, ['lines', 'live']);
    assert.equal(JSON.parse(run.data).name, 'connect');
    assert.equal(JSON.parse(run.data).step, 5);
  } finally {
    withRun.close();
  }
});

test('a line appended without its newline is held back until the newline comes', async () => {
  const folder = writeRun(runs, 'torn', { steps: 2 });
  const file = path.join(folder, 'stats.jsonl');
  const events = open('torn');
  try {
    assert.equal((await events.next('lines')).data, linesOf(1, 2));
    const third = stepLine(3);
    appendFileSync(file, third.slice(0, 20));
    assert.deepEqual(await events.drain(1000), [], 'half a line was sent');
    appendFileSync(file, third.slice(20) + '\n' + stepLine(4).slice(0, 10));
    const next = await events.next('lines', 3000);
    assert.equal(next.data, third);
    assert.equal(Number(next.id), statSync(file).size - 10);
  } finally {
    events.close();
  }
});

test('a reconnect with Last-Event-ID (or ?offset=) gets exactly the lines after it: none lost, none repeated', async () => {
  const folder = writeRun(runs, 'resume', { steps: 3 });
  const file = path.join(folder, 'stats.jsonl');
  const first = open('resume');
  const got = await first.next('lines');
  first.close();
  assert.equal(got.data, linesOf(1, 3));
  // Written while nobody listens.
  appendFileSync(file, [4, 5, 6].map((s) => stepLine(s) + '\n').join(''));
  const again = open('resume', { 'last-event-id': got.id! });
  try {
    const more = await again.next('lines');
    assert.equal(more.data, linesOf(4, 6));
    assert.equal(Number(more.id), statSync(file).size);
    appendFileSync(file, stepLine(7) + '\n');
    assert.equal((await again.next('lines')).data, stepLine(7));
    assert.deepEqual(await again.drain(700), []);
  } finally {
    again.close();
  }
  const byQuery = open('resume', {}, `&offset=${got.id}`);
  try {
    assert.equal((await byQuery.next('lines')).data, linesOf(4, 7));
  } finally {
    byQuery.close();
  }
});

test('a stats file rewritten shorter gives a reset event, then its lines from the start', async () => {
  const folder = writeRun(runs, 'shorter', { steps: 8 });
  const file = path.join(folder, 'stats.jsonl');
  const events = open('shorter');
  try {
    assert.equal((await events.next('lines')).data, linesOf(1, 8));
    // As a resumed run does it: a new file renamed over the old one.
    writeFileSync(file + '.tmp', linesOf(1, 4) + '\n');
    renameSync(file + '.tmp', file);
    const reset = await events.next('reset');
    assert.equal(reset.id, '0');
    const lines = await events.next('lines');
    assert.equal(lines.data, linesOf(1, 4));
    assert.deepEqual(await events.drain(700), []);
  } finally {
    events.close();
  }
  // A client coming back with an offset past the end (it had the longer file) is reset too.
  const stale = open('shorter', { 'last-event-id': '100000' });
  try {
    assert.equal((await stale.next('reset')).id, '0');
    assert.equal((await stale.next('lines')).data, linesOf(1, 4));
  } finally {
    stale.close();
  }
});

test('live.json is sent at connect and again each time it is replaced', async () => {
  const folder = writeRun(runs, 'live', { steps: 1 });
  const live = path.join(folder, 'live.json');
  const frame = (step: number) => JSON.stringify({ format: 'gankit-live', version: 1, step, dim: 2 }, null, 2);
  writeFileSync(live, frame(1));
  const events = open('live');
  try {
    assert.equal((await events.next('live', 5000, ['lines', 'run'])).data, frame(1));
    await new Promise((r) => setTimeout(r, 30)); // a new mtime
    writeFileSync(live + '.tmp', frame(2));
    renameSync(live + '.tmp', live);
    assert.equal(JSON.parse((await events.next('live', 3000, ['lines', 'run'])).data).step, 2);
  } finally {
    events.close();
  }
});

test('a long file comes in messages of at most about 256 kB that add up to it exactly', async () => {
  const folder = writeRun(runs, 'long', { steps: 8000 });
  const text = readFileSync(path.join(folder, 'stats.jsonl'), 'utf8');
  assert.ok(text.length > 600_000);
  const events = open('long');
  try {
    const parts: string[] = [];
    let offset = 0;
    while (offset < text.length) {
      const e = await events.next('lines');
      assert.ok(e.data.length <= 256 * 1024, `a message of ${e.data.length} bytes`);
      parts.push(e.data + '\n');
      offset = Number(e.id);
      assert.equal(offset, parts.join('').length);
    }
    assert.equal(parts.join(''), text);
  } finally {
    events.close();
  }
});

test('events need the token, and a run of the list', async () => {
  const none = new EventReader(dash.port, '/api/events?run=connect', {});
  const unknown = open('../connect');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(none.status, 401);
  assert.equal(unknown.status, 404);
  none.close();
  unknown.close();
});
