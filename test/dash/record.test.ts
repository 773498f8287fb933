// The page's record of a run (web/record.ts) and its smoothing (web/smoothing.ts), in
// Node: lines the test writes go in, the columns, evaluation rows and marks that come
// out are checked against those lines, and the smoothing against the weighted mean it
// stands for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');

interface RecordModule {
  RunRecord: new () => {
    steps: number[];
    columns: Record<string, (number | null)[]>;
    evalSteps: number[];
    evals: Map<string, (number | null)[]>;
    marks: { step: number; kind: string; text: string }[];
    lastStep: number;
    badLines: number;
    lineCount: number;
    add(text: string): number;
  };
}
interface SmoothingModule {
  debiasedEma(values: (number | null)[], beta: number): (number | null)[];
}
/** dist/web's modules, loaded by path: the browser code is not part of the Node program's types. */
const load = async <T>(name: string) => (await import(pathToFileURL(path.join(WEB, name)).href)) as T;

const step = (s: number, lossD: number | null = s / 10) =>
  JSON.stringify({ step: s, lossD, lossG: 1, dReal: 0.5, dFake: 0.5, lr: 0.001, seconds: s });

test('the record: columns, evaluation rows, marks, and lines it cannot read', async () => {
  const { RunRecord } = await load<RecordModule>('record.js');
  const record = new RunRecord();
  const text = [
    step(1),
    step(2, null), // a diverged loss: null in JSON
    JSON.stringify({ step: 2, metrics: { modes: 3, totalModes: 8, untruncated: { modes: 2 } } }),
    JSON.stringify({ step: 2, imageMetrics: { fid10k: 40, fid10k_real: 2 } }), // the same row as the line above
    JSON.stringify({ step: 3, warning: 'mode collapse' }),
    JSON.stringify({ step: 3, rollback: { at: 5, to: 3, attempt: 1, of: 3, lrScale: 0.5, reason: 'NaN' } }),
    JSON.stringify({ step: 3, resume: { steps: 10 } }),
    '{"step": 4, "lossD"', // not JSON
    '[1, 2]', // JSON without a step
    step(3),
    JSON.stringify({ step: 4, metrics: { modes: 5, totalModes: 8 } }),
  ].join('\n');
  assert.equal(record.add(text + '\n'), 9);
  assert.equal(record.badLines, 2);
  assert.deepEqual(record.steps, [1, 2, 3]);
  assert.deepEqual(record.columns.lossD, [0.1, null, 0.3]);
  assert.deepEqual(record.columns.aux, [null, null, null]);
  assert.deepEqual(record.evalSteps, [2, 4]);
  assert.deepEqual(record.evals.get('modes'), [3, 5]);
  assert.deepEqual(record.evals.get('untruncated.modes'), [2, null]);
  assert.deepEqual(record.evals.get('fid10k'), [40, null]);
  assert.deepEqual(record.evals.get('fid10k_real'), [2, null]);
  assert.deepEqual(
    record.marks.map((m) => [m.step, m.kind]),
    [
      [3, 'warning'],
      [3, 'rollback'],
      [3, 'resume'],
    ],
  );
  assert.match(record.marks[1].text, /from step 5: NaN \(lr ×0.5\)/);
  assert.equal(record.lastStep, 4);
  // A step line going back (a rewrite the stream did not announce) replaces the history from there.
  record.add(step(2, 9) + '\n' + step(3, 8) + '\n');
  assert.deepEqual(record.steps, [1, 2, 3]);
  assert.deepEqual(record.columns.lossD, [0.1, 9, 8]);
});

test('the smoothing is the mean of the points so far, weighted β^(t−i), and skips missing points', async () => {
  const { debiasedEma } = await load<SmoothingModule>('smoothing.js');
  const values = [3, 1, null, 4, 1, 5, NaN, 9];
  for (const beta of [0, 0.5, 0.9, 0.999]) {
    const smoothed = debiasedEma(values, beta);
    const present: number[] = [];
    values.forEach((v, i) => {
      if (v === null || Number.isNaN(v)) return assert.equal(smoothed[i], null, `missing point ${i} stays missing`);
      present.push(v);
      const weights = present.map((_, k) => beta ** (present.length - 1 - k));
      const mean = present.reduce((sum, x, k) => sum + weights[k] * x, 0) / weights.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs((smoothed[i] as number) - mean) < 1e-12, `β ${beta}, point ${i}: ${smoothed[i]} vs ${mean}`);
    });
  }
  // The first smoothed point is the first value, whatever β: no pull towards 0 or any start value.
  assert.equal(debiasedEma([7, 7, 7], 0.99)[0], 7);
});
