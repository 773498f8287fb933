// The progress line is alive while a step runs: on a pseudo-terminal (`script`) and in a
// pipe, with steps made slow by GANKIT_SLOW_STEP_MS (each step blocks the main thread, as
// a large model's step does). Timestamps are taken as the output arrives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderLine, type LineState } from '../../src/cli/progress-format.js';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');

interface Chunk {
  at: number;
  text: string;
}

/** Runs a shell command line; resolves with its output as timed chunks. */
function timed(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; chunks: Chunk[] }> {
  return new Promise((resolve) => {
    const began = Date.now();
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Chunk[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push({ at: Date.now() - began, text: d.toString('utf8') }));
    child.on('close', (code) => resolve({ code, chunks }));
  });
}

test('on a terminal, the bar shows within 2 s of the run starting and redraws at least once a second during 2.5 s steps', async () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-progress-')), 'run');
  const line = `${process.execPath} ${main} train --steps 3 --out ${out}`;
  // script(1) runs the command on a pseudo-terminal: stdout.isTTY is true in gankit.
  const { code, chunks } = await timed('script', ['-qfec', line, '/dev/null'], {
    GANKIT_SLOW_STEP_MS: '2500',
    COLUMNS: '200',
  });
  assert.equal(code, 0, chunks.map((c) => c.text).join(''));
  // Each redraw starts with a carriage return and "erase line"; split the stream into draws.
  const draws = chunks.flatMap((c) =>
    c.text
      .split('\r\x1b[K')
      .filter(Boolean)
      .map((text) => ({ at: c.at, text })),
  );
  const started = draws.find((d) => d.text.startsWith('run directory:'));
  const firstBar = draws.find((d) => /^step 0\/3 /.test(d.text));
  const lastStep = draws.find((d) => /^step 3\/3 /.test(d.text));
  assert.ok(started && firstBar && lastStep, draws.map((d) => JSON.stringify(d.text)).join('\n'));
  assert.ok(firstBar.at - started.at <= 2000, `the bar came ${firstBar.at - started.at} ms after the run directory`);
  // Three steps of ≥ 2.5 s: the line is redrawn at least once a second all the while.
  const during = draws.filter((d) => d.at >= firstBar.at && d.at <= lastStep.at).map((d) => d.at);
  const gaps = during.slice(1).map((t, i) => t - during[i]);
  assert.ok(lastStep.at - firstBar.at >= 7000, 'the steps were slow');
  assert.ok(Math.max(...gaps) <= 1000, `a gap of ${Math.max(...gaps)} ms between redraws`);
  // While step 2 runs the line says so, with its clock moving.
  const running = draws.filter((d) => /^step 1\/3 .*step 2 running \d+s/.test(d.text)).map((d) => d.text);
  assert.ok(running.length >= 2, 'the line tells that step 2 is running');
  assert.match(running.at(-1)!, /step 2 running [2-9]s/);
  // The last state stays on the screen, with its losses and D's outputs.
  assert.match(lastStep.text, /^step 3\/3 █+ · ETA 0s · 0\.\d+ steps\/s · loss D \d\.\d{3} G \d\.\d{3} · D\(x\) /);
});

test('not on a terminal: plain lines at the configured rate, also while a step runs', async () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'gankit-progress-')), 'run');
  const { code, chunks } = await timed(process.execPath, [main, 'train', '--steps', '3', '--out', out], {
    GANKIT_SLOW_STEP_MS: '2500',
    GANKIT_PROGRESS_EVERY: '0.5',
  });
  assert.equal(code, 0);
  const text = chunks.map((c) => c.text).join('');
  assert.doesNotMatch(text, /[\r\x1b]/, 'no terminal control characters in a log');
  // Every chunk holds whole lines; time them.
  const lines = chunks.flatMap((c) =>
    c.text
      .split('\n')
      .filter(Boolean)
      .map((l) => ({ at: c.at, l })),
  );
  const progress = lines.filter((x) => /^step \d\/3 /.test(x.l));
  for (const { l } of progress) {
    assert.match(
      l,
      /^step [0-3]\/3 · (ETA \d+s|elapsed \d+s)( · step [1-3] running \d+s)?( · [\d.]+ steps\/s · loss D )?/,
    );
  }
  // About one line each 0.5 s across 7.5 s of steps (the rate is not a per-step event).
  assert.ok(progress.length >= 10, `${progress.length} progress lines:\n${text}`);
  const gaps = progress.slice(1).map((x, i) => x.at - progress[i].at);
  assert.ok(Math.max(...gaps) <= 1500, `a silence of ${Math.max(...gaps)} ms`);
  assert.ok(
    progress.some((x) => /step 2 running/.test(x.l)),
    'lines during a step say it is running',
  );
  assert.match(progress.at(-1)!.l, /^step 3\/3 · ETA 0s · /);
  assert.ok(lines.findIndex((x) => x.l.startsWith('trained 3 steps')) > lines.indexOf(progress.at(-1)!));
});

test('the line from a state: rate and ETA from the counts and times, the running unit after 1.5 s', () => {
  const state: LineState = {
    label: 'epoch 1/2 · step',
    done: 30,
    total: 100,
    detail: 'loss D 1.000',
    doneUnit: 'step',
    rateUnit: 'images',
    rateScale: 64,
    startedAt: 0,
    startDone: 10,
    updatedAt: 10_000, // 20 steps in 10 s: 2 steps/s, 128 images/s; 70 steps left: 35 s
  };
  assert.equal(renderLine(state, 10_000, false), 'epoch 1/2 · step 30/100 · ETA 35s · 128 images/s · loss D 1.000');
  assert.equal(
    renderLine(state, 14_000, false),
    'epoch 1/2 · step 30/100 · ETA 31s · step 31 running 4s · 128 images/s · loss D 1.000',
  );
  assert.match(renderLine(state, 10_000), /^epoch 1\/2 · step 30\/100 █{5}░{11} · /); // 30% of 16 cells
  assert.equal(renderLine({ ...state, total: 0 }, 75_000), 'epoch 1/2 · step … 1m15s');
});
