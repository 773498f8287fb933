// stats.jsonl read back on resume (run/stats.ts, run/stats-file.ts): a torn last line is
// dropped and reported, lines past the checkpoint are cut, a damaged line the resumed
// run would keep is an error naming the file and line, and the result has one step line
// per step. The rewrite replaces the file atomically (a kill leaves the old or the new
// file, never a cut one); flush() flushes to the disk and names the file on failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { History } from '../../src/run/stats.js';
import { Rng } from '../../src/rng.js';
import { procUnavailable, recordDiskEvents, srcModule } from '../io/failing-disk.js';
import { refused } from '../refusals.js';

const stepLine = (step: number) =>
  JSON.stringify({ step, lossD: 1.25 + step / 100, lossG: 0.5, dReal: 0.6, dFake: 0.4, lr: 0.001, seconds: step / 10 });

/** Step lines 1..n, an evaluation at every 10th step and a warning at step 12. */
function recordText(n: number): string[] {
  const lines: string[] = [];
  for (let step = 1; step <= n; step++) {
    lines.push(stepLine(step));
    if (step % 10 === 0) lines.push(JSON.stringify({ step, metrics: { modes: 8, highQuality: 0.97 } }));
    if (step === 12) lines.push(JSON.stringify({ step, warning: 'D separates real from generated data' }));
  }
  return lines;
}

function writeRecord(lines: string[], tail = '\n'): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-stats-')), 'stats.jsonl');
  writeFileSync(file, lines.join('\n') + tail);
  return file;
}

/** The lines a resume at `step` must keep: every line up to and including it, text unchanged. */
const upTo = (lines: string[], step: number) => lines.filter((l) => JSON.parse(l).step <= step);

test("lines past the checkpoint are cut; the kept lines are the file's own, in order", async () => {
  const lines = recordText(25);
  const file = writeRecord(lines);
  const history = await History.resume(file, 20);
  assert.deepEqual(history.repairs, []);
  assert.equal(readFileSync(file, 'utf8'), upTo(lines, 20).join('\n') + '\n');
  assert.deepEqual(
    history.steps().map((l) => l.step),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  assert.deepEqual(
    history.evaluations().map((l) => l.step),
    [10, 20],
  );
  assert.equal(history.lines.length, upTo(lines, 20).length);
});

test('a torn last line (a full disk, a kill) is dropped and reported; so is a tail of zero bytes', async () => {
  const lines = recordText(23);
  for (const [name, tail] of [
    ['torn', '\n{"step":24,"lossD":1.4,"lo'],
    ['zeros', '\n' + '\0'.repeat(300)],
    ['torn at the checkpoint', null],
  ] as const) {
    const text = tail === null ? recordText(20) : lines;
    const file = writeRecord(text, tail ?? '\n{"step":21,"lossD"');
    const history = await History.resume(file, 20);
    assert.equal(readFileSync(file, 'utf8'), upTo(text, 20).join('\n') + '\n', name);
    assert.equal(history.repairs.length, 1, name);
    assert.match(history.repairs[0], new RegExp(`dropped line ${text.length + 1} of ${file} \\(it is not JSON\\)`));
    assert.equal(history.steps().length, 20, name);
  }
});

test('a damaged line followed by lines the resumed run keeps: an error naming the file, the line and what to do', async () => {
  const lines = recordText(25);
  const cases: [string, string][] = [
    ['not JSON', '{"step":7,"lossD":'],
    ['a list', '[1, 2, 3]'],
    ['a step as text', '{"step":"7","lossD":1}'],
    ['a negative step', '{"step":-7,"warning":"x"}'],
    ['a fractional step', '{"step":7.5,"warning":"x"}'],
    ['a loss as text', '{"step":7,"lossD":"high","lossG":1,"dReal":1,"dFake":1,"lr":1,"seconds":1}'],
    ['metrics as a number', '{"step":7,"metrics":3}'],
  ];
  for (const [name, bad] of cases) {
    const damaged = [...lines];
    damaged[6] = bad; // line 7 of the file
    const file = writeRecord(damaged);
    await refused(
      History.resume(file, 20),
      `Expected the run record ${file}`,
      'line 7 is damaged',
      'repair or delete line 7, or restore it from a copy, or train the run again with --force',
    ).catch((err) => {
      throw new Error(`${name}: ${err.message}`);
    });
    assert.equal(readFileSync(file, 'utf8'), damaged.join('\n') + '\n', `${name}: the file was changed`);
  }
});

test('a damaged line followed only by lines past the checkpoint belongs to the cut future: dropped, reported', async () => {
  const lines = recordText(25);
  const damaged = [...lines];
  const at = damaged.findIndex((l) => JSON.parse(l).step === 22);
  damaged[at] = 'garbage';
  const file = writeRecord(damaged);
  const history = await History.resume(file, 20);
  assert.equal(readFileSync(file, 'utf8'), upTo(lines, 20).join('\n') + '\n');
  assert.deepEqual(history.repairs, [
    `dropped line ${at + 1} of ${file} (it is not JSON): a damaged line after the checkpoint`,
  ]);
});

test('a step line missing or repeated, or step lines ending before the checkpoint: an error', async () => {
  const lines = recordText(20);
  const without = lines.filter((l) => JSON.parse(l).step !== 7 || !('lossD' in JSON.parse(l)));
  await refused(History.resume(writeRecord(without), 20), /line 7 skips step 7; the record is damaged/);
  const repeated = [...lines.slice(0, 5), lines[4], ...lines.slice(5)];
  await refused(History.resume(writeRecord(repeated), 20), /line 6 repeats step 5/);
  await refused(History.resume(writeRecord(recordText(15)), 20), /its step lines end at step 15/);
  const missing = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-stats-')), 'stats.jsonl');
  await refused(History.resume(missing, 20), `Expected the run record ${missing}`, 'could not read it');
});

test(
  'the rewrite replaces the file atomically: a new inode, flushed before the rename',
  {
    skip: procUnavailable(),
  },
  async () => {
    const lines = recordText(30);
    const file = writeRecord(lines);
    const before = statSync(file).ino;
    const events = await recordDiskEvents(async () => {
      await History.resume(file, 20);
    });
    assert.notEqual(statSync(file).ino, before, 'the file was rewritten in place');
    assert.deepEqual(readdirSync(path.dirname(file)), ['stats.jsonl']);
    const rename = events.findIndex((e) => e.op === 'rename' && e.to === file);
    const tmp = (events[rename] as { from: string }).from;
    assert.ok(events.slice(0, rename).some((e) => e.op === 'sync' && e.path === tmp));
  },
);

test(
  'a kill during the rewrite leaves the old file or the new one, never a cut one',
  { timeout: 120_000 },
  async () => {
    const lines = recordText(60_000);
    const whole = lines.join('\n') + '\n';
    const cut = upTo(lines, 30_000).join('\n') + '\n';
    const code = `
    const { History } = await import(${JSON.stringify(srcModule('run/stats.js'))});
    await History.resume(process.argv[1], 30000);`;
    const rng = new Rng(5);
    for (let round = 0; round < 3; round++) {
      const file = writeRecord(lines);
      const dir = path.dirname(file);
      const child = spawn(process.execPath, ['--input-type=module', '-e', code, file], { stdio: 'ignore' });
      const exited = new Promise((r) => child.on('exit', r));
      // The kill lands while the rewrite is under way: once a temporary file appears beside
      // the record or the record itself changes size, then up to 3 ms later.
      const writing = () => readdirSync(dir).length > 1 || statSync(file).size !== whole.length;
      while (child.exitCode === null && !writing()) await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, Math.floor(rng.uniform() * 4)));
      child.kill('SIGKILL');
      await exited;
      const text = readFileSync(file, 'utf8');
      assert.ok(text === whole || text === cut, `round ${round}: stats.jsonl holds ${text.length} bytes, neither file`);
    }
  },
);

test('flush appends and flushes to the disk; a failure names the file', { skip: procUnavailable() }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-stats-'));
  const file = path.join(dir, 'stats.jsonl');
  writeFileSync(file, '');
  const history = new History(file);
  history.add({ step: 1, lossD: 1, lossG: 2, dReal: 0.5, dFake: 0.5, lr: 0.1, seconds: 0 });
  const events = await recordDiskEvents(() => history.flush());
  assert.equal(
    readFileSync(file, 'utf8'),
    '{"step":1,"lossD":1,"lossG":2,"dReal":0.5,"dFake":0.5,"lr":0.1,"seconds":0}\n',
  );
  assert.ok(
    events.some((e) => e.op === 'sync' && e.path === file),
    JSON.stringify(events),
  );

  const blocked = new History(path.join(dir, 'a-folder'));
  mkdirSync(blocked.file);
  blocked.add({ step: 1, warning: 'x' });
  await refused(blocked.flush(), /^Failed appending to the run record: .*a-folder/);
});
