// The README tour, shortened (bench/tour.ts --quick: the same commands with fewer
// steps), run on a pseudo-terminal as a newcomer runs it: every command succeeds, and
// none leaves the screen without something new for more than a second — start-up, data
// loading, training, the final evaluation and the writing of files included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runOnTerminal, tourCommands } from '../../bench/tour.js';

test('the README tour on a terminal: every command succeeds, with no silence longer than a second', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-tour-'));
  const transcript: string[] = [];
  for (const args of tourCommands(true)) {
    const step = await runOnTerminal(args, dir);
    transcript.push(
      `$ ${step.command}\n${step.screen}\n→ exit ${step.code}, ${step.seconds.toFixed(1)} s, longest silence ` +
        `${step.silence.toFixed(2)} s at ${step.silenceAt.toFixed(1)} s`,
    );
    assert.equal(step.code, 0, transcript.join('\n\n'));
    assert.ok(step.silence <= 1, `a silence of ${step.silence.toFixed(2)} s:\n\n${transcript.join('\n\n')}`);
  }
});
