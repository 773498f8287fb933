// stats.jsonl read back as untrusted input when a run resumes. Lines are appended and
// flushed before each checkpoint, so a write cut short (a full disk, a kill, a power cut)
// can only tear the last line: that one is dropped and reported. Lines after the
// checkpoint's step are the interrupted future and are dropped. Anything else, a damaged
// line followed by lines the resumed run keeps, or a step line missing or repeated, is a
// damaged record: refused with the file, the line and what to do.

import { promises as fs } from 'node:fs';

export interface RecordLine {
  /** The line as written (kept byte for byte when the file is rewritten). */
  text: string;
  /** The line parsed: an object with an integer step, its known fields checked (stats.ts's StatsLine). */
  value: { step: number };
}

/** stats.jsonl larger than this is refused: a million steps take about 200 MB. */
const MAX_BYTES = 1024 * 1024 * 1024;

const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
};

/** Why `value` is not a record line, or undefined when it is one. */
function lineProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `it holds ${show(value)}`;
  const line = value as Record<string, unknown>;
  if (!Number.isSafeInteger(line.step) || (line.step as number) < 0) return `its step is ${show(line.step)}`;
  if ('lossD' in line) {
    // Non-finite losses (a diverged step) are written as null.
    for (const key of ['lossD', 'lossG', 'dReal', 'dFake', 'lr', 'seconds']) {
      if (line[key] !== null && typeof line[key] !== 'number') return `its ${key} is ${show(line[key])}`;
    }
  }
  for (const key of ['metrics', 'imageMetrics']) {
    const v = line[key];
    if (key in line && (typeof v !== 'object' || v === null || Array.isArray(v))) return `its ${key} is ${show(v)}`;
  }
  if ('warning' in line && typeof line.warning !== 'string') return `its warning is ${show(line.warning)}`;
  if ('resume' in line) {
    const r = line.resume as Record<string, unknown> | null;
    const scale = r?.lrScale;
    if (typeof r !== 'object' || r === null || !Number.isSafeInteger(r.steps) || (r.steps as number) < 1)
      return `its resume is ${show(r)}`;
    if (scale !== undefined && (typeof scale !== 'number' || !(scale > 0) || !Number.isFinite(scale)))
      return `its resume's lrScale is ${show(scale)}`;
  }
  return undefined;
}

/**
 * The lines of `file` up to and including `step`, with one step line for each step
 * 1..`step`; `repairs` says which damaged lines after them were dropped.
 */
export async function readRecord(file: string, step: number): Promise<{ lines: RecordLine[]; repairs: string[] }> {
  const what =
    `Expected the run record ${file}, one JSON object a line with a line for each step up to ${step} ` +
    "(the checkpoint's)";
  const advice = 'restore it from a copy, or train the run again with --force';
  let bytes: Buffer;
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_BYTES) throw new Error(`it holds ${stat.size} bytes, more than the ${MAX_BYTES} allowed`);
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new Error(`${what}, but could not read it: ${(err as Error).message}; ${advice}`);
  }
  const entries: { n: number; text: string; value?: RecordLine['value']; problem?: string }[] = [];
  let start = 0;
  for (let n = 1; start < bytes.length; n++) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const text = bytes.toString('utf8', start, end);
    start = end + 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      entries.push({ n, text, problem: 'it is not JSON' });
      continue;
    }
    const problem = lineProblem(value);
    entries.push(problem ? { n, text, problem } : { n, text, value: value as RecordLine['value'] });
  }

  const lines: RecordLine[] = [];
  const repairs: string[] = [];
  const keeps = (e: (typeof entries)[number]) => e.value !== undefined && e.value.step <= step;
  let lastKept = -1;
  entries.forEach((e, i) => keeps(e) && (lastKept = i));
  entries.forEach((entry, i) => {
    if (entry.value) {
      if (entry.value.step <= step) lines.push({ text: entry.text, value: entry.value });
      return;
    }
    if (i < lastKept) {
      const kept = entries.slice(i + 1).find(keeps)!;
      throw new Error(
        `${what}, but line ${entry.n} is damaged (${entry.problem}) and line ${kept.n} after it belongs to the ` +
          `run up to step ${step}; repair or delete line ${entry.n}, or ${advice}`,
      );
    }
    const last = i === entries.length - 1;
    repairs.push(
      `dropped line ${entry.n} of ${file} (${entry.problem}): ` +
        (last ? 'a write cut short by a full disk or an interruption' : 'a damaged line after the checkpoint'),
    );
  });

  let expected = 1;
  for (const [i, { value }] of lines.entries()) {
    if (!('lossD' in value)) continue;
    if (value.step !== expected) {
      const at = entries.find((e) => e.value === value)?.n ?? i + 1;
      const why = value.step < expected ? `repeats step ${value.step}` : `skips step ${expected}`;
      throw new Error(`${what}, but line ${at} ${why}; the record is damaged: ${advice}`);
    }
    expected++;
  }
  if (expected !== step + 1) {
    throw new Error(`${what}, but its step lines end at step ${expected - 1}; the record is damaged: ${advice}`);
  }
  return { lines, repairs };
}
