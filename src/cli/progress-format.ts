// The text of a progress line, from the state the main thread last posted and the
// clock now: the live line's worker (live-line-worker.ts) calls this every tick, so
// the elapsed time, the ETA and "step running 12s" move on while the main thread is
// busy with one long step. Pure, so tests can render any moment.

/** What the main thread posts about the work in progress. */
export interface LineState {
  /** What is being done, e.g. "epoch 2/5 · step" or "fid10k: features of G's samples". */
  label: string;
  /** Units done and in all; total 0 is work of unknown length (a phase): only its time is shown. */
  done: number;
  total: number;
  /** Shown after the bar, e.g. "loss D 1.234 G 0.789 · D(x) 0.61 D(G(z)) 0.38". */
  detail?: string;
  /** What one unit of `done` is ("step", "batch"), for "step 12 running 5s"; empty: not said. */
  doneUnit: string;
  /** The rate's unit ("steps", "images", "samples") and how many of them one unit of `done` is. */
  rateUnit: string;
  rateScale: number;
  /** Date.now() when this work began and `done` then (a resumed run starts past 0). */
  startedAt: number;
  startDone: number;
  /** Date.now() of this post. */
  updatedAt: number;
}

const BAR_WIDTH = 16;
/** After this long without a post, the line says how long the current unit has been running. */
const STALL_MS = 1500;

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function bar(done: number, total: number): string {
  const filled = Math.round((BAR_WIDTH * Math.min(done, total)) / total);
  return '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
}

/** A rate people read: 3 digits at most, at least one significant digit ("0.42 steps/s"). */
function formatRate(perSecond: number): string {
  if (perSecond >= 100) return perSecond.toFixed(0);
  if (perSecond >= 10) return perSecond.toFixed(1);
  return perSecond.toPrecision(2);
}

/**
 * The line at time `now`: label, count and bar, ETA, how long the current unit has
 * been running (once that is over 1.5 s), rate, then the detail — the most useful first,
 * since a narrow terminal cuts the end. `withBar` false gives the plain form for logs.
 */
export function renderLine(s: LineState, now: number, withBar = true): string {
  const sinceStart = (now - s.startedAt) / 1000;
  if (s.total <= 0) return `${s.label} … ${formatDuration(sinceStart)}`;
  const parts = [`${s.label} ${s.done}/${s.total}${withBar ? ' ' + bar(s.done, s.total) : ''}`];
  const doneHere = s.done - s.startDone;
  const measured = (s.updatedAt - s.startedAt) / 1000;
  const stalled = now - s.updatedAt;
  const perSecond = doneHere > 0 && measured > 0 ? doneHere / measured : undefined;
  if (perSecond !== undefined) {
    // The ETA counts down while a unit runs.
    const remaining = (s.total - s.done) / perSecond - (s.done < s.total ? stalled / 1000 : 0);
    parts.push(`ETA ${formatDuration(Math.max(remaining, 0))}`);
  } else parts.push(`elapsed ${formatDuration(sinceStart)}`);
  if (s.doneUnit && s.done < s.total && stalled > STALL_MS)
    parts.push(`${s.doneUnit} ${s.done + 1} running ${formatDuration(stalled / 1000)}`);
  if (perSecond !== undefined) parts.push(`${formatRate(perSecond * s.rateScale)} ${s.rateUnit}/s`);
  if (s.detail) parts.push(s.detail);
  return parts.join(' · ');
}

/** Cuts a line to the terminal's width (a wrapped line would break the redraw). */
export function fitWidth(line: string, columns: number): string {
  const chars = [...line];
  return chars.length < columns ? line : chars.slice(0, Math.max(columns - 2, 1)).join('') + '…';
}
