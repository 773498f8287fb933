// The option table (src/train/options.ts) is the one place an option is defined: these
// tests check that the CLI's flags and help and the library's resolveOptions all follow
// it, so that adding a row is all it takes to add an option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommanderError } from 'commander';
import { DEFAULT_OPTIONS, IMAGE_DEFAULTS, OPTIONS, resolveOptions } from '../../src/train/options.js';
import { trainCommand } from '../../src/cli/train.js';

/** Options the plan sets from the data, which no user gives. */
const SET_BY_THE_PLAN = ['numClasses'];

const show = (x: unknown) => (Array.isArray(x) ? x.join(',') : String(x));

test('every option has a flag (or is set by the plan), a default its own check accepts, and help', () => {
  assert.ok(OPTIONS.length >= 38, `the table has ${OPTIONS.length} rows`);
  assert.equal(new Set(OPTIONS.map((r) => r.name)).size, OPTIONS.length, 'one row per option');
  for (const row of OPTIONS) {
    assert.equal(Boolean(row.flag), !SET_BY_THE_PLAN.includes(row.name), `${row.name}: a flag unless the plan sets it`);
    assert.ok(row.type.accepts(row.default), `${row.name}: default ${show(row.default)} passes its check`);
    if (row.images !== undefined)
      assert.ok(row.type.accepts(row.images), `${row.name}: image default passes its check`);
    assert.ok(row.help.length > 5, `${row.name}: help`);
  }
});

test('resolveOptions fills in the table defaults on toy data and on images', () => {
  const toy = resolveOptions({ data: 'moons' });
  // --model given: the image defaults themselves (without it the default recipe adds its own, recipes.test.ts).
  const images = resolveOptions({ data: 'fashion-mnist', model: 'dcgan' });
  for (const row of OPTIONS) {
    // R1 on toy data follows the data's scale, by a rule after the table (its own test checks it).
    if (row.name !== 'r1' && row.name !== 'data')
      assert.deepEqual(toy[row.name], row.default, `${row.name} on toy data`);
    if (row.name === 'data' || row.name === 'steps') continue; // images: steps come from epochs in the plan
    if (row.name === 'recipe') continue; // a --model given means the dcgan recipe (recipes.test.ts)
    assert.deepEqual(images[row.name], row.images ?? row.default, `${row.name} on images`);
  }
  assert.equal(Object.keys(DEFAULT_OPTIONS).length, OPTIONS.length);
  assert.deepEqual(
    Object.keys(IMAGE_DEFAULTS).sort(),
    OPTIONS.filter((r) => r.images !== undefined)
      .map((r) => r.name)
      .sort(),
  );
});

test('resolveOptions refuses a bad value of every option, naming it', () => {
  for (const row of OPTIONS) {
    const bad = typeof row.default === 'string' ? '' : 'not a value';
    assert.throws(() => resolveOptions({ [row.name]: bad }), new RegExp(`Expected ${row.name} to be `), row.name);
  }
});

test('the help shows every flag with its default; each flag parses its default back', () => {
  const command = trainCommand();
  const help = command.helpInformation().replace(/\s+/g, ' ');
  for (const row of OPTIONS.filter((r) => r.flag)) {
    assert.ok(help.includes(row.flag!), `${row.flag} in the help`);
    const option = command.options.find((o) => o.flags === row.flag)!;
    const shown = row.defaultShown ?? show(row.default);
    const after = help.slice(help.indexOf(row.flag!), help.indexOf(row.flag!) + 600);
    assert.ok(
      after.includes(`default: ${shown}`) || after.includes(`default: "${shown}"`),
      `${row.flag}: default ${shown} in the help`,
    );
    if (option.argChoices) {
      assert.ok(
        option.argChoices.every((c) => row.type.accepts(c)),
        `${row.flag}: every choice passes the check`,
      );
      continue;
    }
    const parsed = option.parseArg!(show(row.default), undefined as never);
    assert.deepEqual(parsed, row.default, `${row.flag} parses "${show(row.default)}"`);
  }
});

test('the CLI refuses what the library refuses, before training, with the same kind of message', () => {
  for (const row of OPTIONS.filter((r) => r.flag && !r.type.choices && typeof r.default !== 'string')) {
    const command = trainCommand()
      .exitOverride()
      .configureOutput({ writeErr: () => {}, writeOut: () => {} });
    const flag = row.flag!.split(' ')[0];
    assert.throws(
      () => command.parse([flag, 'not-a-value'], { from: 'user' }),
      (err: unknown) => err instanceof CommanderError && /Expected .* but received "not-a-value"/.test(err.message),
      flag,
    );
    assert.throws(
      () => resolveOptions({ [row.name]: 'not-a-value' }),
      new RegExp(`Expected ${row.name} to be`),
      row.name,
    );
  }
});
