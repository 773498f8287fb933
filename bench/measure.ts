// What bench/main.ts and bench/baseline.ts share: a row of the table, and one
// measurement run in a process of its own (`main.js --child`), which prints it as the
// last JSON line of its output.
import { spawnSync } from 'node:child_process';

export interface Row {
  workload: string;
  backend: string;
  /** The batch timed (a software adapter's may be smaller than the one asked for: see the note). */
  batch?: number;
  stepMs: number | null;
  ratioToTorch?: number | null;
  peakRssMB?: number;
  /** Native backend only: its caches, scratch and buffer pool after the timed steps (MiB). */
  nativeMB?: number;
  nativeCacheEntries?: number;
  threads?: number;
  /** webgpu only: the adapter, and whether it is a software one. */
  adapter?: string;
  software?: boolean;
  skipped?: string;
  note?: string;
}

export function lastJson(out: string): Record<string, unknown> | undefined {
  const line = out
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  return line ? JSON.parse(line) : undefined;
}

/** Runs `node <mainScript> --child workload backend ...options` and returns its row (or why it failed). */
export function measureChild(mainScript: string, workload: string, backend: string, options: string[]): Row {
  const r = spawnSync(process.execPath, [mainScript, '--child', workload, backend, ...options], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, GANKIT_BACKEND: backend },
  });
  const o = lastJson(r.stdout ?? '') as Row | undefined;
  return (
    o ?? {
      workload,
      backend,
      stepMs: null,
      skipped: `failed: ${`${r.stderr ?? ''}`.trim().split('\n').slice(-1)[0] || `exit ${r.status ?? r.signal}`}`,
    }
  );
}
