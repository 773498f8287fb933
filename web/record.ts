// A run's record (stats.jsonl) as the page holds it: columns of numbers per step for the
// curves, evaluation rows for the metrics, and the marks (warnings, rollbacks, resumes).
// Lines arrive in chunks from the event stream and are parsed as they come, so a long
// run is never held as text.
import type { StatsLine } from './common.js';

export const STEP_COLUMNS = ['lossD', 'lossG', 'dReal', 'dFake', 'lr', 'aux'] as const;
export type StepColumn = (typeof STEP_COLUMNS)[number];

export interface Mark {
  step: number;
  kind: 'warning' | 'rollback' | 'resume';
  text: string;
}

export class RunRecord {
  /** The steps of the step lines, ascending. */
  readonly steps: number[] = [];
  readonly columns: Record<StepColumn, (number | null)[]> = {
    lossD: [],
    lossG: [],
    dReal: [],
    dFake: [],
    lr: [],
    aux: [],
  };
  hasAux = false;
  /** The steps of evaluation lines (metrics, imageMetrics), ascending; one row per step. */
  readonly evalSteps: number[] = [];
  /** Each metric's values aligned with evalSteps (null where a row lacks it); nested ones as "untruncated.modes". */
  readonly evals = new Map<string, (number | null)[]>();
  readonly marks: Mark[] = [];
  /** The highest step of any line so far. */
  lastStep = 0;
  /** Lines that were not JSON objects with a step: skipped, counted, never fatal. */
  badLines = 0;
  lineCount = 0;

  /** Adds the complete lines of `text` (newline-separated); returns how many were read. */
  add(text: string): number {
    let read = 0;
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      let line: StatsLine;
      try {
        line = JSON.parse(raw);
      } catch {
        this.badLines++;
        continue;
      }
      if (typeof line !== 'object' || line === null || typeof line.step !== 'number') {
        this.badLines++;
        continue;
      }
      this.addLine(line);
      read++;
    }
    this.lineCount += read;
    return read;
  }

  private addLine(line: StatsLine): void {
    const step = line.step;
    if ('lossD' in line) {
      // Steps only go back through a rewrite, which the server announces with a reset;
      // should one arrive anyway, the newer history replaces the older from that step on.
      if (this.steps.length > 0 && step <= this.steps[this.steps.length - 1]) this.truncateSteps(step);
      this.steps.push(step);
      for (const name of STEP_COLUMNS) {
        const v = (line as Record<string, unknown>)[name];
        this.columns[name].push(typeof v === 'number' ? v : null);
      }
      if (line.aux !== undefined) this.hasAux = true;
    } else if ('metrics' in line) {
      this.addEvaluation(step, flatten(line.metrics));
    } else if ('imageMetrics' in line) {
      this.addEvaluation(step, flatten(line.imageMetrics));
    } else if ('warning' in line) {
      this.marks.push({ step, kind: 'warning', text: String(line.warning) });
    } else if ('rollback' in line) {
      const r = line.rollback;
      this.marks.push({
        step,
        kind: 'rollback',
        text: `rolled back from step ${r.at}: ${r.reason} (lr ×${r.lrScale})`,
      });
    } else if ('resume' in line) {
      this.marks.push({ step, kind: 'resume', text: `resumed for ${line.resume.steps} steps` });
    }
    if (step > this.lastStep) this.lastStep = step;
  }

  private truncateSteps(step: number): void {
    const keep = lowerBound(this.steps, step);
    this.steps.length = keep;
    for (const name of STEP_COLUMNS) this.columns[name].length = keep;
  }

  private addEvaluation(step: number, values: Map<string, number | null>): void {
    const n = this.evalSteps.length;
    let row = n - 1;
    if (n === 0 || this.evalSteps[n - 1] !== step) {
      if (n > 0 && step < this.evalSteps[n - 1]) {
        const keep = lowerBound(this.evalSteps, step);
        this.evalSteps.length = keep;
        for (const column of this.evals.values()) column.length = keep;
      }
      this.evalSteps.push(step);
      for (const column of this.evals.values()) column.push(null);
      row = this.evalSteps.length - 1;
    }
    for (const [name, value] of values) {
      let column = this.evals.get(name);
      if (!column) {
        column = new Array<number | null>(this.evalSteps.length).fill(null);
        this.evals.set(name, column);
      }
      column[row] = value;
    }
  }
}

/** Numbers of an evaluation, one level of nesting kept as "outer.inner". */
function flatten(values: Record<string, unknown>): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const [key, value] of Object.entries(values ?? {})) {
    if (typeof value === 'number' || value === null) out.set(key, value);
    else if (typeof value === 'object')
      for (const [inner, v] of Object.entries(value as Record<string, unknown>))
        if (typeof v === 'number') out.set(`${key}.${inner}`, v);
  }
  return out;
}

/** The first index whose value is ≥ x in an ascending array. */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
