// Atomic, durable writes (io/atomic.ts, io/folder.ts): the data is flushed before the
// rename and the directory after it; a failed write (a file-size limit, a full disk)
// leaves the previous file or folder as it was, no temporary behind, and an error
// naming the target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../../src/io/atomic.js';
import { writeFolderAtomic } from '../../src/io/folder.js';
import {
  type DiskEvent,
  fillDisk,
  procUnavailable,
  recordDiskEvents,
  runWithFileLimit,
  srcModule,
  tmpfsUnavailable,
  withTmpfs,
} from './failing-disk.js';

const temp = () => mkdtempSync(path.join(tmpdir(), 'gankit-atomic-'));
const isTemporary = (name: string) => /^\..+\.tmp-\d+-\d+$/.test(name);

test(
  'writeFileAtomic: flushes the temporary file, renames it over the target, then flushes the folder',
  {
    skip: procUnavailable(),
  },
  async () => {
    const dir = temp();
    const target = path.join(dir, 'a.json');
    writeFileSync(target, 'old');
    const events = await recordDiskEvents(() => writeFileAtomic(target, 'new'));
    assert.equal(readFileSync(target, 'utf8'), 'new');
    assert.deepEqual(readdirSync(dir), ['a.json']);
    const renames = events.filter((e) => e.op === 'rename');
    assert.equal(renames.length, 1);
    const rename = renames[0] as Extract<DiskEvent, { op: 'rename' }>;
    assert.equal(rename.to, target);
    assert.equal(path.dirname(rename.from), dir);
    assert.ok(isTemporary(path.basename(rename.from)), rename.from);
    const at = events.indexOf(rename);
    assert.ok(
      events.slice(0, at).some((e) => e.op === 'sync' && e.path === rename.from),
      `the temporary file is not flushed before the rename: ${JSON.stringify(events)}`,
    );
    assert.ok(
      events.slice(at + 1).some((e) => e.op === 'sync' && e.path === dir),
      `the folder is not flushed after the rename: ${JSON.stringify(events)}`,
    );
  },
);

test('writeFileAtomic past a file-size limit: the old file stays, no temporary, the error names the file', () => {
  const dir = temp();
  const target = path.join(dir, 'weights.bin');
  writeFileSync(target, 'the previous content');
  const code = `
    const { writeFileAtomic } = await import(${JSON.stringify(srcModule('io/atomic.js'))});
    try { await writeFileAtomic(${JSON.stringify(target)}, new Uint8Array(256 * 1024)); console.log('written'); }
    catch (err) { console.log(JSON.stringify({ message: err.message, code: err.code, file: err.file })); }`;
  const r = runWithFileLimit(code, 64);
  assert.equal(r.status, 0, r.stderr);
  const failure = JSON.parse(r.stdout);
  assert.equal(failure.code, 'EFBIG');
  assert.equal(failure.file, target);
  assert.ok(failure.message.includes(target), failure.message);
  assert.equal(readFileSync(target, 'utf8'), 'the previous content');
  assert.deepEqual(readdirSync(dir), ['weights.bin']);
});

test(
  'writeFileAtomic on a full disk: ENOSPC explained with the file named; the old file stays',
  {
    skip: tmpfsUnavailable(),
  },
  async () => {
    await withTmpfs(256, async (dir) => {
      const target = path.join(dir, 'options.json');
      writeFileSync(target, '{"old": true}');
      await fillDisk(dir);
      await assert.rejects(writeFileAtomic(target, JSON.stringify({ big: 'x'.repeat(64 * 1024) })), (err: Error) => {
        assert.match(err.message, /the disk holding .*options\.json is full; free some space/);
        return true;
      });
      assert.equal(readFileSync(target, 'utf8'), '{"old": true}');
      assert.deepEqual(
        readdirSync(dir).filter((n) => n !== 'filler'),
        ['options.json'],
      );
    });
  },
);

test(
  'writeFolderAtomic: every file and folder flushed before the rename, the parent after it',
  {
    skip: procUnavailable(),
  },
  async () => {
    const parent = temp();
    const target = path.join(parent, 'out');
    mkdirSync(target);
    writeFileSync(path.join(target, 'a.txt'), 'old');
    const events = await recordDiskEvents(() =>
      writeFolderAtomic(
        target,
        async (dir) => {
          writeFileSync(path.join(dir, 'a.txt'), 'new');
          mkdirSync(path.join(dir, 'sub'));
          writeFileSync(path.join(dir, 'sub', 'b.txt'), 'b');
        },
        () => true,
        '--out',
      ),
    );
    assert.deepEqual(readdirSync(parent), ['out']);
    assert.equal(readFileSync(path.join(target, 'a.txt'), 'utf8'), 'new');
    const placed = events.findIndex((e) => e.op === 'rename' && e.to === target);
    assert.ok(placed >= 0, JSON.stringify(events));
    const tmp = (events[placed] as { from: string }).from;
    const syncedBefore = events.slice(0, placed).flatMap((e) => (e.op === 'sync' ? [e.path] : []));
    for (const p of [path.join(tmp, 'a.txt'), path.join(tmp, 'sub', 'b.txt'), path.join(tmp, 'sub'), tmp]) {
      assert.ok(syncedBefore.includes(p), `${p} is not flushed before the rename: ${JSON.stringify(events)}`);
    }
    assert.ok(events.slice(placed + 1).some((e) => e.op === 'sync' && e.path === parent));
  },
);

test('writeFolderAtomic past a file-size limit: the previous folder stays whole, nothing else is left', () => {
  const parent = temp();
  const target = path.join(parent, 'samples');
  mkdirSync(target);
  writeFileSync(path.join(target, '000000.png'), 'previous');
  const code = `
    import('node:fs').then(async ({ promises: fs }) => {
      const { writeFolderAtomic } = await import(${JSON.stringify(srcModule('io/folder.js'))});
      const fill = async (dir) => {
        await fs.writeFile(dir + '/000000.png', 'small');
        await fs.writeFile(dir + '/000001.png', new Uint8Array(256 * 1024));
      };
      try { await writeFolderAtomic(${JSON.stringify(target)}, fill, () => true, '--out'); console.log('written'); }
      catch (err) { console.log(JSON.stringify({ message: err.message, code: err.code })); }
    });`;
  const r = runWithFileLimit(code, 64);
  assert.equal(r.status, 0, r.stderr);
  const failure = JSON.parse(r.stdout);
  assert.equal(failure.code, 'EFBIG');
  assert.match(failure.message, /^Failed writing --out: .*samples/);
  assert.deepEqual(readdirSync(parent), ['samples']);
  assert.deepEqual(readdirSync(target), ['000000.png']);
  assert.equal(readFileSync(path.join(target, '000000.png'), 'utf8'), 'previous');
});
