// What the comparison page computes from the runs' files, as pure functions so tests
// can check them against hand-made inputs: the curves of several runs on one step axis,
// and the options that differ between runs.
import type { StatsLine } from './common.js';

/** One chart: its title and, per run, a value at each step of `steps` (null where that run has none). */
export interface Chart {
  key: string;
  title: string;
  steps: number[];
  values: (number | null)[][];
}

/** The per-step curves every run has, in the order the main page shows them. */
const STEP_CURVES: [keyof StepValues, string][] = [
  ['lossD', 'D loss'],
  ['lossG', 'G loss'],
  ['dReal', 'D(x)'],
  ['dFake', 'D(G(z))'],
  ['lr', 'learning rate'],
];
type StepValues = {
  lossD: number | null;
  lossG: number | null;
  dReal: number | null;
  dFake: number | null;
  lr: number | null;
};

/** The lines of a stats.jsonl text; a torn last line (a run still writing) and damaged lines are left out. */
export function parseStats(text: string): StatsLine[] {
  const lines: StatsLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as StatsLine;
      if (typeof value?.step === 'number') lines.push(value);
    } catch {
      // a half-written last line: it will be complete on the next load
    }
  }
  return lines;
}

/**
 * Charts of every curve any run has: the step curves, then each numeric metric (toy
 * metrics, image metrics such as fid10k). A key that names a constant of the data
 * (totalModes) is left out: it compares nothing.
 */
export function chartsOf(runs: StatsLine[][]): Chart[] {
  const series = new Map<string, { title: string; points: Map<number, number>[] }>();
  const add = (key: string, title: string, run: number, step: number, value: unknown) => {
    if (typeof value !== 'number') return;
    if (!series.has(key)) series.set(key, { title, points: runs.map(() => new Map()) });
    series.get(key)!.points[run].set(step, value);
  };
  runs.forEach((lines, run) => {
    for (const line of lines) {
      if ('lossD' in line) for (const [key, title] of STEP_CURVES) add(key, title, run, line.step, line[key]);
      const metrics = 'metrics' in line ? line.metrics : 'imageMetrics' in line ? line.imageMetrics : undefined;
      for (const [key, value] of Object.entries(metrics ?? {}))
        if (!key.startsWith('total')) add(`metric:${key}`, key, run, line.step, value);
    }
  });
  const order = [
    ...STEP_CURVES.map(([key]) => key as string),
    ...[...series.keys()].filter((k) => k.startsWith('metric:')).sort(),
  ];
  return order
    .filter((key) => series.has(key))
    .map((key) => {
      const { title, points } = series.get(key)!;
      const steps = [...new Set(points.flatMap((p) => [...p.keys()]))].sort((a, b) => a - b);
      return { key, title, steps, values: points.map((p) => steps.map((s) => p.get(s) ?? null)) };
    });
}

/**
 * The options whose values differ between the runs (an option a run lacks counts as
 * differing), each with every run's value; `out` is left out, as every run has its own.
 */
export function differingOptions(options: Record<string, unknown>[]): { key: string; values: unknown[] }[] {
  const keys = [...new Set(options.flatMap((o) => Object.keys(o)))].filter((k) => k !== 'out').sort();
  return keys
    .map((key) => ({ key, values: options.map((o) => o[key]) }))
    .filter(({ values }) => new Set(values.map((v) => JSON.stringify(v) ?? 'undefined')).size > 1);
}
