// The shape of src/'s text, beyond what prettier keeps: no line longer than 120
// characters (prettier does not wrap long strings or comments), and a file longer than
// 300 lines says why in its header. Reads the .ts sources (not dist/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file is compiled to dist/test/architecture/style.test.js. */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SRC = path.join(REPO, 'src');

const MAX_LINE = 120;
const MAX_FILE = 300;
/** How far into a file the reason for its length may be stated. */
const HEADER_LINES = 12;

/** Every .ts file under `dir` (no .d.ts), as paths relative to `root`, '/'-separated. */
function sources(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full, root);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path.relative(root, full).split(path.sep).join('/')] : [];
  });
}

/** A file's lines (a final newline ends the last line; it does not start another). */
export function linesOf(text: string): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Lines longer than `max` characters (code points, so × and — count as one), 1-based. */
export function longLines(text: string, max = MAX_LINE): { line: number; length: number }[] {
  return linesOf(text)
    .map((l, i) => ({ line: i + 1, length: [...l].length }))
    .filter((l) => l.length > max);
}

/** Whether one of the first `header` lines is a comment saying why the file is longer than 300 lines. */
export function statesWhyLong(text: string, header = HEADER_LINES): boolean {
  return linesOf(text)
    .slice(0, header)
    .some((l) => /^\s*(\/\/|\/\*|\*)/.test(l) && /longer than 300 lines/i.test(l));
}

const srcFiles = () => sources(SRC).sort();
const read = (file: string) => readFileSync(path.join(SRC, file), 'utf8');

test('the checks check: long lines are found and counted in characters, a stated reason is found', () => {
  const ok = 'x'.repeat(120);
  assert.deepEqual(longLines(`${ok}\n${ok}x\n${'×'.repeat(120)}\n`), [{ line: 2, length: 121 }]);
  assert.deepEqual(longLines(`a\r\n${'—'.repeat(121)}\r\n`), [{ line: 2, length: 121 }]);
  assert.equal(linesOf('a\nb\n').length, 2);
  assert.equal(linesOf('a\nb').length, 2);

  assert.ok(statesWhyLong('// What this is.\n// Longer than 300 lines because it is one table.\nimport x;\n'));
  assert.ok(statesWhyLong('/**\n * LONGER THAN 300 LINES: one table.\n */\n'));
  assert.ok(!statesWhyLong('// What this is.\nimport x;\n'));
  // Only a comment counts, and only in the header.
  assert.ok(!statesWhyLong("const s = 'longer than 300 lines';\n"));
  assert.ok(!statesWhyLong(`${'// filler\n'.repeat(HEADER_LINES)}// Longer than 300 lines because …\n`));
});

test('src/ is read: there are files to check', () => {
  const files = srcFiles();
  assert.ok(files.length > 50, `only ${files.length} .ts files found under ${SRC}`);
});

test(`no line of src/ is longer than ${MAX_LINE} characters`, () => {
  const long = srcFiles().flatMap((file) =>
    longLines(read(file)).map(({ line, length }) => `  src/${file}:${line}: ${length}`),
  );
  assert.equal(
    long.length,
    0,
    `Expected every line of src/ within ${MAX_LINE} characters but found ${long.length} longer ` +
      `(file:line: length; split long strings into concatenations, rewrap comments):\n${long.join('\n')}`,
  );
});

test(`every file of src/ longer than ${MAX_FILE} lines says why in its header`, () => {
  const unexplained = srcFiles()
    .map((file) => ({ file, text: read(file) }))
    .filter(({ text }) => linesOf(text).length > MAX_FILE && !statesWhyLong(text))
    .map(({ file, text }) => `  src/${file} (${linesOf(text).length} lines)`);
  assert.equal(
    unexplained.length,
    0,
    `Expected every file longer than ${MAX_FILE} lines to say why in its first ${HEADER_LINES} lines ` +
      `(a comment line with "longer than ${MAX_FILE} lines") but found ${unexplained.length} that do not; ` +
      `split them or state the reason:\n${unexplained.join('\n')}`,
  );
});
