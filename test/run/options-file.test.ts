// options.json read as untrusted input (run/options-file.ts): every failure to read it
// names the file and says what to do; the trainer's own refusals of a saved value name
// the file too (resolveSavedOptions), while its defects (a TypeError) stay visible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readOptionsFile, resolveSavedOptions } from '../../src/run/options-file.js';
import { resolveOptions } from '../../src/train/options.js';
import { srcModule } from '../io/failing-disk.js';
import { refused } from '../refusals.js';

function runWith(text: string | null): { run: string; file: string } {
  const run = mkdtempSync(path.join(tmpdir(), 'gankit-options-'));
  const file = path.join(run, 'options.json');
  if (text === null) mkdirSync(file);
  else writeFileSync(file, text);
  return { run, file };
}

test('a missing file, a folder, bad JSON, a list, a newer version: each names the file', async () => {
  const missing = mkdtempSync(path.join(tmpdir(), 'gankit-options-'));
  await refused(readOptionsFile(missing), `Expected a run directory with options.json at ${missing} but found none`);
  const folder = runWith(null);
  await refused(readOptionsFile(folder.run), `Expected to read the run's options from ${folder.file}`);
  const torn = runWith('{"data": "ring8", "st');
  await refused(readOptionsFile(torn.run), `Expected JSON in ${torn.file}`, 'restore it from a copy of the run');
  const list = runWith('[1, 2]');
  await refused(readOptionsFile(list.run), `Expected an object of options in ${list.file} but received a list`);
  const newer = runWith('{"version": 3, "data": "ring8"}');
  await refused(readOptionsFile(newer.run), `version 0..2 in ${newer.file} but received 3`, 'update gankit');
  const big = runWith(JSON.stringify({ data: 'ring8', pad: 'x'.repeat(2 * 1024 * 1024) }));
  await refused(readOptionsFile(big.run), big.file, /more than the \d+ allowed/);
});

test('a file this user may not read: "permission denied", naming it', () => {
  const { run, file } = runWith('{"data": "ring8"}');
  chmodSync(file, 0o600);
  chmodSync(run, 0o755);
  const code = `
    const { readOptionsFile } = await import(${JSON.stringify(srcModule('run/options-file.js'))});
    readOptionsFile(${JSON.stringify(run)}).then(() => console.log('read'), (err) => console.log(err.message));`;
  // As root (who reads anything) the reader runs as nobody; otherwise the file is made unreadable.
  const asNobody = process.getuid?.() === 0;
  if (!asNobody) chmodSync(file, 0o000);
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8',
    ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout.trim(),
    `Expected to read the run's options from ${file} but could not: permission denied; make it readable by this user`,
  );
});

test('resolveSavedOptions: the trainer refusing a saved value names the file; a TypeError is left alone', async () => {
  const { run, file } = runWith(JSON.stringify({ data: 'ring8', batchSize: -3, out: '/elsewhere' }));
  await refused(
    resolveSavedOptions(run, (values) => resolveOptions({ ...values, out: run })),
    new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: Expected .*batch`),
  );
  const good = runWith(JSON.stringify({ data: 'ring8' }));
  const options = await resolveSavedOptions(good.run, (values) => resolveOptions({ ...values, out: good.run }));
  assert.equal(options.data, 'ring8');
  await assert.rejects(
    resolveSavedOptions(good.run, () => {
      throw new TypeError('a defect');
    }),
    (err: Error) => err instanceof TypeError && err.message === 'a defect',
  );
});

test("a run from before version 2 keeps DCGAN's G, though its recipe now adds a convolution", async () => {
  // Written by version 1 for the default image recipe, which then had no gExtraConvs.
  const old = runWith(JSON.stringify({ version: 1, data: 'fashion-mnist', recipe: 'dcgan-fast' }));
  const resolve = (run: string) => resolveSavedOptions(run, (values) => resolveOptions({ ...values, out: run }));
  assert.equal((await resolve(old.run)).gExtraConvs, 0);
  // The same file from version 2 means what the recipe says, and a saved value is kept.
  const current = runWith(JSON.stringify({ version: 2, data: 'fashion-mnist', recipe: 'dcgan-fast' }));
  assert.equal((await resolve(current.run)).gExtraConvs, 1);
  const saved = runWith(JSON.stringify({ version: 1, data: 'fashion-mnist', recipe: 'dcgan-fast', gExtraConvs: 2 }));
  assert.equal((await resolve(saved.run)).gExtraConvs, 2);
});
