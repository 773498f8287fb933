// What the dashboard page's tests run against (with the real `gankit dash` process of
// dash-process.ts): a Chromium that may reach nothing but 127.0.0.1, and run folders written byte by byte by the test
// (stats.jsonl lines with values from a formula, live.json frames, snapshot PNGs of one
// colour each), so every number the page shows can be checked against its source.
import { mkdirSync, mkdtempSync, writeFileSync, renameSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const tempRuns = () => mkdtempSync(path.join(tmpdir(), 'gankit-page-'));

/**
 * Chromium with every request not to one of `origins` aborted and recorded in `outside`,
 * every page error and console error recorded in `errors`.
 */
export async function openBrowser(...origins: string[]) {
  // No name resolves but 127.0.0.1, so nothing could reach the network even past the route below.
  const args = ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args });
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const outside: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (origins.some((origin) => url.startsWith(origin + '/'))) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const watch = (page: Page) => {
    page.on('pageerror', (err) => errors.push(`${page.url()}: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${page.url()}: console: ${m.text()}`);
    });
    return page;
  };
  return { browser, context, outside, errors, newPage: async () => watch(await context.newPage()) };
}

/** The known values of step line `step`: smooth shapes plus a deterministic wiggle, distinct at every step. */
export function stepValues(step: number) {
  return {
    lossD: 1.2 + 0.3 * Math.sin(step / 17) + 0.05 * Math.sin(step * 1.3),
    lossG: 0.8 + 0.2 * Math.cos(step / 23) + 0.07 * Math.sin(step * 0.7),
    dReal: 0.6 + 0.1 * Math.sin(step / 31),
    dFake: 0.4 + 0.1 * Math.cos(step / 29),
    lr: 0.001 * (1 - step / 40_000),
  };
}

export const stepLine = (step: number) => JSON.stringify({ step, ...stepValues(step), seconds: step * 0.01 });

/** stats.jsonl's text for steps 1..n, an evaluation line every `evalEvery` steps, warnings at the given steps. */
export function statsText(n: number, o: { evalEvery?: number; warnings?: number[]; from?: number } = {}): string {
  const lines: string[] = [];
  for (let step = o.from ?? 1; step <= n; step++) {
    lines.push(stepLine(step));
    if (o.evalEvery && step % o.evalEvery === 0)
      lines.push(
        JSON.stringify({
          step,
          metrics: { modes: Math.min(8, step / o.evalEvery), totalModes: 8, highQuality: 0.5, reverseKL: 1 / step },
        }),
      );
    if (o.warnings?.includes(step)) lines.push(JSON.stringify({ step, warning: `test warning at ${step}` }));
  }
  return lines.map((l) => l + '\n').join('');
}

/** A run folder with options.json (a 2D ring8 run of `steps` steps). */
export function makeRunFolder(runs: string, name: string, steps: number, extra: Record<string, unknown> = {}): string {
  const dir = path.join(runs, name);
  mkdirSync(path.join(dir, 'snapshots'), { recursive: true });
  const options = { data: 'ring8', model: 'mlp', loss: 'nonsaturating', steps, seed: 1, backend: 'cpu', ...extra };
  writeFileSync(path.join(dir, 'options.json'), JSON.stringify(options, null, 2));
  return dir;
}

/** Replaces `file` atomically, as the trainer does (rename over it). */
export function replaceFile(file: string, text: string | Buffer): void {
  writeFileSync(file + '.tmp', text);
  renameSync(file + '.tmp', file);
}

/** A PNG of one colour, so the test knows which file the page shows from any of its pixels. */
export async function solidPng(width: number, height: number, rgb: [number, number, number]): Promise<Buffer> {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = `rgb(${rgb.join(',')})`;
  ctx.fillRect(0, 0, width, height);
  return canvas.encode('png');
}

/**
 * A 2D live.json (docs/dashboard.md §1): D's field a ramp whose direction turns with
 * `phase`, a density blob, 500 points on a ring and an arrow at each of 100 of them.
 */
export function liveFrame2d(step: number, phase: number): string {
  const n = 48;
  const field: number[] = [];
  const density: number[] = [];
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const x = -3 + (6 * i) / (n - 1);
      const y = -3 + (6 * j) / (n - 1);
      field.push(Number((1 / (1 + Math.exp(-(x * Math.cos(phase) + y * Math.sin(phase))))).toFixed(3)));
      density.push(Number(Math.exp(-((x - 1) ** 2 + y ** 2) * 2).toFixed(3)));
    }
  const fake: number[] = [];
  for (let k = 0; k < 500; k++) fake.push(2 * Math.cos(k), 2 * Math.sin(k));
  const points = fake.slice(0, 200);
  const dirs = points.map((v) => -0.1 * v);
  return JSON.stringify({
    format: 'gankit-live',
    version: 1,
    step,
    time: Date.now(),
    dim: 2,
    bounds: { xmin: -3, xmax: 3, ymin: -3, ymax: 3 },
    field: { nx: n, ny: n, values: field },
    density: { nx: n, ny: n, values: density },
    fake,
    arrows: { points, dirs },
  });
}

/**
 * An HTTP proxy on 127.0.0.1 in front of the dashboard on `port`, so a test can cut the
 * page's event streams as a network would: `cut()` closes every open stream and holds new
 * ones until `restore()`. It records the Last-Event-ID of each stream request.
 */
export async function streamCutter(port: number) {
  const streams = new Set<http.ServerResponse>();
  const held: (() => void)[] = [];
  const lastEventIds: (string | undefined)[] = [];
  let cutting = false;
  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const headers = { ...req.headers, host: `127.0.0.1:${port}` }; // the dashboard accepts only its own port
    const upstream = http.request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const server = http.createServer((req, res) => {
    if (!req.url?.startsWith('/api/events')) return forward(req, res);
    lastEventIds.push(req.headers['last-event-id'] as string | undefined);
    streams.add(res);
    res.on('close', () => streams.delete(res));
    if (cutting) held.push(() => forward(req, res));
    else forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lastEventIds,
    cut() {
      cutting = true;
      for (const res of streams) res.destroy();
    },
    restore() {
      cutting = false;
      for (const go of held.splice(0)) go();
    },
    close: () => {
      for (const res of streams) res.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
