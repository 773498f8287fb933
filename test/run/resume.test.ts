// `train --resume` on run files a crash or a full disk left behind, through the library's
// train(): a kill between a complete checkpoint folder and `latest`, a missing `latest`,
// a torn last line of stats.jsonl; each resumes with one step line per step. A damaged
// checkpoint is refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { train } from '../../src/train/trainer.js';
import { flipByte, tinyRunCopy } from './tiny-run.js';

const stepsIn = (run: string) =>
  readFileSync(path.join(run, 'stats.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((l) => 'lossD' in l)
    .map((l) => l.step as number);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
// The resumed session's own "resume" line (at the checkpoint's step) is not the old record's.
const linesUpTo = (text: string, step: number) =>
  text
    .trim()
    .split('\n')
    .filter((l) => JSON.parse(l).step <= step && !('resume' in JSON.parse(l)));

async function resume(run: string, steps: number): Promise<string[]> {
  const events: string[] = [];
  await train({ resume: true, out: run, steps }, { onEvent: (m) => events.push(m) });
  return events;
}

test('killed after a checkpoint folder was complete but before latest named it: resumes from latest', async () => {
  const run = await tinyRunCopy();
  const before = readFileSync(path.join(run, 'stats.jsonl'), 'utf8');
  writeFileSync(path.join(run, 'checkpoints', 'latest'), 'step-0000010\n');
  const events = await resume(run, 25);
  assert.ok(
    events.some((e) => /resumed from .*step-0000010 at step 10/.test(e)),
    events.join('\n'),
  );
  assert.deepEqual(stepsIn(run), oneTo(25));
  const after = readFileSync(path.join(run, 'stats.jsonl'), 'utf8');
  assert.deepEqual(linesUpTo(after, 10), linesUpTo(before, 10));
  assert.equal(readFileSync(path.join(run, 'checkpoints', 'latest'), 'utf8'), 'step-0000025\n');
});

test('latest missing: resumes from the newest complete checkpoint', async () => {
  const run = await tinyRunCopy();
  rmSync(path.join(run, 'checkpoints', 'latest'));
  const events = await resume(run, 25);
  assert.ok(
    events.some((e) => /resumed from .*step-0000020 at step 20/.test(e)),
    events.join('\n'),
  );
  assert.deepEqual(stepsIn(run), oneTo(25));
});

test('a torn last line of stats.jsonl: resumes with one step line per step', async () => {
  const run = await tinyRunCopy();
  const before = readFileSync(path.join(run, 'stats.jsonl'), 'utf8');
  appendFileSync(path.join(run, 'stats.jsonl'), '{"step":21,"lossD":0.69,"lo');
  await resume(run, 25);
  assert.deepEqual(stepsIn(run), oneTo(25));
  const after = readFileSync(path.join(run, 'stats.jsonl'), 'utf8');
  assert.deepEqual(linesUpTo(after, 20), linesUpTo(before, 20));
});

test('a flipped byte in the checkpoint: the resume is refused, naming the file', async () => {
  const run = await tinyRunCopy();
  const file = path.join(run, 'checkpoints', 'step-0000020', 'discriminator', 'weights.bin');
  flipByte(file);
  await assert.rejects(resume(run, 25), (err: Error) => {
    assert.ok(err.message.includes(file), err.message);
    assert.match(err.message, /the checkpoint is damaged: use the previous checkpoint/);
    return true;
  });
});
