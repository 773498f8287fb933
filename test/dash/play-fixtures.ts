// What the compare and playground tests share: short real trainings through the CLI,
// a real `gankit dash` process on 127.0.0.1 (dash-process.ts), and Chromium with every request that is
// not to that server aborted and recorded, and every page error and console error kept.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { runCli } from '../cli/run-cli.js';
import { startDash, type Dash } from './dash-process.js';
import { skipUnless } from '../requirements.js';

export const CHROMIUM = '/usr/bin/chromium';
const here = path.dirname(fileURLToPath(import.meta.url));

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

export interface Chromium {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Requests to anywhere but the dashboard, each aborted. */
  outside: string[];
  /** Uncaught page errors and console errors. */
  errors: string[];
}

/** Chromium signed in to the dashboard; downloads allowed; `flags` added to its command line. */
export async function openChromium(dash: Dash, flags: string[] = []): Promise<Chromium> {
  const origin = new URL(dash.url).origin;
  // No name resolves but 127.0.0.1, so nothing could reach the network even past the route below.
  const args = ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', ...flags];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/') || url.startsWith('blob:')) return route.continue();
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

export { startDash, type Dash };
/** The dashboard's http://127.0.0.1:P. */
export const originOf = (dash: Dash) => new URL(dash.url).origin;
