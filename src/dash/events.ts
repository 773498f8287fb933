// A run's live stream (GET /api/events, docs/dashboard.md §2 Events): stats.jsonl's
// lines by byte offset, live.json when it changes, the run's summary when its state
// changes. Polling (a stat every 250 ms) rather than fs.watch: it behaves the same on
// every file system, network and container mounts included, and 20 open streams cost
// 80 stats a second. Each message's id is the offset after its lines, so a browser that
// reconnects (it sends Last-Event-ID) gets exactly the lines it lacks.
import { promises as fs, type Stats } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import type { RunReader, RunSummary } from './runs.js';

const POLL_MS = 250;
const PING_MS = 15_000;
/** Lines go in messages of at most about this many bytes. */
const MESSAGE_BYTES = 256 * 1024;
/** The run's summary is compared this often (every 4th poll): it costs a few stats and reads. */
const SUMMARY_EVERY = 4;

export interface EventStreamOptions {
  runs: RunReader;
  name: string;
  folder: string;
  /** The offset the client has (Last-Event-ID or ?offset=); 0 for everything. */
  offset: number;
  pollMs?: number;
}

/** Sends events until the client goes; resolves then. */
export async function streamEvents(response: ServerResponse, options: EventStreamOptions): Promise<void> {
  const { runs, name, folder } = options;
  const statsFile = path.join(folder, 'stats.jsonl');
  const liveFile = path.join(folder, 'live.json');
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  response.flushHeaders();

  let closed = false;
  response.on('close', () => (closed = true));
  /** Writes and waits while the socket's buffer is full, so a slow client does not grow our memory. */
  const send = async (text: string) => {
    if (closed) return;
    if (!response.write(text)) await new Promise<void>((r) => response.once('drain', r).once('close', r));
  };
  const message = (event: string, data: string, id?: number) =>
    (id !== undefined ? `id: ${id}\n` : '') +
    `event: ${event}\n` +
    data
      .split('\n')
      .map((line) => `data: ${line}\n`)
      .join('') +
    '\n';

  let offset = await startOffset(statsFile, options.offset);
  if (offset !== options.offset) await send(message('reset', '', 0));
  let statsIdentity: number | undefined;
  let liveMtime: number | undefined;
  let summaryKey: string | undefined;
  let lastWrite = Date.now();
  const ping = setInterval(() => {
    if (Date.now() - lastWrite >= PING_MS - 50) void send(': ping\n\n');
  }, PING_MS);

  const sendLines = async (stat: Stats) => {
    if (statsIdentity !== undefined && stat.ino !== statsIdentity && offset > 0) {
      // Replaced (a resumed or rolled-back run rewrites it atomically): what the client has may differ.
      offset = 0;
      await send(message('reset', '', 0));
    }
    statsIdentity = stat.ino;
    if (stat.size < offset) {
      offset = 0;
      await send(message('reset', '', 0));
    }
    if (stat.size <= offset) return;
    const handle = await fs.open(statsFile, 'r');
    try {
      while (!closed && offset < stat.size) {
        const lines = await completeLines(handle, offset, stat.size);
        if (lines.length === 0) return; // a torn last line: held back until its newline comes
        offset += lines.length;
        lastWrite = Date.now();
        await send(message('lines', lines.toString('utf8').replace(/\n$/, ''), offset));
      }
    } finally {
      await handle.close();
    }
  };

  const sendLive = async () => {
    const stat = await fs.stat(liveFile).catch(() => undefined);
    if (!stat || stat.mtimeMs === liveMtime) return;
    const text = await fs.readFile(liveFile, 'utf8').catch(() => undefined);
    if (text === undefined) return; // replaced between the stat and the read: next poll
    liveMtime = stat.mtimeMs;
    lastWrite = Date.now();
    await send(message('live', text.replace(/\n$/, '')));
  };

  const sendSummary = async () => {
    const summary = await runs.summary(name);
    if (!summary) return;
    const snapshots = await fs.stat(path.join(folder, 'snapshots')).catch(() => undefined);
    const metrics = await fs.stat(path.join(folder, 'metrics.json')).catch(() => undefined);
    const key = `${summary.status}|${metrics?.mtimeMs}|${snapshots?.mtimeMs}`;
    if (key === summaryKey) return;
    summaryKey = key;
    lastWrite = Date.now();
    await send(message('run', JSON.stringify(summary satisfies RunSummary)));
  };

  try {
    for (let poll = 0; !closed; poll++) {
      const stat = await fs.stat(statsFile).catch(() => undefined);
      if (stat) await sendLines(stat);
      await sendLive();
      if (poll % SUMMARY_EVERY === 0) await sendSummary();
      await new Promise((r) => setTimeout(r, options.pollMs ?? POLL_MS));
    }
  } catch (err) {
    if (!closed) response.destroy(err as Error);
  } finally {
    clearInterval(ping);
  }
}

/**
 * The offset to continue from: the client's, when it ends a line of the file; else 0
 * (the file was rewritten shorter, or the offset is not one we sent), and the caller
 * sends a reset.
 */
async function startOffset(file: string, offset: number): Promise<number> {
  if (offset === 0) return 0;
  const handle = await fs.open(file, 'r').catch(() => undefined);
  if (!handle) return 0;
  try {
    const byte = Buffer.alloc(1);
    const { bytesRead } = await handle.read(byte, 0, 1, offset - 1);
    return bytesRead === 1 && byte[0] === 0x0a ? offset : 0;
  } finally {
    await handle.close();
  }
}

/** The complete lines from `offset`, up to ~MESSAGE_BYTES (more only when a single line is longer). */
async function completeLines(handle: fs.FileHandle, offset: number, size: number): Promise<Buffer> {
  for (let want = MESSAGE_BYTES; ; want *= 2) {
    const length = Math.min(want, size - offset);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    const end = buffer.lastIndexOf(0x0a, bytesRead - 1);
    if (end >= 0) return buffer.subarray(0, end + 1);
    if (length === size - offset) return Buffer.alloc(0);
  }
}
