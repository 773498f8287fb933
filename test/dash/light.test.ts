// `gankit dash` must not load TensorFlow.js (docs/dashboard.md §2): main.ts runs it with
// only src/cli/dash.ts and src/cli/command-line.ts. This follows their static imports
// through src/ and fails when one reaches a heavy package; sharp (for GIFs) is allowed
// only as a dynamic import, loaded on the first GIF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src');
const HEAVY = ['@tensorflow/', 'sharp', '@napi-rs/canvas', 'ml-matrix'];

/** The module specifiers of a file's static imports and re-exports (not `import()`). */
function specifiers(source: string, fileName: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return file.statements.flatMap((s) =>
    (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) &&
    s.moduleSpecifier &&
    ts.isStringLiteral(s.moduleSpecifier)
      ? [s.moduleSpecifier.text]
      : [],
  );
}

/** Every package a file reaches through static imports, with the chain that reaches it. */
function reachedPackages(start: string): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of specifiers(readFileSync(file, 'utf8'), file)) {
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
        assert.ok(existsSync(target), `${file} imports ${spec}, which is no file`);
        visit(target, [...chain, path.relative(SRC, target)]);
      } else if (!packages.has(spec)) packages.set(spec, chain);
    }
  };
  visit(path.join(SRC, start), [start]);
  return packages;
}

test('the modules gankit dash loads import no TensorFlow.js, sharp or canvas (statically)', () => {
  for (const start of ['cli/dash.ts', 'cli/command-line.ts']) {
    const packages = reachedPackages(start);
    assert.ok(packages.has('commander'), 'the walk read the file');
    if (start === 'cli/dash.ts') assert.ok(packages.has('node:http'), 'the walk reached the server');
    const heavy = [...packages].filter(([name]) => HEAVY.some((h) => name.startsWith(h)));
    assert.deepEqual(
      heavy.map(([name, chain]) => `${name} via ${chain.join(' → ')}`),
      [],
      `Expected ${start} to load no heavy package`,
    );
  }
});
