// GET /api/gif against snapshots the test painted: the answer decodes as an animated GIF
// with one frame per snapshot step, the runs side by side, a blank tile where a run has
// no snapshot at a step (never an older picture), and the step range respected.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { bearer, request, startDash, type Dash } from './dash-process.js';
import { tempDir, writeRun } from './fake-runs.js';

let runs: string;
let dash: Dash;
const [W, H] = [40, 30];
const RED = { r: 220, g: 20, b: 20 };
const BLUE = { r: 20, g: 20, b: 220 };

async function paint(run: string, step: number, colour: typeof RED) {
  const folder = path.join(runs, run, 'snapshots');
  mkdirSync(folder, { recursive: true });
  await sharp({ create: { width: W, height: H, channels: 3, background: colour } })
    .png()
    .toFile(path.join(folder, `step-${String(step).padStart(7, '0')}-samples.png`));
}

before(async () => {
  runs = tempDir('gif');
  writeRun(runs, 'a');
  writeRun(runs, 'b');
  // Each step a little different: the encoder merges identical frames into one longer one.
  for (const step of [100, 200]) await paint('a', step, { ...RED, g: step / 10 });
  for (const step of [100, 200, 300]) await paint('b', step, { ...BLUE, g: step / 10 });
  dash = await startDash(runs);
});

after(async () => {
  await dash.stop();
});

const gif = (query: string) => request(dash.port, `/api/gif?${query}`, { headers: bearer(dash.token) });

/** The colour at (x, y) of a frame of the GIF. */
async function pixel(bytes: Buffer, page: number, x: number, y: number) {
  const { data, info } = await sharp(bytes, { page }).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return { r: data[at], g: data[at + 1], b: data[at + 2] };
}

const near = (got: { r: number; g: number; b: number }, want: typeof RED, what: string) =>
  assert.ok(
    Math.abs(got.r - want.r) < 30 && Math.abs(got.g - want.g) < 30 && Math.abs(got.b - want.b) < 30,
    `${what}: ${JSON.stringify(got)}, expected about ${JSON.stringify(want)}`,
  );

test('two runs side by side: one frame per snapshot step, a blank tile where a run has none', async () => {
  const answer = await gif('run=a&run=b&kind=samples');
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.headers['content-type'], 'image/gif');
  assert.equal(answer.headers['x-gankit-frames'], '100,200,300');
  const meta = await sharp(answer.body, { animated: true }).metadata();
  assert.equal(meta.format, 'gif');
  assert.equal(meta.pages, 3);
  assert.equal(meta.width, 2 * W + 4);
  assert.equal(meta.pageHeight, H);
  near(await pixel(answer.body, 0, 5, 5), RED, 'frame 1, run a');
  near(await pixel(answer.body, 0, W + 4 + 5, 5), BLUE, 'frame 1, run b');
  near(await pixel(answer.body, 2, W + 4 + 5, 5), BLUE, 'frame 3, run b');
  near(await pixel(answer.body, 2, 5, 5), { r: 216, g: 216, b: 216 }, 'frame 3, run a has no snapshot: blank');
});

test('from/to choose the steps; no snapshot of the kind is a 404 with a sentence; bad requests 400', async () => {
  const range = await gif('run=b&kind=samples&from=150&to=300');
  assert.equal(range.headers['x-gankit-frames'], '200,300');
  assert.equal((await sharp(range.body, { animated: true }).metadata()).pages, 2);
  const one = await gif('run=a&kind=samples&to=100');
  assert.equal(one.status, 200);
  assert.equal((await sharp(one.body).metadata()).format, 'gif');
  const none = await gif('run=a&kind=discriminator');
  assert.equal(none.status, 404);
  assert.match(none.json().error, /Expected snapshots of kind "discriminator" in a/);
  assert.equal((await gif('kind=samples')).status, 400);
  assert.equal((await gif('run=a&run=zzz')).status, 404);
  assert.equal((await gif('run=a&from=x')).status, 400);
});
