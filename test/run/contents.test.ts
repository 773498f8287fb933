// folderState: what a folder holds before gankit train writes to it. The dashboard opens
// train.log in a new run's folder before its trainer starts (src/dash/steer.ts), so a
// folder holding only that log is still a new one; anything else keeps its meaning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { folderState, TRAIN_LOG } from '../../src/run/contents.js';

test('a folder holding only train.log is empty; with other files it is other (the log not listed); with a mark a run', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-contents-'));
  assert.deepEqual(await folderState(path.join(dir, 'missing')), { kind: 'missing' });
  assert.deepEqual(await folderState(dir), { kind: 'empty' });
  writeFileSync(path.join(dir, TRAIN_LOG), 'backend: native\n');
  assert.equal(TRAIN_LOG, 'train.log');
  assert.deepEqual(await folderState(dir), { kind: 'empty' });
  writeFileSync(path.join(dir, 'notes.txt'), 'mine');
  assert.deepEqual(await folderState(dir), { kind: 'other', entries: ['notes.txt'] });
  writeFileSync(path.join(dir, 'options.json'), '{}');
  assert.deepEqual(await folderState(dir), { kind: 'run' });
});
