// The data readers under the fuzzer, with a fixed seed: 50 damaged copies of each data
// format (npy, IDX raw and gzipped, CIFAR-10 batches and archive, image folders) are
// each accepted or refused with an error naming the file; no crash, hang, raw error,
// file left behind, silently accepted damage or huge allocation. `npm run fuzz` runs
// the same harness with 1,000 cases per format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULTS, Fuzzer, isDefect, type CaseResult } from '../../fuzz/runner.js';
import { DATA_FORMATS } from '../../fuzz/formats/index.js';

test('50 damaged copies of every data format: no defect, and the damage is seen', async () => {
  const fuzzer = await Fuzzer.start({ ...DEFAULTS, cases: 50, seed: 2024 });
  let results: CaseResult[];
  try {
    results = await fuzzer.runAll(DATA_FORMATS);
  } finally {
    await fuzzer.close();
  }
  assert.equal(results.length, 50 * DATA_FORMATS.length);
  const defects = results
    .filter((r) => isDefect(r.outcome))
    .map((r) => `${r.format} --replay ${r.seed}: ${r.outcome}, ${r.mutation} of ${r.file}: ${r.detail}`);
  assert.deepEqual(defects, []);
  for (const format of DATA_FORMATS) {
    const mine = results.filter((r) => r.format === format.name);
    // The mutations must reach the readers: most cases are refusals, and some damage is harmless.
    assert.ok(mine.filter((r) => r.outcome === 'refused').length >= 25, `${format.name}: too few refusals`);
    assert.ok(
      mine.some((r) => r.outcome === 'accepted'),
      `${format.name}: nothing accepted`,
    );
  }
});
