// The live line's drawing thread (see live-line.ts). It owns the progress line: it
// redraws it four times a second on a terminal, or prints a plain line at a steady
// rate otherwise, from the last state the main thread posted. Because it runs on its
// own thread it keeps drawing while the main thread is inside one long step.
import { writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { fitWidth, renderLine, type LineState } from './progress-format.js';

export type LineMessage =
  | {
      type: 'config';
      fd: 1 | 2;
      interactive: boolean;
      columns: number;
      everyMs: number;
      showAfterMs: number;
      createdAt: number;
      done: Int32Array;
    }
  | { type: 'state'; work: number; state: LineState }
  | { type: 'columns'; columns: number }
  | { type: 'logged' }
  | { type: 'clear' }
  | { type: 'stop' };

const REDRAW_MS = 250;
/** Plain lines: a phase shorter than this prints nothing. */
const PHASE_MS = 2000;
const CLEAR_LINE = '\r\x1b[K';

let config: Extract<LineMessage, { type: 'config' }> | undefined;
let state: LineState | undefined;
/** Which piece of work the state belongs to (live-line.ts numbers them). */
let work = -1;
/** Whether the line is on the screen now (a terminal), and what was last printed (plain lines). */
let drawn = false;
let lastPrinted = '';
let lastPrintedAt = 0;

/** One write per line: a write to a terminal or a pipe this small is not split, so lines never interleave. */
function write(text: string): void {
  try {
    writeSync(config?.fd ?? 1, text);
  } catch {
    // A full pipe (EAGAIN) or a closed one: skip this frame; the next one says the same.
  }
}

// Shown once the line has existed showAfterMs (its work may be in its second stage by then).
const visible = (now: number) => state !== undefined && now - config!.createdAt >= config!.showAfterMs;

function tick(final = false): void {
  if (!config || !state) return;
  const now = Date.now();
  if (!final && !visible(now)) return;
  if (config.interactive) {
    write(CLEAR_LINE + fitWidth(renderLine(state, now), config.columns));
    drawn = true;
    return;
  }
  // Work of unknown length (opening data, preparing) is worth a line only once it takes a while.
  const phase = state.total <= 0;
  if (phase && (final ? lastPrinted === '' : now - state.startedAt < Math.min(config.everyMs, PHASE_MS))) return;
  const line = renderLine(state, now, false);
  if (final || now - lastPrintedAt >= config.everyMs) {
    if (line === lastPrinted) return;
    write(line + '\n');
    lastPrinted = line;
    lastPrintedAt = now;
  }
}

/** Ends the line: the last state stays on the screen (a terminal) or is printed once more if it changed. */
function finish(): void {
  if (config?.interactive) {
    // A finished phase leaves no trace; finished counted work keeps its last line.
    if (!drawn || !state) return;
    if (state.total <= 0) write(CLEAR_LINE);
    else write(CLEAR_LINE + fitWidth(renderLine(state, Date.now()), config.columns) + '\n');
  } else if (state && visible(Date.now())) tick(true);
}

const timer = setInterval(() => tick(), REDRAW_MS);
parentPort!.on('message', (message: LineMessage) => {
  switch (message.type) {
    case 'config':
      config = message;
      break;
    case 'state': {
      const first = message.work !== work;
      if (first && state) {
        finish(); // a new piece of work: the old one's last line stays
        drawn = false;
        lastPrinted = '';
        lastPrintedAt = 0;
      }
      work = message.work;
      state = message.state;
      if (config?.interactive && first) tick();
      break;
    }
    case 'columns':
      if (config) config.columns = message.columns;
      break;
    case 'logged': // the main thread printed a message over the line: put the line back under it
      if (config?.interactive && drawn) tick();
      break;
    case 'clear':
      finish();
      state = undefined;
      drawn = false;
      lastPrinted = '';
      break;
    case 'stop':
      finish();
      clearInterval(timer);
      Atomics.store(config!.done, 0, 1);
      Atomics.notify(config!.done, 0);
      parentPort!.close();
      break;
  }
});
