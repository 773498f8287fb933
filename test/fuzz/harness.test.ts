// The fuzz harness itself: every kind of reader defect (abort, hang, raw error, unnamed
// file, system error, a file left behind, silent damage, a huge allocation) is caught and
// classified by readers that misbehave on purpose; the pool survives crashes and hangs;
// a case replays exactly from its seed; the report names each defect's replay command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULTS, Fuzzer, caseSeed, isDefect, type CaseResult } from '../../fuzz/runner.js';
import { report } from '../../fuzz/main.js';
import { DATA_FORMATS } from '../../fuzz/formats/index.js';
import { FAKE_FORMATS } from './fake-formats.js';

const FAKES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-formats.js');

test('each misbehaving reader is classified as its defect, and the pool goes on after crashes and hangs', async () => {
  const fuzzer = await Fuzzer.start({
    ...DEFAULTS,
    cases: 3,
    seed: 5,
    jobs: 2,
    timeoutMs: 6000,
    memoryLimitMb: 50,
    formatsModule: FAKES,
    exportName: 'FAKE_FORMATS',
  });
  let results: CaseResult[];
  try {
    results = await fuzzer.runAll(FAKE_FORMATS);
  } finally {
    await fuzzer.close();
  }
  const expected: Record<string, string> = {
    accepts: 'accepted',
    refuses: 'refused',
    aborts: 'crash',
    hangs: 'hang',
    'type error': 'raw error',
    'names no file': 'raw error',
    'system error': 'raw error',
    'throws a string': 'raw error',
    'leaves a file': 'partial file',
    'may leave a file': 'accepted',
    'bad accept': 'bad accept',
    'huge allocation': 'huge allocation',
  };
  assert.equal(results.length, 3 * FAKE_FORMATS.length);
  for (const [format, outcome] of Object.entries(expected)) {
    const outcomes = results.filter((r) => r.format === format).map((r) => r.outcome);
    assert.deepEqual(outcomes, [outcome, outcome, outcome], format);
  }
  const crash = results.find((r) => r.format === 'aborts')!;
  assert.match(crash.detail, /died \(SIGABRT\)/);
  assert.match(results.find((r) => r.format === 'hangs')!.detail, /no answer after 6 s/);
  assert.match(results.find((r) => r.format === 'leaves a file')!.detail, /left \.data\.bin\.tmp-1 after refusing/);
  assert.match(results.find((r) => r.format === 'type error')!.detail, /^TypeError: /);
  assert.ok(!isDefect('accepted') && !isDefect('refused') && isDefect('partial file'));
});

test('a case replays exactly from its seed, and the report gives the replay command of each defect', async () => {
  const npy = DATA_FORMATS.find((f) => f.name === 'npy')!;
  const fuzzer = await Fuzzer.start({ ...DEFAULTS, cases: 1, seed: 1, jobs: 1 });
  try {
    for (const seed of [caseSeed(1, 0), caseSeed(1, 1), 77]) {
      const a = await fuzzer.runCase(npy, seed);
      const b = await fuzzer.runCase(npy, seed);
      assert.deepEqual([b.mutation, b.file, b.outcome, b.detail], [a.mutation, a.file, a.outcome, a.detail]);
    }
  } finally {
    await fuzzer.close();
  }
  assert.notEqual(caseSeed(1, 0), caseSeed(1, 1));
  assert.notEqual(caseSeed(1, 0), caseSeed(2, 0));

  const results: CaseResult[] = [
    { format: 'npy', seed: 11, mutation: 'truncate', file: 'a.npy', outcome: 'refused', detail: 'x', dir: '' },
    { format: 'npy', seed: 12, mutation: 'flip bytes', file: 'a.npy', outcome: 'accepted', detail: '', dir: '' },
    { format: 'npy', seed: 13, mutation: 'empty file', file: 'a.npy', outcome: 'crash', detail: 'died', dir: '' },
  ];
  const text = report(results, [npy], { ...DEFAULTS, cases: 3, seed: 9 }, 1.25);
  assert.match(text, /3 cases per format, seed 9, 2 workers, 3 cases in 1\.3 s/);
  assert.match(text, /^format\s+accepted\s+refused\s+crash\s+defects$/m);
  assert.match(text, /^npy\s+1\s+1\s+1\s+1$/m);
  assert.match(text, /npy --replay 13: crash, empty file of a.npy: died/);
});
