// The dashboard page's first paint (issue 17's target: a finished 16,000-step run within
// 1.5 s): `gankit dash` over a folder holding one real finished run, and Debian's Chromium
// opening the page on it, a fresh browser context each time (nothing cached). The time is
// the page's own (document.body.dataset.firstPaintMs: navigation start to the curves of the
// whole record drawn, web/run-view.ts). Prints each load, the median, the load average.
//   npm run bench:dash-paint -- --run DIR     DIR: a finished run (e.g. a default ring8 run)
//   npm run bench:dash-paint                  trains one first (ring8, 16,000 steps, ~90 s)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli/main.js');
const LOADS = 7;
const args = process.argv.slice(2);
const given = args.includes('--run') ? args[args.indexOf('--run') + 1] : undefined;

const uptime = () => spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const runs = mkdtempSync(path.join(tmpdir(), 'gankit-paint-'));
  const run = path.join(runs, 'long');
  try {
    if (given) {
      if (!existsSync(path.join(given, 'stats.jsonl')))
        throw new Error(`Expected --run to name a run folder (with stats.jsonl) but received "${given}"`);
      cpSync(given, run, { recursive: true });
      rmSync(path.join(run, 'lock'), { force: true });
    } else {
      process.stderr.write('training ring8 for 16,000 steps (about 90 s) …\n');
      const trained = spawnSync(process.execPath, [CLI, 'train', '--data', 'ring8', '--out', run], {
        encoding: 'utf8',
      });
      if (trained.status !== 0) throw new Error(`gankit train failed:\n${trained.stderr}`);
    }
    const dash = spawn(process.execPath, [CLI, 'dash', '--runs', runs, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      dash.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /gankit dash: (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      dash.on('exit', (code) => reject(new Error(`gankit dash exited with ${code}`)));
    });
    const origin = new URL(url).origin;
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
    const times: number[] = [];
    try {
      for (let i = 0; i < LOADS; i++) {
        // The cookie the token's visit would set, so that the measured load is the first one.
        const context = await browser.newContext();
        const token = new URL(url).searchParams.get('token')!;
        await context.addCookies([{ name: 'gankit_dash', value: token, url: origin }]);
        const page = await context.newPage();
        await page.goto(`${origin}/?run=long`);
        await page.waitForFunction(() => document.body.dataset.firstPaintMs !== undefined, null, { timeout: 30_000 });
        const ms = Number(await page.evaluate(() => document.body.dataset.firstPaintMs));
        times.push(ms);
        process.stderr.write(`load ${i + 1}: first paint ${ms.toFixed(0)} ms\n`);
        await context.close();
      }
    } finally {
      await browser.close();
      dash.kill('SIGINT');
    }
    console.log(
      `first paint of a finished ${given ? path.basename(given) : 'ring8 16,000-step'} run: median ` +
        `${median(times).toFixed(0)} ms over ${LOADS} cold loads (min ${Math.min(...times).toFixed(0)}, ` +
        `max ${Math.max(...times).toFixed(0)}); target 1500 ms\n${uptime()}`,
    );
  } finally {
    rmSync(runs, { recursive: true, force: true });
  }
}

await main();
