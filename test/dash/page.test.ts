// The dashboard's main page in a real Chromium against a real `gankit dash`: runs the
// test wrote (known values in stats.jsonl, live.json frames, one-colour snapshot PNGs)
// and a real `gankit train` watched live. Every request not to the server on 127.0.0.1
// is aborted and recorded, and none may be attempted; no page or console error may occur.
// One file over 300 lines: its parts share one server, one browser and the runs they watch
// change in turn (a Chromium start costs seconds here), so they run in order as subtests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { skipUnless } from '../requirements.js';
import { CLI, startDash } from './dash-process.js';
import {
  CHROMIUM,
  liveFrame2d,
  makeRunFolder,
  openBrowser,
  replaceFile,
  solidPng,
  streamCutter,
  statsText,
  stepLine,
  stepValues,
  tempRuns,
} from './page-fixtures.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The debiased EMA written as what it is, a weighted mean with weights β^(t−i); the page
 * computes it as Adam does, ema_t / (1 − β^t).
 */
function weightedMean(values: number[], beta: number): number[] {
  let sum = 0;
  let weights = 0;
  return values.map((v) => {
    sum = beta * sum + v;
    weights = beta * weights + 1;
    return sum / weights;
  });
}

const dataset = (page: Page, selector: string) =>
  page.$eval(selector, (e) => ({ ...(e as HTMLElement).dataset }) as Record<string, string>);

/** Sets a range input as a drag would and lets the page handle the `input` event. */
const setRange = (page: Page, selector: string, value: number) =>
  page.$eval(
    selector,
    (e, v) => {
      (e as HTMLInputElement).value = String(v);
      e.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );

/** The live canvas's pixels, as a string to compare. */
const canvasPixels = (page: Page) =>
  page.$eval('#pictures canvas.live', (c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let distinct = new Set<number>();
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) {
      const v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      if (distinct.size < 1000) distinct.add(v);
      hash = (Math.imul(hash, 31) + v) | 0;
    }
    return { hash, colours: distinct.size };
  });

/** The colour at the centre of the shown snapshot of `kind`, as the browser decoded it. */
const shownColour = (page: Page, kind: string) =>
  page.$eval(`#pictures img[data-kind="${kind}"]`, async (e) => {
    const img = e as HTMLImageElement;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const [r, g, b] = ctx.getImageData(img.naturalWidth >> 1, img.naturalHeight >> 1, 1, 1).data;
    return { rgb: [r, g, b], width: img.naturalWidth, src: img.getAttribute('src') };
  });

const SNAPSHOT_COLOURS: Record<number, [number, number, number]> = {
  50: [200, 30, 30],
  100: [30, 160, 40],
  150: [20, 40, 210],
};

test('the dashboard page, in Chromium against gankit dash', { timeout: 240_000 }, async (t) => {
  const missing = skipUnless(existsSync(CHROMIUM), 'chromium not installed: apt-get install chromium');
  if (missing) return t.skip(missing);
  const runs = tempRuns();

  // A 16,000-step run, for the first paint; written first, so that the page the token opens (the most
  // recently updated run) is the small one, and the measurement has no other page parsing beside it.
  const big = makeRunFolder(runs, 'big', 16_000);
  writeFileSync(path.join(big, 'stats.jsonl'), statsText(16_000, { evalEvery: 1000 }));

  // A finished 2D run of 200 steps: evaluations every 50, a warning at 120, snapshots at 50, 100, 150.
  const fixed = makeRunFolder(runs, 'fixed', 200);
  writeFileSync(path.join(fixed, 'stats.jsonl'), statsText(200, { evalEvery: 50, warnings: [120] }));
  for (const [step, rgb] of Object.entries(SNAPSHOT_COLOURS)) {
    const name = `step-${step.padStart(7, '0')}`;
    writeFileSync(path.join(fixed, 'snapshots', `${name}-discriminator.png`), await solidPng(60, 40, rgb));
    writeFileSync(path.join(fixed, 'snapshots', `${name}-samples.png`), await solidPng(60, 40, rgb));
  }
  writeFileSync(
    path.join(fixed, 'metrics.json'),
    JSON.stringify({ modes: 4, totalModes: 8, verdict: 'verdict: test' }),
  );
  writeFileSync(path.join(fixed, 'live.json'), liveFrame2d(200, 0));
  const dash = await startDash(runs);
  const origin = `http://127.0.0.1:${dash.port}`;
  const cutter = await streamCutter(dash.port);
  const { browser, outside, errors, newPage } = await openBrowser(origin, cutter.origin);
  t.after(async () => {
    await browser.close();
    await cutter.close();
    await dash.stop();
    rmSync(runs, { recursive: true, force: true });
  });
  const page = await newPage();
  await page.goto(dash.url); // sets the cookie

  await t.test('a long run paints within the bound', async () => {
    const bigPage = await newPage();
    await bigPage.goto(`${origin}/?run=big`);
    await bigPage.waitForFunction(() => document.body.dataset.firstPaintMs !== undefined, null, { timeout: 20_000 });
    const ms = Number(await bigPage.evaluate(() => document.body.dataset.firstPaintMs));
    const curves = await dataset(bigPage, '#curves');
    assert.equal(curves.points, '16000', 'every step line of the record is drawn');
    assert.equal(curves.step, '16000');
    t.diagnostic(`first paint of a 16,000-step run: ${ms} ms after navigation start`);
    assert.ok(ms < 5000, `expected the first paint within 5 s on this loaded machine but it took ${ms} ms`);
    await bigPage.close();
  });

  await page.goto(`${origin}/?run=fixed`);
  await page.waitForFunction(() => document.getElementById('curves')?.dataset.step === '200');

  await t.test('the run list, the verdict, the options', async () => {
    await page.waitForSelector('#runs li[data-run="big"]');
    assert.equal(await page.$eval('#runs li[data-run="fixed"]', (e) => (e as HTMLElement).dataset.status), 'finished');
    assert.match((await page.textContent('#verdict'))!, /verdict: test/);
    assert.match((await page.textContent('#options-table'))!, /ring8/);
  });

  await t.test('smoothing is the debiased EMA of every point', async () => {
    const lossD = Array.from({ length: 200 }, (_, i) => stepValues(i + 1).lossD);
    for (const beta of [0.8, 0.99]) {
      await setRange(page, '#smoothing', beta);
      await page.waitForFunction((b) => document.getElementById('smoothing-value')?.textContent === b.toFixed(3), beta);
      await sleep(400); // one throttled redraw
      for (const step of [200, 57, 1]) {
        await setRange(page, '#step-slider', step);
        const shown = await dataset(page, '#curves [data-panel="losses"] .value[data-series="lossD"]');
        const expected = weightedMean(lossD.slice(0, step), beta)[step - 1];
        assert.equal(Number(shown.raw), lossD[step - 1], `raw D loss at step ${step}`);
        assert.ok(
          Math.abs(Number(shown.smooth) - expected) < 1e-9,
          `smoothed D loss at step ${step}, β ${beta}: page ${shown.smooth}, by hand ${expected}`,
        );
      }
    }
  });

  await t.test('the slider drives the cursor and the pictures', async () => {
    await setRange(page, '#step-slider', 57);
    assert.equal((await dataset(page, '#curves')).cursor, '57');
    assert.equal((await dataset(page, '#run')).following, 'false');
    const caption = (await page.textContent('#pictures .caption'))!;
    assert.match(caption, /no picture at step 57 — nearest: 50\s*100/);
    assert.equal(await page.$$eval('#pictures img', (l) => l.length), 0, 'no older picture in silence');
    // The nearest-step button jumps to the snapshot of exactly that step.
    await page.click('#pictures .caption button.jump:text("100")');
    assert.equal((await dataset(page, '#curves')).cursor, '100');
    for (const kind of ['discriminator', 'samples']) {
      const shown = await shownColour(page, kind);
      assert.deepEqual(shown.rgb, SNAPSHOT_COLOURS[100], `${kind} at step 100 is the PNG written for step 100`);
      assert.equal(shown.width, 60, 'at full resolution');
      assert.match(shown.src!, /step-0000100-/);
    }
    // The banner lists the warning; Follow returns to the live frame.
    assert.match((await page.textContent('#banner'))!, /step 120 warning: test warning at 120/);
    await page.click('#follow');
    assert.equal((await dataset(page, '#run')).following, 'true');
    assert.equal((await dataset(page, '#pictures')).showing, 'live');
  });

  await t.test('the live canvas: non-blank, layers switch, redrawn as frames come', async () => {
    const before = await canvasPixels(page);
    assert.ok(before.colours > 50, `expected the heatmap to paint many colours but found ${before.colours}`);
    await page.uncheck('#pictures input[data-layer="field"]');
    const without = await canvasPixels(page);
    assert.notEqual(without.hash, before.hash, "unchecking D's heatmap changes the pixels");
    await page.check('#pictures input[data-layer="field"]');
    assert.equal((await canvasPixels(page)).hash, before.hash, 'checking it again restores them');
    // Frames every 0.5 s for 4 s: the canvas is redrawn at least once a second.
    const frames0 = Number((await dataset(page, '#pictures canvas.live')).frames);
    for (let k = 1; k <= 8; k++) {
      replaceFile(path.join(fixed, 'live.json'), liveFrame2d(200, k * 0.4));
      await sleep(500);
    }
    await sleep(500);
    const frames = Number((await dataset(page, '#pictures canvas.live')).frames) - frames0;
    t.diagnostic(`live canvas: ${frames} redraws for 8 frames written in 4 s`);
    assert.ok(frames >= 4, `expected ≥ 1 redraw a second (≥ 4 in 4 s) but saw ${frames}`);
    assert.notEqual((await canvasPixels(page)).hash, before.hash, 'the last frame is not the first');
  });

  await t.test('a torn line draws nothing until complete; a shrunk file resets', async () => {
    const stats = path.join(fixed, 'stats.jsonl');
    const line = stepLine(201);
    appendFileSync(stats, line.slice(0, 40));
    await sleep(1000);
    assert.equal((await dataset(page, '#curves')).points, '200', 'half a line is not drawn');
    appendFileSync(stats, line.slice(40) + '\n');
    await page.waitForFunction(() => document.getElementById('curves')?.dataset.points === '201', null, {
      timeout: 2000,
    });
    // Rewritten shorter, as a resume does: 80 steps, then it grows again.
    replaceFile(stats, statsText(80));
    await page.waitForFunction(() => document.getElementById('curves')?.dataset.points === '80', null, {
      timeout: 3000,
    });
    appendFileSync(stats, statsText(90, { from: 81 }));
    await page.waitForFunction(() => document.getElementById('curves')?.dataset.points === '90', null, {
      timeout: 3000,
    });
    assert.equal((await dataset(page, '#curves')).step, '90', 'no step of the old record is left');
    // 200 lines at once: 200 more points, each line read once.
    appendFileSync(stats, statsText(290, { from: 91 }));
    await page.waitForFunction(() => document.getElementById('curves')?.dataset.points === '290', null, {
      timeout: 3000,
    });
    assert.equal((await dataset(page, '#curves')).lines, '290');
    await setRange(page, '#step-slider', 85);
    const shown = await dataset(page, '#curves [data-panel="losses"] .value[data-series="lossG"]');
    assert.equal(Number(shown.raw), stepValues(85).lossG);
  });

  await t.test('a dropped stream reconnects with every missed line exactly once', async () => {
    // The page through a proxy that cuts its stream: the browser reconnects with Last-Event-ID.
    const stats = path.join(fixed, 'stats.jsonl');
    const cutPage = await newPage();
    await cutPage.goto(`${cutter.origin}/?run=fixed`);
    await cutPage.waitForFunction(() => document.getElementById('curves')?.dataset.points === '290');
    cutter.cut();
    await cutPage.waitForFunction(() => Number(document.getElementById('run')?.dataset.dropped ?? 0) > 0);
    appendFileSync(stats, statsText(350, { from: 291 }));
    await sleep(1000);
    assert.equal((await dataset(cutPage, '#curves')).points, '290', 'nothing arrives while the stream is cut');
    cutter.restore();
    await cutPage.waitForFunction(() => document.getElementById('curves')?.dataset.points === '350', null, {
      timeout: 10_000,
    });
    const lines = readFileSync(stats, 'utf8')
      .split('\n')
      .filter((l) => l !== '').length;
    assert.equal((await dataset(cutPage, '#curves')).lines, String(lines), 'every line of the file read once');
    const resumedFrom = cutter.lastEventIds[cutter.lastEventIds.length - 1];
    assert.ok(Number(resumedFrom) > 0, `expected the reconnect to carry Last-Event-ID but it sent ${resumedFrom}`);
    await cutPage.close();
  });

  await t.test('a real training, watched live, paused and resumed from the page', async () => {
    const live = path.join(runs, 'live');
    // Slow steps make the 400 steps last ~15 s, so the test can watch them arrive; a checkpoint every 50 steps
    // appends the record at least that often, whether or not the trainer also appends it every second.
    const trainer = spawn(
      process.execPath,
      [
        ...[CLI, 'train', '--data', 'ring8', '--steps', '400', '--out', live, '--eval-samples', '500', '--seed', '3'],
        // With dash-live's trainer the record is appended every second and every checkpoint is Checkpoint now's.
        ...['--checkpoint-every', '0'],
      ],
      { stdio: 'ignore', env: { ...process.env, GANKIT_SLOW_STEP_MS: '30' } },
    );
    const exited = new Promise<number | null>((resolve) => trainer.on('exit', (code) => resolve(code)));
    const watcher = await newPage();
    await watcher.goto(`${origin}/?run=live`);
    const statsFile = path.join(live, 'stats.jsonl');
    // Every step the trainer writes shows on the page within 2 s.
    let checked = 0;
    let latest = 0;
    const deadline = Date.now() + 60_000;
    while (checked < 3 && Date.now() < deadline) {
      await sleep(100);
      if (!existsSync(statsFile)) continue;
      const lines = readFileSync(statsFile, 'utf8')
        .split('\n')
        .filter((l) => l.endsWith('}'));
      const step = lines.length > 0 ? JSON.parse(lines[lines.length - 1]).step : 0;
      if (step <= latest) continue;
      latest = step;
      const written = Date.now();
      await watcher.waitForFunction((s) => Number(document.getElementById('curves')?.dataset.step) >= s, step, {
        timeout: 2000,
      });
      t.diagnostic(`step ${step} shown ${Date.now() - written} ms after the trainer wrote it`);
      checked++;
    }
    assert.equal(checked, 3, 'three appends of the trainer were each shown within 2 s');
    {
      // The trainer's own live.json (once a second): the canvas follows it at least once a second.
      const frames = async () => Number((await dataset(watcher, '#pictures canvas.live')).frames ?? 0);
      await watcher.waitForSelector('#pictures[data-showing="live"]', { timeout: 5000 });
      const before = await frames();
      await sleep(4000);
      const drawn = (await frames()) - before;
      t.diagnostic(`the trainer's live.json: ${drawn} redraws in 4 s`);
      assert.ok(drawn >= 3, `expected the trainer's frames drawn ≥ 1/s but saw ${drawn} in 4 s`);
    }
    await watcher.waitForSelector('#runs li[data-run="live"][data-status="training"]');
    {
      // Checkpoint now (SIGUSR2): a checkpoint appears while the trainer goes on.
      const checkpoints = () =>
        existsSync(path.join(live, 'checkpoints'))
          ? readdirSync(path.join(live, 'checkpoints')).filter((n) => n.startsWith('step-'))
          : [];
      assert.deepEqual(checkpoints(), [], 'no checkpoint before the button');
      await watcher.click('#checkpoint');
      const deadline = Date.now() + 10_000;
      while (checkpoints().length === 0 && Date.now() < deadline) await sleep(100);
      assert.equal(checkpoints().length, 1, `Checkpoint now wrote ${checkpoints().join(', ') || 'nothing'}`);
      assert.equal(trainer.exitCode, null, 'the trainer goes on after Checkpoint now');
    }
    await watcher.click('#pause');
    assert.equal(await exited, 130, 'Pause stops the trainer as SIGINT does (exit 130)');
    await watcher.waitForSelector('#runs li[data-run="live"][data-status="stopped"]', { timeout: 5000 });
    await watcher.waitForFunction(() => !(document.getElementById('resume') as HTMLButtonElement).disabled);
    // Resume: the trainer rewrites the record up to its checkpoint and goes on to the end; the page ends
    // with exactly the file's lines, the resume marked.
    await watcher.click('#resume');
    await watcher.waitForSelector('#runs li[data-run="live"][data-status="finished"]', { timeout: 120_000 });
    await watcher.waitForFunction(() => document.getElementById('curves')?.dataset.step === '400', null, {
      timeout: 5000,
    });
    const lines = readFileSync(statsFile, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    assert.ok(
      lines.some((l) => 'resume' in JSON.parse(l)),
      'the record has a resume line',
    );
    await watcher.waitForFunction((n) => document.getElementById('curves')?.dataset.lines === String(n), lines.length, {
      timeout: 5000,
    });
    await watcher.close();
  });

  await t.test('the New-training form starts a run that is selected and trains', async () => {
    await page.click('#new-training summary');
    await page.fill('#train-form input[name="name"]', 'from-page');
    await page.fill('#train-form input[name="data"]', 'ring8');
    await page.fill('#train-form input[name="steps"]', '30');
    await page.click('#train-form button[type="submit"]');
    await page.waitForFunction(() => document.getElementById('run-name')?.textContent === 'from-page');
    await page.waitForSelector('#runs li[data-run="from-page"]', { timeout: 5000 });
    await page.waitForSelector('#runs li[data-run="from-page"][data-status="finished"]', { timeout: 90_000 });
    await page.waitForFunction(() => document.getElementById('curves')?.dataset.step === '30', null, {
      timeout: 5000,
    });
  });

  assert.deepEqual(outside, [], 'no request left 127.0.0.1');
  // The one error expected: Chromium's note on the stream the cutter cut mid-response.
  const cut = (e: string) => e.startsWith(cutter.origin) && e.includes('net::ERR_INCOMPLETE_CHUNKED_ENCODING');
  assert.deepEqual(
    errors.filter((e) => !cut(e)),
    [],
    'no page or console error',
  );
});
