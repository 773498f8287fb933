// A run's own files under the fuzzer, with a fixed seed: 20 damaged copies of each
// (checkpoint files of versions 2 and 1, `latest`, a bare tfjs model, options.json,
// stats.jsonl) are each accepted or refused with an error naming the file; no crash,
// hang, raw error or file left behind. `npm run fuzz` runs 1,000 cases per format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULTS, Fuzzer, isDefect, type CaseResult } from '../../fuzz/runner.js';
import { RUN_FORMATS } from '../../fuzz/formats/index.js';

test('20 damaged copies of every run file: no defect, and checksummed files are never accepted damaged', async () => {
  const fuzzer = await Fuzzer.start({ ...DEFAULTS, cases: 20, seed: 1129 });
  let results: CaseResult[];
  try {
    results = await fuzzer.runAll(RUN_FORMATS);
  } finally {
    await fuzzer.close();
  }
  assert.equal(results.length, 20 * RUN_FORMATS.length);
  const defects = results
    .filter((r) => isDefect(r.outcome))
    .map((r) => `${r.format} --replay ${r.seed}: ${r.outcome}, ${r.mutation} of ${r.file}: ${r.detail}`);
  assert.deepEqual(defects, []);
  // Version 2 checkpoints carry SHA-256s of their files: any change to weights or optimizer state is refused.
  for (const name of ['checkpoint weights.bin', 'checkpoint optimizers.bin']) {
    const mine = results.filter((r) => r.format === name);
    assert.ok(mine.length > 0, `no format named ${name}`);
    assert.deepEqual(
      mine.filter((r) => r.outcome !== 'refused').map((r) => `${r.mutation}: ${r.outcome}`),
      [],
      `${name}: damage accepted`,
    );
  }
});
