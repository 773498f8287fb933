// What the compare and playground tests share: short real trainings through the CLI,
// a real `gankit dash` process on 127.0.0.1, and Chromium with every request that is
// not to that server aborted and recorded, and every page error and console error kept.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { runCli } from '../cli/run-cli.js';
import { skipUnless } from '../requirements.js';

export const CHROMIUM = '/usr/bin/chromium';
const here = path.dirname(fileURLToPath(import.meta.url));
const main = path.join(here, '../../src/cli/main.js');

/** A module of dist/web/ (the pages' code) imported in Node, for checking its pure functions. */
export const webModule = <T>(name: string): Promise<T> =>
  import(pathToFileURL(path.join(here, '../../web', name)).href) as Promise<T>;

export const tempRuns = (prefix: string) => mkdtempSync(path.join(tmpdir(), prefix));

/** A short toy run: tiny networks, no evaluation during training, a checkpoint every `checkpointEvery` steps. */
export async function trainToy(out: string, extra: string[] = [], steps = 60): Promise<void> {
  const r = await runCli(
    [
      'train',
      '--data',
      'ring8',
      '--steps',
      String(steps),
      '--g-hidden',
      '16,16',
      '--d-hidden',
      '16',
      '--eval-every',
      '0',
      '--eval-samples',
      '200',
      '--plot-every',
      String(steps / 2),
      '--checkpoint-every',
      String(steps / 2),
      '--backend',
      'cpu',
      '--out',
      out,
      ...extra,
    ],
    { timeout: 180_000 },
  );
  assert.equal(r.status, 0, r.stderr);
}

export interface Dash {
  origin: string;
  /** The printed address, with its token: opening it sets the cookie. */
  url: string;
  close(): Promise<void>;
}

/** `gankit dash --runs DIR --port 0`, and the address it prints. */
export async function startDash(runs: string): Promise<Dash> {
  const cli = process.env.GANKIT_TEST_DASH_STUB ? [process.env.GANKIT_TEST_DASH_STUB] : [main, 'dash']; // TODO(merge): drop
  const child: ChildProcess = spawn(process.execPath, [...cli, '--runs', runs, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gankit dash printed no address in 10 s: ${output}`)), 10_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const found = /gankit dash: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`gankit dash exited (${code}): ${output}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    },
  };
}

export interface Chromium {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Requests to anywhere but the dashboard, each aborted. */
  outside: string[];
  /** Uncaught page errors and console errors. */
  errors: string[];
}

/** Chromium signed in to the dashboard; downloads allowed. */
export async function openChromium(dash: Dash): Promise<Chromium> {
  // No name resolves but 127.0.0.1, so nothing could reach the network even past the route below.
  const args = ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(dash.origin + '/') || url.startsWith('blob:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  // The printed address sets the cookie (the context's requests share the browser's cookies); its
  // redirect to the run list is not followed: that page is another helper's, with errors of its own to check.
  const signIn = await context.request.get(dash.url, { maxRedirects: 0 });
  assert.equal(signIn.status(), 302, `signing in with ${dash.url}`);
  return { browser, context, page, outside, errors };
}

/** Chromium is a Debian package: skip where it is missing (never on CI, test/requirements.ts). */
export const needsChromium = () => skipUnless(existsSync(CHROMIUM), 'chromium not installed: apt-get install chromium');

/** The largest absolute difference between two arrays of one length. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'arrays of different lengths');
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
