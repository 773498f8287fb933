// GET /api/gif: the snapshots of one kind of several runs as one animated GIF, the runs
// side by side, one frame per snapshot step. A run without a snapshot at a frame's step
// gets a blank grey tile there, never an older picture (the step slider's rule). sharp
// is loaded only when a GIF is asked for: it costs memory the server otherwise keeps low.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { insideFolder } from './files.js';

export const GIF_MAX_RUNS = 8;
export const GIF_MAX_FRAMES = 200;
const GAP = 4;
const FRAME_MS = 250;

export interface GifRequest {
  /** Each run's name and folder, in the order the runs go across. */
  runs: { name: string; folder: string }[];
  kind: string;
  from?: number;
  to?: number;
}

/** The snapshot files of a kind, by step. */
async function snapshotsOf(folder: string, kind: string): Promise<Map<number, string>> {
  const names = await fs.readdir(path.join(folder, 'snapshots')).catch(() => [] as string[]);
  const found = new Map<number, string>();
  for (const name of names) {
    const match = /^step-(\d+)-(.+)\.png$/.exec(name);
    if (match && match[2] === kind) {
      // Checked like any served file: a symlink in snapshots/ leading out is skipped.
      const file = await insideFolder(folder, `snapshots/${name}`);
      if (file) found.set(Number(match[1]), file);
    }
  }
  return found;
}

/** The GIF's bytes and its frame count; a RangeError (answered 404) when no run has such a snapshot. */
export async function makeGif(request: GifRequest): Promise<{ gif: Buffer; frames: number[] }> {
  const { default: sharp } = await import('sharp');
  const perRun = await Promise.all(request.runs.map((r) => snapshotsOf(r.folder, request.kind)));
  const inRange = (step: number) =>
    (request.from === undefined || step >= request.from) && (request.to === undefined || step <= request.to);
  let steps = [...new Set(perRun.flatMap((m) => [...m.keys()]))].filter(inRange).sort((a, b) => a - b);
  if (steps.length === 0)
    throw new RangeError(
      `Expected snapshots of kind "${request.kind}" in ${request.runs.map((r) => r.name).join(', ')}` +
        `${request.from !== undefined || request.to !== undefined ? ' in the steps asked for' : ''} but found none`,
    );
  if (steps.length > GIF_MAX_FRAMES) {
    // Evenly spaced, first and last kept.
    const every = (steps.length - 1) / (GIF_MAX_FRAMES - 1);
    steps = Array.from({ length: GIF_MAX_FRAMES }, (_, i) => steps[Math.round(i * every)]);
  }
  // Every tile takes the size of the first picture found.
  const first = perRun
    .find((m) => m.size > 0)!
    .values()
    .next().value as string;
  const { width = 1, height = 1 } = await sharp(first).metadata();
  const across = request.runs.length;
  const frameWidth = across * width + (across - 1) * GAP;
  const blank = await sharp({ create: { width, height, channels: 3, background: '#d8d8d8' } })
    .png()
    .toBuffer();
  const frames: Buffer[] = [];
  for (const step of steps) {
    const tiles = await Promise.all(
      perRun.map(async (m) => {
        const file = m.get(step);
        if (!file) return blank;
        return sharp(file)
          .resize(width, height, { fit: 'contain', background: '#ffffff' })
          .flatten({ background: '#ffffff' })
          .png()
          .toBuffer();
      }),
    );
    frames.push(
      await sharp({ create: { width: frameWidth, height, channels: 3, background: '#ffffff' } })
        .composite(tiles.map((input, i) => ({ input, left: i * (width + GAP), top: 0 })))
        .png()
        .toBuffer(),
    );
  }
  // sharp joins two or more pictures; a single frame is a still GIF.
  const gif = await sharp(frames.length > 1 ? frames : frames[0], frames.length > 1 ? { join: { animated: true } } : {})
    .gif({ delay: frames.map(() => FRAME_MS), loop: 0 })
    .toBuffer();
  return { gif, frames: steps };
}
