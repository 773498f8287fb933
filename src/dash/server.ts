// The dashboard's HTTP server (docs/dashboard.md §2): node:http, no framework. Every
// request passes the Host check and the token check first (auth.ts), then goes to the
// page files (pages.ts), a run's files (files.ts; spectrally normalised models folded for
// the playground by generator-files.ts), the run API (runs.ts, events.ts), the GIF
// (gif.ts) or steering (steer.ts). Paths are read from the raw request line, not
// normalised first, so `/files/run/../x` is refused, not quietly turned into `/x`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { authorised, hostAllowed, newToken, tokenCookie, tokenMatches } from './auth.js';
import { contentType, insideFolder, sendFile } from './files.js';
import { streamEvents } from './events.js';
import { foldedModel, modelJsonOf, sendFolded } from './generator-files.js';
import { GIF_MAX_RUNS, makeGif } from './gif.js';
import { appFile, defaultPageFolders, pageWithToken, vendorFiles, type PageFolders } from './pages.js';
import { RunReader } from './runs.js';
import { SteerError, Steering } from './steer.js';

export interface DashOptions {
  /** The runs folder (must exist). */
  runsDir: string;
  host?: string;
  /** 0: any free port. */
  port?: number;
  /** Accept any Host header (needed when reached by another name than a loopback one). */
  allowRemote?: boolean;
  /** Where the pages come from (tests point this at their own). */
  pages?: PageFolders;
  /** The token (tests); default a random one. */
  token?: string;
}

export interface DashServer {
  url: string;
  port: number;
  token: string;
  runsDir: string;
  /** Stops listening and ends every open stream. */
  close(): Promise<void>;
}

// 'wasm-unsafe-eval' lets the playground compile TensorFlow.js's WebAssembly backend (served
// from /vendor/tfjs/, 2× faster than plain JavaScript); it allows no eval of JavaScript.
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob: data:",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
const MAX_BODY = 16 * 1024;

type Handler = (request: IncomingMessage, response: ServerResponse, query: URLSearchParams) => Promise<void>;

/** Starts serving; rejects with Node's error (EADDRINUSE, EACCES, …) when it cannot listen. */
export async function startDashServer(options: DashOptions): Promise<DashServer> {
  const runsDir = path.resolve(options.runsDir);
  const token = options.token ?? newToken();
  const pages = options.pages ?? defaultPageFolders();
  const vendor = await vendorFiles();
  let steering: Steering | undefined;
  const runs = new RunReader(runsDir, () => steering?.children ?? new Map());
  steering = new Steering(runsDir, runs);
  const steer = steering;

  /** The run named by ?run=, or a 404 answer sent (and undefined). */
  const runOf = async (query: URLSearchParams, response: ServerResponse) => {
    const name = query.get('run') ?? '';
    const folder = await runs.folder(name);
    if (!folder) sendJson(response, 404, { error: `Expected ?run= to name a run of /api/runs but received "${name}"` });
    return folder && { name, folder };
  };

  const get: Record<string, Handler> = {
    '/api/runs': async (_req, res) => sendJson(res, 200, { runsDir, runs: await runs.list() }),
    '/api/run': async (_req, res, query) => {
      const run = await runOf(query, res);
      if (run) sendJson(res, 200, await runs.detail(run.name));
    },
    '/api/events': async (req, res, query) => {
      const run = await runOf(query, res);
      if (!run) return;
      const given = req.headers['last-event-id'] ?? query.get('offset') ?? '0';
      const offset = Number(given);
      await streamEvents(res, { runs, ...run, offset: Number.isSafeInteger(offset) && offset >= 0 ? offset : 0 });
    },
    '/api/gif': async (_req, res, query) => {
      const names = query.getAll('run');
      if (names.length === 0 || names.length > GIF_MAX_RUNS)
        return sendJson(res, 400, {
          error: `Expected 1 to ${GIF_MAX_RUNS} runs (?run=A&run=B) but received ${names.length}`,
        });
      const chosen: { name: string; folder: string }[] = [];
      for (const name of names) {
        const folder = await runs.folder(name);
        if (!folder) return sendJson(res, 404, { error: `Expected runs of /api/runs but "${name}" is none` });
        chosen.push({ name, folder });
      }
      const step = (key: string) => {
        const text = query.get(key);
        return text === null ? undefined : Number(text);
      };
      const [from, to] = [step('from'), step('to')];
      if ([from, to].some((s) => s !== undefined && !Number.isSafeInteger(s)))
        return sendJson(res, 400, { error: `Expected from and to to be steps (whole numbers)` });
      try {
        const { gif, frames } = await makeGif({ runs: chosen, kind: query.get('kind') ?? 'samples', from, to });
        res.writeHead(200, {
          'Content-Type': 'image/gif',
          'Content-Length': gif.length,
          'Content-Disposition': `inline; filename="gankit-${query.get('kind') ?? 'samples'}.gif"`,
          'X-Gankit-Frames': frames.join(','),
        });
        res.end(gif);
      } catch (err) {
        if (err instanceof RangeError) return sendJson(res, 404, { error: err.message });
        throw err;
      }
    },
  };

  const post: Record<string, Handler> = {
    '/api/train': async (req, res) => sendJson(res, 200, await steer.train(await readJsonBody(req))),
    '/api/pause': async (_req, res, query) => sendJson(res, 200, await steer.signal(query.get('run') ?? '', 'SIGINT')),
    '/api/resume': async (_req, res, query) => sendJson(res, 200, await steer.resume(query.get('run') ?? '')),
    '/api/checkpoint': async (_req, res, query) =>
      sendJson(res, 200, await steer.signal(query.get('run') ?? '', 'SIGUSR2')),
  };

  /** Pages, scripts, the vendored libraries and runs' files: GET paths outside /api/. */
  const serveFile = async (urlPath: string, res: ServerResponse, token: string) => {
    const vendored = vendor.get(urlPath);
    if (vendored) return sendFile(res, vendored, true);
    if (urlPath.startsWith('/files/')) {
      const relative = decodeSegments(urlPath.slice('/files/'.length));
      const file = relative !== undefined && (await insideFolder(runsDir, relative));
      if (!file) return sendJson(res, 404, { error: 'Expected a file inside the runs folder' });
      // A model with spectral layers goes to the playground folded (generator-files.ts).
      const jsonRelative = modelJsonOf(relative);
      const jsonFile = jsonRelative === relative ? file : jsonRelative && (await insideFolder(runsDir, jsonRelative));
      const folded = jsonFile ? await foldedModel(jsonFile) : undefined;
      if (folded) return sendFolded(res, folded, jsonRelative === relative ? 'model.json' : 'weights');
      return sendFile(res, file);
    }
    const app = appFile(pages, urlPath);
    if (app?.endsWith('.html')) {
      const html = await pageWithToken(app, token);
      if (html === undefined) return sendJson(res, 404, { error: `Expected the page ${app} but it is missing` });
      res.writeHead(200, { 'Content-Type': contentType(app), 'Cache-Control': 'no-store' });
      return void res.end(html);
    }
    const stat = app ? await fs.stat(app).catch(() => undefined) : undefined;
    if (app && stat?.isFile()) return sendFile(res, app);
    sendJson(res, 404, { error: `Expected a page, a file or an API path but received ${urlPath}` });
  };

  let port = options.port ?? 0;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (!options.allowRemote && !hostAllowed(req.headers.host, port, options.host))
      return sendJson(res, 403, {
        error: `Expected the Host 127.0.0.1:${port} or localhost:${port} but received "${req.headers.host ?? ''}"`,
      });
    const raw = req.url ?? '/';
    const at = raw.indexOf('?');
    const urlPath = at < 0 ? raw : raw.slice(0, at);
    const query = new URLSearchParams(at < 0 ? '' : raw.slice(at + 1));
    if (req.method === 'GET' && urlPath === '/' && query.has('token')) {
      if (!tokenMatches(query.get('token')!, token))
        return sendJson(res, 401, { error: 'Expected the token gankit dash printed but received another one' });
      res.writeHead(302, { 'Set-Cookie': tokenCookie(token), Location: '/' });
      return void res.end();
    }
    if (!authorised(req, token))
      return sendJson(res, 401, {
        error:
          req.method === 'POST'
            ? 'Expected the header Authorization: Bearer TOKEN (a cookie alone cannot change anything)'
            : 'Expected the token: open the address gankit dash printed, or send Authorization: Bearer TOKEN',
      });
    const routes = req.method === 'GET' ? get : req.method === 'POST' ? post : undefined;
    if (!routes)
      return sendJson(res, 405, { error: `Expected GET or POST but received ${req.method}` }, { Allow: 'GET, POST' });
    const route = Object.hasOwn(routes, urlPath) ? routes[urlPath] : undefined;
    if (route) return route(req, res, query);
    if (req.method === 'GET') return serveFile(urlPath, res, token);
    sendJson(res, 404, { error: `Expected one of POST ${Object.keys(post).join(', ')} but received ${urlPath}` });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof SteerError) return sendJson(res, err.status, { error: err.message });
      if (res.headersSent) return void res.destroy();
      sendJson(res, 500, { error: `The dashboard failed: ${(err as Error).message}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  // The address bound, as a browser takes it; a wildcard one (0.0.0.0, ::) is reached here by 127.0.0.1.
  const bound = (server.address() as AddressInfo).address;
  const shown = bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound.includes(':') ? `[${bound}]` : bound;
  return {
    url: `http://${shown}:${port}/?token=${token}`,
    port,
    token,
    runsDir,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

/** URL-decoded '/'-separated segments, or undefined when one cannot be decoded. */
function decodeSegments(encoded: string): string | undefined {
  try {
    return encoded
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/');
  } catch {
    return undefined;
  }
}

/** The request's body as JSON (at most 16 kB), or a SteerError(400) saying what was wrong. */
async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new SteerError(400, `Expected a JSON body of at most ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new SteerError(400, 'Expected a JSON body such as {"name": "ring8-a", "data": "ring8"} but it is not JSON');
  }
}
