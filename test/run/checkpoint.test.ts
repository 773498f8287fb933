// Checkpoints as durable writes and untrusted input (run/checkpoint.ts): version 2 keeps
// the SHA-256 of every file and a flipped byte anywhere is refused by name; every field
// of state.json is checked; `latest` missing or damaged falls back to the newest
// complete checkpoint; the write order is file, folder, rename, directory, then latest;
// a process killed at any moment leaves a checkpoint that loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  findCheckpoint,
  latestCheckpoint,
  loadCheckpoint,
  loadGenerator,
  removeTemporaries,
  saveCheckpoint,
} from '../../src/run/checkpoint.js';
import { initBackend } from '../../src/backend/index.js';
import { mlpDiscriminator, mlpGenerator } from '../../src/networks/mlp.js';
import { Rng } from '../../src/rng.js';
import { fixture } from '../reference-lines.js';
import { procUnavailable, recordDiskEvents, srcModule } from '../io/failing-disk.js';
import { filesUnder, flipByte, tinyRunCopy, truncate } from './tiny-run.js';
import { refused } from '../refusals.js';

const cp = (run: string, ...parts: string[]) => path.join(run, 'checkpoints', ...parts);
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
/** A file's bytes as float32 values (a copy: small Buffers share a pool at an offset). */
const floats = (file: string) => new Float32Array(Uint8Array.from(readFileSync(file)).buffer);
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

test('a checkpoint is state.json version 2 with the size and SHA-256 of every other file', async () => {
  const run = await tinyRunCopy();
  assert.equal(readFileSync(cp(run, 'latest'), 'utf8'), 'step-0000020\n');
  assert.deepEqual(readdirSync(cp(run)).sort(), ['latest', 'step-0000010', 'step-0000020']);
  const dir = cp(run, 'step-0000020');
  const state = readJson(path.join(dir, 'state.json'));
  assert.equal(state.version, 2);
  const listed = filesUnder(dir).filter((f) => f !== 'state.json');
  assert.deepEqual(listed, [
    'discriminator/model.json',
    'discriminator/weights.bin',
    'generator/model.json',
    'generator/weights.bin',
    'generatorAverage/model.json',
    'generatorAverage/weights.bin',
    'optimizers.bin',
  ]);
  assert.deepEqual(Object.keys(state.files).sort(), listed);
  for (const name of listed) {
    const bytes = readFileSync(path.join(dir, name));
    assert.deepEqual(state.files[name], { bytes: bytes.length, sha256: sha256(path.join(dir, name)) }, name);
  }
  const loaded = await loadCheckpoint(dir);
  assert.equal(loaded.state.step, 20);
  const slots = floats(path.join(dir, 'optimizers.bin'));
  const all = [...loaded.state.optimizers.generator.slots, ...loaded.state.optimizers.discriminator.slots];
  assert.deepEqual(Array.from(Float32Array.from(all.flatMap((s) => Array.from(s)))), Array.from(slots));
  for (const model of Object.values(loaded.models)) model?.dispose();
});

test('a flipped byte in any file of the checkpoint is refused, naming the file and what to do', async () => {
  const files = [
    'generator/weights.bin',
    'discriminator/weights.bin',
    'generatorAverage/weights.bin',
    'optimizers.bin',
    'generator/model.json',
  ];
  for (const name of files) {
    const run = await tinyRunCopy();
    const dir = cp(run, 'step-0000020');
    const file = path.join(dir, name);
    const expected = sha256(file);
    flipByte(file);
    await refused(
      loadCheckpoint(dir),
      `Expected ${file} to have SHA-256 ${expected}`,
      `but it has ${sha256(file)}`,
      'the checkpoint is damaged',
      `echo step-0000010 > ${cp(run, 'latest')}`,
    );
  }
});

test('sampling reads G alone: damage in its files is refused, damage in D is not its concern', async () => {
  const run = await tinyRunCopy();
  flipByte(cp(run, 'step-0000020', 'discriminator', 'weights.bin'));
  (await loadGenerator(run, 'trained')).dispose();
  (await loadGenerator(run, 'average')).dispose();
  flipByte(cp(run, 'step-0000020', 'generatorAverage', 'weights.bin'));
  await refused(loadGenerator(run, 'average'), cp(run, 'step-0000020', 'generatorAverage', 'weights.bin'), 'damaged');
  (await loadGenerator(run, 'trained')).dispose();
  flipByte(cp(run, 'step-0000020', 'generator', 'weights.bin'));
  await refused(loadGenerator(run, 'trained'), cp(run, 'step-0000020', 'generator', 'weights.bin'), 'damaged');
});

test('version 1 checkpoints (no checksums) still load, with the values their files hold', async () => {
  const dir = fixture('run-v0', 'checkpoints', 'step-0000030');
  const state = readJson(path.join(dir, 'state.json'));
  assert.equal(state.version, 1);
  const loaded = await loadCheckpoint(dir);
  assert.equal(loaded.state.step, 30);
  assert.deepEqual(loaded.state.rng, state.rng);
  assert.equal(loaded.state.optimizers.generator.kind, 'adam');
  const slots = floats(path.join(dir, 'optimizers.bin'));
  const first = loaded.state.optimizers.generator.slots[0];
  assert.deepEqual(Array.from(first), Array.from(slots.subarray(0, state.optimizers.generator.slotSizes[0])));
  assert.ok(loaded.models.generatorAverage, 'the fixture keeps an average');
  for (const model of Object.values(loaded.models)) model?.dispose();
});

test('every field of state.json is checked: a clear error naming the file, never a TypeError', async () => {
  const run = await tinyRunCopy();
  const dir = cp(run, 'step-0000020');
  const file = path.join(dir, 'state.json');
  const original = readFileSync(file, 'utf8');
  type State = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const cases: [string, (s: State) => unknown, RegExp][] = [
    ['an array', () => [], /content .* to be an object/],
    ['another format', (s) => (s.format = 'zip'), /format .* "gankit-checkpoint"/],
    ['a newer version', (s) => (s.version = 3), /version 3; a newer gankit wrote it: update gankit/],
    ['version as text', (s) => (s.version = '2'), /version .* to be 1\.\.2 but received "2"/],
    ['a negative step', (s) => (s.step = -1), /step .* an integer ≥ 0 but received -1/],
    ['a fractional step', (s) => (s.step = 2.5), /step .* an integer ≥ 0 but received 2\.5/],
    ['step as text', (s) => (s.step = '20'), /step .* an integer ≥ 0 but received "20"/],
    ['rng of three', (s) => s.rng.pop(), /rng .* four 32-bit integers/],
    ['rng past 2^32', (s) => (s.rng[0] = 2 ** 32), /rng .* four 32-bit integers/],
    ['rng below -2^31', (s) => (s.rng[1] = -(2 ** 31) - 1), /rng .* four 32-bit integers/],
    ['optimizers missing', (s) => delete s.optimizers, /optimizers .* an object but received undefined/],
    [
      'another optimizer',
      (s) => (s.optimizers.generator.kind = 'rmsprop'),
      /optimizers\.generator\.kind .* adam or sgd/,
    ],
    ['slot sizes negative', (s) => (s.optimizers.discriminator.slotSizes[0] = -4), /slotSizes .* integers ≥ 0/],
    ['slot sizes huge', (s) => (s.optimizers.generator.slotSizes[0] = 1e300), /slotSizes .* integers ≥ 0/],
    [
      'slot sizes too large for the file',
      (s) => (s.optimizers.generator.slotSizes[0] = 2 ** 40),
      /size of optimizers\.bin .* bytes \(4 for each of the slot sizes' values\)/,
    ],
    ['files missing', (s) => delete s.files, /files .* an object of checksums/],
    ['a file unlisted', (s) => delete s.files['optimizers.bin'], /files\["optimizers\.bin"\] .* its checksum/],
    ['a path out', (s) => (s.files['../x'] = s.files['optimizers.bin']), /a name in files .* inside the checkpoint/],
    [
      'a bad hash',
      (s) => (s.files['optimizers.bin'].sha256 = 'abc'),
      /files\["optimizers\.bin"\] .* \{ bytes, sha256 \}/,
    ],
  ];
  for (const [name, mutate, pattern] of cases) {
    const state = JSON.parse(original);
    const replaced = mutate(state);
    writeFileSync(file, JSON.stringify(Array.isArray(replaced) ? replaced : state));
    await refused(loadCheckpoint(dir), file, pattern).catch((err) => {
      throw new Error(`${name}: ${err.message}`);
    });
  }
  writeFileSync(file, original.slice(0, 40));
  await refused(loadCheckpoint(dir), file, /could not read its state\.json/, 'damaged');
});

test('version 1: slot sizes that do not match optimizers.bin are refused before it is read', async () => {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-v1-')), 'step-0000030');
  cpSync(fixture('run-v0', 'checkpoints', 'step-0000030'), dir, { recursive: true });
  const state = readJson(path.join(dir, 'state.json'));
  state.optimizers.generator.slotSizes[0] = 2 ** 40;
  writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state));
  await refused(loadCheckpoint(dir), new RegExp(`Expected \\d+ bytes in .*optimizers\\.bin \\(the slot sizes in`));
});

test('latest missing, empty, damaged or naming an incomplete checkpoint: the newest complete one, with a note', async () => {
  const cases: [string, (run: string) => void, string, RegExp][] = [
    ['missing', (run) => rmSync(cp(run, 'latest')), 'step-0000020', /latest is missing; using step-0000020/],
    ['empty', (run) => writeFileSync(cp(run, 'latest'), ''), 'step-0000020', /latest is empty/],
    ['a path', (run) => writeFileSync(cp(run, 'latest'), '../../etc\n'), 'step-0000020', /not a checkpoint folder/],
    [
      'a folder that is gone',
      (run) => writeFileSync(cp(run, 'latest'), 'step-0000030\n'),
      'step-0000020',
      /names an incomplete checkpoint \(.*step-0000030 is missing\); using step-0000020/,
    ],
    [
      'a truncated weights.bin',
      (run) => truncate(cp(run, 'step-0000020', 'generator', 'weights.bin'), 100),
      'step-0000010',
      /weights\.bin holds 100 bytes instead of the \d+ that .*step-0000020\/state\.json says\); using step-0000010, the newest complete checkpoint/,
    ],
    [
      'a torn state.json',
      (run) => truncate(cp(run, 'step-0000020', 'state.json'), 30),
      'step-0000010',
      /could not read its state\.json.*; using step-0000010/,
    ],
  ];
  for (const [name, damage, expected, note] of cases) {
    const run = await tinyRunCopy();
    damage(run);
    const found = await findCheckpoint(run);
    assert.equal(found?.dir, cp(run, expected), name);
    assert.match(found?.note ?? '', note, name);
    assert.equal(await latestCheckpoint(run), cp(run, expected));
    const loaded = await loadCheckpoint(found!.dir);
    for (const model of Object.values(loaded.models)) model?.dispose();
  }
});

test('latest naming an older complete checkpoint is obeyed (the way back from a damaged one)', async () => {
  const run = await tinyRunCopy();
  writeFileSync(cp(run, 'latest'), 'step-0000010\n');
  assert.deepEqual(await findCheckpoint(run), { dir: cp(run, 'step-0000010') });
});

test('no checkpoint at all is undefined; checkpoints that are all incomplete are an error naming why', async () => {
  const run = await tinyRunCopy();
  rmSync(cp(run), { recursive: true });
  assert.equal(await findCheckpoint(run), undefined);
  const damaged = await tinyRunCopy();
  truncate(cp(damaged, 'step-0000010', 'optimizers.bin'), 8);
  truncate(cp(damaged, 'step-0000020', 'optimizers.bin'), 8);
  await refused(
    findCheckpoint(damaged),
    `Expected a complete checkpoint in ${cp(damaged)}`,
    /step-0000020\/optimizers\.bin holds 8 bytes/,
    /step-0000010\/optimizers\.bin holds 8 bytes/,
    'start the run again',
  );
});

test('removeTemporaries removes what a killed process left, and nothing else', async () => {
  const run = await tinyRunCopy();
  const leftovers = [
    path.join(run, '.stats.jsonl.tmp-4242-0'),
    cp(run, '.latest.tmp-4242-3'),
    cp(run, '.step-0000030.tmp-4242-1'),
    path.join(run, 'snapshots', '.step-0000010-samples.png.tmp-77-2'),
  ];
  mkdirSync(path.join(run, 'snapshots'), { recursive: true });
  mkdirSync(cp(run, '.step-0000030.tmp-4242-1', 'generator'), { recursive: true });
  for (const f of leftovers.filter((f) => !f.includes('step-0000030'))) writeFileSync(f, 'partial');
  const keep = [path.join(run, '.hidden'), path.join(run, 'notes.tmp-1-2')];
  for (const f of keep) writeFileSync(f, 'mine');
  const before = filesUnder(run).filter((f) => !leftovers.some((l) => path.join(run, f).startsWith(l)));
  assert.deepEqual((await removeTemporaries(run)).sort(), leftovers.sort());
  assert.deepEqual(filesUnder(run), before);
});

test(
  'save order: each file, then its folder, flushed; renamed; checkpoints/ flushed; then latest',
  {
    skip: procUnavailable(),
  },
  async () => {
    await initBackend('cpu');
    const run = mkdtempSync(path.join(tmpdir(), 'gankit-order-'));
    const rng = new Rng(1);
    const models = {
      generator: mlpGenerator(2, 2, { hidden: [4] }, rng),
      discriminator: mlpDiscriminator(2, { hidden: [4] }, rng),
    };
    const optimizer = { kind: 'sgd' as const, step: 5, slots: [new Float32Array([1, 2, 3])] };
    const state = { step: 5, rng: rng.getState(), optimizers: { generator: optimizer, discriminator: optimizer } };
    const events = await recordDiskEvents(async () => {
      await saveCheckpoint(run, models, state);
    });
    const root = cp(run);
    const final = cp(run, 'step-0000005');
    const placed = events.findIndex((e) => e.op === 'rename' && e.to === final);
    assert.ok(placed >= 0, JSON.stringify(events));
    const tmp = (events[placed] as { from: string }).from;
    const synced = (from: number, to: number) =>
      events.slice(from, to).flatMap((e) => (e.op === 'sync' ? [e.path] : []));
    for (const f of filesUnder(final)) {
      assert.ok(synced(0, placed).includes(path.join(tmp, f)), `${f} is not flushed before the folder's rename`);
    }
    for (const d of [tmp, path.join(tmp, 'generator'), path.join(tmp, 'discriminator')]) {
      assert.ok(synced(0, placed).includes(d), `${d} is not flushed before its rename`);
    }
    const latest = events.findIndex((e) => e.op === 'rename' && e.to === path.join(root, 'latest'));
    assert.ok(latest > placed, 'latest is switched before the checkpoint is in place');
    assert.ok(synced(placed + 1, latest).includes(root), 'checkpoints/ is not flushed between the two renames');
    const latestTmp = (events[latest] as { from: string }).from;
    assert.ok(
      synced(placed + 1, latest).includes(latestTmp),
      "latest's temporary file is not flushed before its rename",
    );
    assert.ok(synced(latest + 1, events.length).includes(root), 'checkpoints/ is not flushed after latest is switched');
    models.generator.dispose();
    models.discriminator.dispose();
  },
);

test(
  'a process killed at any moment while saving checkpoints leaves one that loads',
  { timeout: 120_000 },
  async () => {
    const code = `
    const { initBackend } = await import(${JSON.stringify(srcModule('backend/index.js'))});
    const { saveCheckpoint } = await import(${JSON.stringify(srcModule('run/checkpoint.js'))});
    const { mlpGenerator, mlpDiscriminator } = await import(${JSON.stringify(srcModule('networks/mlp.js'))});
    const { Rng } = await import(${JSON.stringify(srcModule('rng.js'))});
    await initBackend('cpu');
    const rng = new Rng(2);
    const models = { generator: mlpGenerator(2, 2, { hidden: [64, 64] }, rng),
      discriminator: mlpDiscriminator(2, { hidden: [64, 64] }, rng) };
    const slots = [new Float32Array(20000).fill(1)];
    for (let step = 1; ; step++) {
      const optimizer = { kind: 'adam', step, slots };
      await saveCheckpoint(process.argv[1], models, { step, rng: rng.getState(),
        optimizers: { generator: optimizer, discriminator: optimizer } });
      console.log('saved', step);
    }`;
    const rng = new Rng(9);
    for (let round = 0; round < 4; round++) {
      const run = mkdtempSync(path.join(tmpdir(), 'gankit-kill-'));
      const child = spawn(process.execPath, ['--input-type=module', '-e', code, run], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('saved') && resolve());
        child.on('exit', () => reject(new Error(`the saving process ended early: ${stderr}`)));
      });
      await new Promise((r) => setTimeout(r, 50 + Math.floor(rng.uniform() * 400)));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      const found = await findCheckpoint(run);
      assert.ok(found, `round ${round}: no checkpoint`);
      assert.equal(found.note, undefined, `round ${round}: ${found.note}`);
      const loaded = await loadCheckpoint(found.dir);
      for (const model of Object.values(loaded.models)) model?.dispose();
      await removeTemporaries(run);
      assert.ok(!filesUnder(run).some((f) => /\.tmp-\d+-\d+/.test(f)), `round ${round}: temporaries left`);
    }
  },
);

test(
  'version 1: a model.json tfjs cannot build is refused within seconds, with what to do',
  { timeout: 10_000 },
  async () => {
    const run = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-v1-')), 'run');
    cpSync(fixture('run-v0'), run, { recursive: true });
    const file = cp(run, 'step-0000030', 'generator', 'model.json');
    const json = readJson(file);
    json.modelTopology.config.layers.splice(2, 1); // a deleted layer: tfjs alone would loop forever
    writeFileSync(file, JSON.stringify(json));
    await refused(
      loadCheckpoint(cp(run, 'step-0000030')),
      `Expected a tfjs model at ${file} that tfjs can build`,
      `echo step-0000020 > ${cp(run, 'latest')}`,
    );
  },
);
