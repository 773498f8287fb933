// Reading a run directory's stats.jsonl in tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Every line of RUN/stats.jsonl, parsed. */
export function statsLines(dir: string): Record<string, unknown>[] {
  return readFileSync(path.join(dir, 'stats.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

/** The per-step lines' losses and D outputs: what must match between two runs that should be the same. */
export function stepLines(dir: string): { step: number; lossD: number; lossG: number; dReal: number; dFake: number }[] {
  return statsLines(dir)
    .filter((l) => 'lossD' in l)
    .map(
      (l) =>
        ({ step: l.step, lossD: l.lossD, lossG: l.lossG, dReal: l.dReal, dFake: l.dFake }) as {
          step: number;
          lossD: number;
          lossG: number;
          dReal: number;
          dFake: number;
        },
    );
}
