// The dashboard tests' tools: a real `gankit dash` process (dist/src/cli/main.js), raw
// HTTP requests to it on 127.0.0.1 (node:http, the path sent as written, never
// normalised), and a Server-Sent Events reader written here from the format's rules.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');

export interface Dash {
  child: ChildProcess;
  url: string;
  port: number;
  token: string;
  /** Milliseconds from spawn to the printed line. */
  startMs: number;
  output: () => string;
  /** SIGINT, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `gankit dash --runs DIR --port 0 ARGS` and waits for its address line. */
export async function startDash(runsDir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Dash> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, 'dash', '--runs', runsDir, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address line within 10 s; output: ${output}`)), 10_000);
    const look = () => {
      const match = /^gankit dash: (\S+)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', look);
    void exited.then((code) => reject(new Error(`gankit dash exited ${code} before its address: ${output}`)));
  });
  const startMs = Date.now() - started;
  const url = new URL(line);
  return {
    child,
    url: line,
    port: Number(url.port),
    token: url.searchParams.get('token')!,
    startMs,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: () => any;
}

/** One request; `path` goes on the wire exactly as given. */
export function request(
  port: number,
  requestPath: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: requestPath, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({ status: res.statusCode!, headers: res.headers, body, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** An open event stream: events as they arrive, parsed by the SSE rules (fields, blank line ends one). */
export class EventReader {
  private events: SseEvent[] = [];
  private waiting?: () => void;
  private buffer = '';
  private req: http.ClientRequest;
  status?: number;
  comments: string[] = [];

  constructor(port: number, requestPath: string, headers: Record<string, string>) {
    this.req = http.get({ host: '127.0.0.1', port, path: requestPath, headers }, (res) => {
      this.status = res.statusCode;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.take(chunk));
    });
    this.req.on('error', () => undefined); // closed by us
  }

  private take(chunk: string) {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: SseEvent = { event: 'message', data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
        else if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('id: ')) event.id = line.slice(4);
      }
      if (data.length === 0 && event.id === undefined && event.event === 'message') continue;
      event.data = data.join('\n');
      this.events.push(event);
    }
    this.waiting?.();
  }

  /** The next event of a kind (others of `skip` kinds are passed over), or an error after `ms`. */
  async next(kind: string, ms = 5000, skip: string[] = ['live', 'run']): Promise<SseEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      while (this.events.length) {
        const e = this.events.shift()!;
        if (e.event === kind) return e;
        if (!skip.includes(e.event)) throw new Error(`expected a ${kind} event but received ${JSON.stringify(e)}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${kind} event within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Events of interesting kinds that arrived within `ms` (to check that nothing more came). */
  async drain(ms: number, kinds = ['lines', 'reset']): Promise<SseEvent[]> {
    await new Promise((r) => setTimeout(r, ms));
    const got = this.events.filter((e) => kinds.includes(e.event));
    this.events = this.events.filter((e) => !kinds.includes(e.event));
    return got;
  }

  close() {
    this.req.destroy();
  }
}
