// The learning-rate schedule across resumes: a run stopped at step 20 of 40 and resumed
// with --steps 80 goes on from the rate it had reached and decays to --lr-final by step
// 80 (it does not jump back up); a later resume without a new length keeps that plan.
// The expected rates are the closed form of a linear decay, written out here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { train } from '../../src/train/trainer.js';
import { TINY } from '../run/tiny-run.js';

const LR_G = 0.01;
const FINAL = 0.2;

/** Trains until `stopAfter` (then stops as on Ctrl-C) or to the end; returns the events. */
async function session(request: Parameters<typeof train>[0], stopAfter?: number): Promise<string[]> {
  const abort = new AbortController();
  const events: string[] = [];
  await train(request, {
    signal: abort.signal,
    onEvent: (m) => events.push(m),
    onStep: (step) => step === stopAfter && abort.abort(),
  });
  return events;
}

const rates = (run: string) =>
  new Map(
    readFileSync(path.join(run, 'stats.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => 'lossD' in l)
      .map((l) => [l.step as number, l.lr as number]),
  );

test('--steps on --resume continues the decay from the rate reached; a later resume keeps the new plan', async () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-schedule-')), 'run');
  const options = { ...TINY, out, steps: 40, lrG: LR_G, lrFinal: FINAL };
  await session(options, 20);
  const events = await session({ resume: true, out, steps: 80 }, 50);
  await session({ resume: true, out });

  // Steps 1–20 decay over 40 steps: 1 − (1 − f)(s − 1)/40 of the set rate.
  const lr = rates(out);
  assert.deepEqual(
    [...lr.keys()],
    Array.from({ length: 80 }, (_, i) => i + 1),
  );
  for (let s = 1; s <= 20; s++) assert.ok(Math.abs(lr.get(s)! - LR_G * (1 - (1 - FINAL) * ((s - 1) / 40))) < 1e-12);
  // Step 21 has the rate the 40-step plan gave it (0.6 of the set rate), then a straight
  // line to f at step 81: never back up to the full rate.
  const reached = 1 - (1 - FINAL) * (20 / 40);
  for (let s = 21; s <= 80; s++) {
    const expected = LR_G * (reached + (FINAL - reached) * ((s - 21) / 60));
    assert.ok(Math.abs(lr.get(s)! - expected) < 1e-12, `step ${s}: ${lr.get(s)} ≠ ${expected}`);
  }
  assert.ok(events.some((e) => /the run now ends at step 80 \(it was 40\); they go on from 60% .* by step 80/.test(e)));
});

test('a run that finished at rate 0 (--lr-final 0) is not extended: refused before its files change', async () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-schedule-')), 'run');
  await session({ ...TINY, out, steps: 20, lrFinal: 0 });
  const files = () => readdirSync(out, { recursive: true, encoding: 'utf8' }).sort();
  const before = { files: files(), stats: readFileSync(path.join(out, 'stats.jsonl'), 'utf8') };
  await assert.rejects(
    session({ resume: true, out, steps: 30 }),
    new RegExp(
      `finished its 20 steps at rate 0 \\(--lr-final 0\\), .* steps to 30 would change nothing\\. Train a longer run ` +
        'into a new folder \\(gankit train --steps 30 --out NEW',
    ),
  );
  assert.deepEqual({ files: files(), stats: readFileSync(path.join(out, 'stats.jsonl'), 'utf8') }, before);
  // Resumed without a new length, the finished run is left as it is.
  await session({ resume: true, out });
});
