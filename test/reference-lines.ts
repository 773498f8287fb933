// Recorded stats.jsonl files (test/fixtures/reference/) and the comparison of a new run's
// lines with them, step for step. Only the CLI and files are used here, never src/
// modules, so that the tests built on it outlive any reorganisation of src/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file is compiled to dist/test/reference-lines.js. */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The CLI of the build this test belongs to (dist/src/cli/main.js). */
export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli/main.js');

export const fixture = (...parts: string[]) => path.join(REPO, 'test', 'fixtures', ...parts);

export type Line = Record<string, unknown>;

/** A stats.jsonl file's lines, parsed, without the wall-clock `seconds` (it never repeats). */
export function readLines(file: string): Line[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const { seconds: _, ...rest } = JSON.parse(l) as Line;
      return rest;
    });
}

/** |actual − expected| ≤ abs + rel·|expected|, element by element. */
export interface Tolerance {
  abs: number;
  rel: number;
}

const kind = (l: Line) =>
  'lossD' in l
    ? 'step'
    : 'metrics' in l
      ? 'metrics'
      : 'warning' in l
        ? 'warning'
        : 'imageMetrics' in l
          ? 'imageMetrics'
          : `{${Object.keys(l).join(',')}}`;

/** Every difference between two values, as "field: …" sentences. */
function differences(actual: unknown, expected: unknown, field: string, tol: Tolerance, out: string[]): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Object.is(actual, expected)) return;
    const allowed = tol.abs + tol.rel * Math.abs(expected);
    const delta = Math.abs(actual - expected);
    if (!(delta <= allowed))
      out.push(
        `${field} = ${actual} but the reference has ${expected} (|Δ| ${delta.toExponential(2)} > allowed ${allowed.toExponential(2)})`,
      );
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    expected.forEach((e, i) => differences(actual[i], e, `${field}[${i}]`, tol, out));
    return;
  }
  if (
    expected !== null &&
    typeof expected === 'object' &&
    actual !== null &&
    typeof actual === 'object' &&
    !Array.isArray(expected) &&
    !Array.isArray(actual)
  ) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      const a = (actual as Line)[key];
      const e = (expected as Line)[key];
      const name = field ? `${field}.${key}` : key;
      if (!(key in (expected as Line))) out.push(`${name} is present but the reference has no ${key}`);
      else if (!(key in (actual as Line))) out.push(`${name} is missing (the reference has ${JSON.stringify(e)})`);
      else differences(a, e, name, tol, out);
    }
    return;
  }
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    out.push(`${field || 'the line'} = ${JSON.stringify(actual)} but the reference has ${JSON.stringify(expected)}`);
}

/**
 * Asserts that `actual` has the reference's lines: the same number, the same kinds
 * (step, metrics, warning, …) in the same order with equal `step`, and every number
 * within `tol`. On failure it names the line, its step and kind, and each field that
 * differed (the first 12 of them), then how many in all.
 */
export function assertSameLines(actual: Line[], expected: Line[], tol: Tolerance, what: string): void {
  const problems: string[] = [];
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    const a = actual[i];
    const e = expected[i];
    const where = `line ${i + 1}`;
    if (!a) {
      problems.push(`${where}: missing (the reference has ${JSON.stringify(e)})`);
      continue;
    }
    if (!e) {
      problems.push(`${where}: extra line ${JSON.stringify(a)} (the reference has ${expected.length} lines)`);
      continue;
    }
    if (kind(a) !== kind(e) || a.step !== e.step) {
      problems.push(
        `${where}: a ${kind(a)} line of step ${a.step} but the reference has a ${kind(e)} line of step ${e.step} here (${JSON.stringify(a)} vs ${JSON.stringify(e)})`,
      );
      continue;
    }
    const found: string[] = [];
    differences(a, e, '', tol, found);
    for (const f of found) problems.push(`${where} (step ${e.step}, ${kind(e)} line): ${f}`);
  }
  if (problems.length === 0) return;
  const shown = problems
    .slice(0, 12)
    .map((p) => `  ${p}`)
    .join('\n');
  const more = problems.length > 12 ? `\n  … and ${problems.length - 12} more` : '';
  assert.fail(
    `Expected ${what} to match the reference (${expected.length} lines; tolerance ${tol.abs} + ${tol.rel}·|reference|) ` +
      `but ${problems.length} difference${problems.length === 1 ? '' : 's'} were found (${actual.length} lines received):\n${shown}${more}`,
  );
}
