// The generic mutations: each byte mutation does what its name says to bytes the test
// wrote, JSON mutations change exactly one value or key of a document (or one line of a
// JSON Lines file) and leave it parseable, and every mutation is a function of its seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BYTE_MUTATIONS, JSON_MUTATIONS, type Mutation } from '../../fuzz/mutations.js';
import { Rng } from '../../src/rng.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gankit-mutations-'));
const ORIGINAL = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) % 256));

async function mutated(mutation: Mutation, seed: number, content: Buffer | string = ORIGINAL, name = 'f.bin') {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  await mutation.apply(file, new Rng(seed));
  return readFileSync(file);
}

const byName = (name: string) => [...BYTE_MUTATIONS, ...JSON_MUTATIONS].find((m) => m.name === name)!;

test('byte mutations: truncation, flips, empty, garbage, duplicated and deleted header bytes', async () => {
  for (let seed = 0; seed < 20; seed++) {
    const cut = await mutated(byName('truncate'), seed);
    assert.ok(cut.length < ORIGINAL.length && cut.equals(ORIGINAL.subarray(0, cut.length)));
    const flipped = await mutated(byName('flip bytes'), seed);
    const changed = [...flipped].filter((b, i) => b !== ORIGINAL[i]).length;
    assert.ok(flipped.length === ORIGINAL.length && changed >= 1 && changed <= 8, `flips: ${changed}`);
    assert.equal((await mutated(byName('empty file'), seed)).length, 0);
    const more = await mutated(byName('append garbage'), seed);
    assert.ok(more.length > ORIGINAL.length && more.subarray(0, ORIGINAL.length).equals(ORIGINAL));
    const longer = await mutated(byName('duplicate header bytes'), seed);
    assert.ok(longer.length > ORIGINAL.length && longer.length <= ORIGINAL.length + 8);
    assert.ok(longer.subarray(longer.length - 150).equals(ORIGINAL.subarray(ORIGINAL.length - 150))); // the tail is kept
    const shorter = await mutated(byName('delete header bytes'), seed);
    assert.ok(shorter.length < ORIGINAL.length && shorter.length >= ORIGINAL.length - 8);
  }
  // Tiny and empty files: every byte mutation copes (a fill past the end once stopped the fuzzer).
  for (const content of [Buffer.alloc(0), Buffer.from([1]), Buffer.from([1, 2, 3])])
    for (const mutation of BYTE_MUTATIONS) for (let seed = 0; seed < 20; seed++) await mutated(mutation, seed, content);
  // The same seed, the same damage.
  assert.ok((await mutated(byName('flip bytes'), 3)).equals(await mutated(byName('flip bytes'), 3)));
  assert.ok(!(await mutated(byName('flip bytes'), 3)).equals(await mutated(byName('flip bytes'), 4)));
});

/** Every (path, value) leaf of a JSON value, for comparing documents. */
function leaves(value: unknown, at = '$'): string[] {
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as object);
    return entries.length === 0
      ? [`${at}=${JSON.stringify(value)}`]
      : entries.flatMap(([k, v]) => leaves(v, `${at}.${k}`));
  }
  return [`${at}=${JSON.stringify(value)}`];
}

test('JSON mutations change one value or remove one key and keep the document parseable', async () => {
  const doc = { steps: 100, lr: 0.0002, model: 'dcgan', betas: [0.5, 0.999], nested: { on: true } };
  const text = JSON.stringify(doc, null, 2);
  const kinds = new Set<string>();
  for (let seed = 0; seed < 60; seed++) {
    const wrong = JSON.parse((await mutated(JSON_MUTATIONS[0], seed, text, 'options.json')).toString());
    assert.notDeepEqual(wrong, doc, `seed ${seed}`);
    const raw = (await mutated(JSON_MUTATIONS[0], seed, text, 'options.json')).toString();
    if (raw.includes('9007199254740993')) kinds.add('unsafe integer');
    if (raw.includes('1e+308')) kinds.add('huge number');
    if (raw.includes('null')) kinds.add('null');
    const missing = JSON.parse((await mutated(byName('json missing key'), seed, text, 'options.json')).toString());
    const before = leaves(doc);
    const after = leaves(missing);
    assert.ok(
      after.every((leaf) => before.includes(leaf) || /=\{\}$/.test(leaf)),
      `seed ${seed}: only removals`,
    );
    assert.ok(after.length < before.length || after.some((leaf) => /=\{\}$/.test(leaf)), `seed ${seed}: a key went`);
  }
  assert.deepEqual([...kinds].sort(), ['huge number', 'null', 'unsafe integer']);

  // JSON Lines: one line changes, the others stay as they were.
  const lines = ['{"step":1,"loss":0.5}', '{"step":2,"loss":0.25}', '{"step":3,"loss":0.125}'];
  const out = (await mutated(JSON_MUTATIONS[0], 7, lines.join('\n') + '\n', 'stats.jsonl')).toString().split('\n');
  assert.equal(out.filter((l, i) => l !== [...lines, ''][i]).length, 1);
  // Not JSON, or not a JSON file: left alone.
  assert.equal((await mutated(JSON_MUTATIONS[0], 1, '{ not json', 'bad.json')).toString(), '{ not json');
  assert.equal(JSON_MUTATIONS[0].appliesTo!('data.bin'), false);
  assert.equal(JSON_MUTATIONS[0].appliesTo!('options.json'), true);
});
