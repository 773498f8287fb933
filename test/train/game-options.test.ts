// A game's recommended settings through the CLI and a run: a flag left out takes the
// game's value, a flag given keeps the user's, options.json records what the run used,
// and a poor combination is reported as a warning when the run starts (and still runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { trainCommand } from '../../src/cli/train.js';
import { OPTIONS, resolveOptions, type TrainOptions } from '../../src/train/options.js';
import { train } from '../../src/train/trainer.js';

/** The options the CLI would hand the library for these arguments (its action replaced). */
function flagsOf(args: string[]): Partial<TrainOptions> {
  const command = trainCommand().exitOverride();
  command.action(() => {});
  command.parse(args, { from: 'user' });
  const flags = command.opts();
  const given: Record<string, unknown> = {};
  for (const row of OPTIONS.filter((r) => r.flag)) {
    const option = command.options.find((o) => o.flags === row.flag)!;
    given[row.name] = flags[option.attributeName()];
  }
  return given as Partial<TrainOptions>;
}

test('a flag left out takes the game’s setting; a flag given is kept', () => {
  const defaults = resolveOptions(flagsOf(['--data', 'ring8', '--loss', 'wgan-gp']));
  assert.deepEqual([defaults.gpWeight, defaults.r1, defaults.dSteps], [0.1, 0, 1]);
  const mine = resolveOptions(
    flagsOf(['--data', 'ring8', '--loss', 'wgan-gp', '--gp-weight', '10', '--r1', '0.02', '--k', '5']),
  );
  assert.deepEqual([mine.gpWeight, mine.r1, mine.dSteps], [10, 0.02, 5]);
  // --clip and --gp-weight stay unset unless given, so a run can tell that the user asked for them.
  assert.equal(flagsOf(['--loss', 'hinge']).clip, undefined);
  assert.equal(flagsOf(['--loss', 'hinge']).gpWeight, undefined);
});

const small = { gHidden: [16], dHidden: [16], batchSize: 32, steps: 2, evalSamples: 200, plotEvery: 0 };

test('options.json records the game’s settings; a poor combination is a warning at the start, not a refusal', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'gankit-game-options-'));
  const said: string[] = [];
  await train({ ...small, data: 'ring8', loss: 'wgan-gp', out }, { onEvent: (m) => said.push(m) });
  const saved = JSON.parse(readFileSync(path.join(out, 'options.json'), 'utf8'));
  assert.deepEqual([saved.loss, saved.gpWeight, saved.r1, saved.dSteps], ['wgan-gp', 0.1, 0, 1]);
  assert.deepEqual(
    said.filter((m) => m.startsWith('warning')),
    [],
  );

  const poor = mkdtempSync(path.join(tmpdir(), 'gankit-game-options-'));
  const heard: string[] = [];
  const result = await train(
    { ...small, data: 'ring8', loss: 'wgan', beta1: 0.5, clip: 0.05, out: poor },
    { onEvent: (m) => heard.push(m) },
  );
  assert.equal(result.trainedSteps, 2);
  const warnings = heard.filter((m) => m.startsWith('warning: '));
  assert.equal(warnings.length, 1, heard.join('\n'));
  assert.match(warnings[0], /^warning: WGAN's weight clipping with Adam's momentum \(beta1 0\.5\) trains poorly/);
  // Said before the run starts: before the line naming the run directory.
  assert.ok(heard.indexOf(warnings[0]) < heard.findIndex((m) => m.startsWith('run directory')));
});
