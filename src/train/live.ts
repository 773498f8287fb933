// What the dashboard reads while a run trains (docs/dashboard.md §1, the contract):
// stats.jsonl appended at least once a second, and live.json, the latest picture of a
// 1D or 2D game, small enough to rewrite every second. The frame is made of the
// pictures' own pieces (game-views.ts) at a lower resolution; LiveFile decides when to
// write it. Nothing here touches the training stream, so a run is the same
// with or without it (test/train/live.test.ts compares the losses).
import type * as tfl from '@tensorflow/tfjs-layers';
import { gridCentres, type ToyDataset } from '../data/toy.js';
import { writeFileAtomic } from '../io/atomic.js';
import { runPaths } from '../run/paths.js';
import type { History } from '../run/stats.js';
import type { Gan } from './gan.js';
import { discriminatorField, fixedSamples, generatorPush, lineView, sliceCodes } from './game-views.js';

export const LIVE_FORMAT = 'gankit-live';
export const LIVE_VERSION = 1;

/** Sizes the contract gives: a 48×48 grid, 500 of G's samples, 100 arrows, 200 points on the line. */
export const LIVE_GRID = 48;
export const LIVE_SAMPLES = 500;
export const LIVE_ARROWS = 100;
export const LIVE_LINE = 200;

/** What a frame depends on: the game, the run's sampler, the data and the seed of the fixed noise. */
export interface LiveSource {
  gan: Gan;
  /** The generator that samples (G's moving average when there is one). */
  sampler: tfl.LayersModel;
  data: ToyDataset;
  seed: number;
}

/** Three decimals keep the file under 64 kB: values on the plane and probabilities need no more. */
const decimals3 = (values: Float32Array) => Array.from(values, (v) => Math.round(v * 1000) / 1000);
/** G's push is a gradient of a mean over the samples: small, so three significant digits instead. */
const significant3 = (values: Float32Array) => Array.from(values, (v) => Number(v.toPrecision(3)));

/** A frame's fields after format, version, step and time: dim 2's field, density, fake, arrows; dim 1's curves. */
export async function liveFrame(source: LiveSource): Promise<Record<string, unknown>> {
  const { gan, sampler, data, seed } = source;
  const { fake, codes } = await fixedSamples(gan, sampler, seed, LIVE_SAMPLES);
  const head = { dim: data.dim, bounds: data.bounds };
  if (data.dim === 1) {
    const view = await lineView(gan, data, fake, LIVE_LINE);
    return {
      ...head,
      xs: decimals3(view.xs),
      d: decimals3(view.dLearned),
      dStar: decimals3(view.dOptimal),
      pData: decimals3(view.pData),
      pG: decimals3(view.pG),
      fake: decimals3(fake),
    };
  }
  const n = LIVE_GRID;
  const field = await discriminatorField(gan, data, n);
  const arrows = await generatorPush(
    gan,
    fake.subarray(0, 2 * LIVE_ARROWS),
    codes && sliceCodes(gan, codes, 0, LIVE_ARROWS),
  );
  return {
    ...head,
    field: { nx: n, ny: n, values: decimals3(field.values) },
    density: { nx: n, ny: n, values: decimals3(scaledDensity(data, n)) },
    fake: decimals3(fake),
    arrows: { points: decimals3(arrows.points), dirs: significant3(arrows.dirs) },
  };
}

/** The data's density at the grid's centres, scaled to a maximum of 1 (the page shades it; its scale means nothing). */
function scaledDensity(data: ToyDataset, n: number): Float32Array {
  const density = data.density(gridCentres(data.bounds, n));
  const max = density.reduce((a, b) => Math.max(a, b), 0);
  return max > 0 ? density.map((p) => p / max) : density;
}

/**
 * RUN/live.json, replaced atomically (readers see one whole frame or the next) but not
 * flushed to the disk: it is rewritten every second, and a power cut loses only a picture.
 * The first update writes; later ones write when `everySeconds` have passed since the last
 * write, or when forced (the run's last step, an interruption), unless that step is already written.
 */
export class LiveFile {
  private writtenAt?: number;
  private writtenStep?: number;
  /** Set when a write failed: the dashboard's picture is a convenience, so the run goes on without it. */
  failure?: string;

  constructor(
    readonly file: string,
    private readonly everySeconds: number,
    private readonly frame: () => Promise<Record<string, unknown>>,
    private readonly say: (message: string) => void = () => {},
  ) {}

  async update(step: number, { force = false }: { force?: boolean } = {}): Promise<void> {
    if (this.failure) return;
    const now = performance.now();
    const due = force
      ? this.writtenStep !== step
      : this.writtenAt === undefined || now - this.writtenAt >= 1000 * this.everySeconds;
    if (!due) return;
    this.writtenAt = now;
    this.writtenStep = step;
    const text = JSON.stringify({
      format: LIVE_FORMAT,
      version: LIVE_VERSION,
      step,
      time: Date.now(),
      ...(await this.frame()),
    });
    try {
      await writeFileAtomic(this.file, text, 'writing the live picture (live.json)', { durable: false });
    } catch (err) {
      // A full disk or a lost permission must not end the training over a picture: the
      // record and the checkpoints, which must be written, report it when it matters.
      this.failure = (err as Error).message;
      this.say(`warning: ${this.failure}; training goes on without live.json`);
    }
  }
}

/** The contract's "stats.jsonl appended at least once a second" (checked between steps). */
const APPEND_EVERY_MS = 1000;

/**
 * The trainer's live output: after every step, the record's new lines appended (without
 * fsync; the flush before a checkpoint syncs) once a second has passed since the last
 * append, and live.json when due. `frame` is the task's (none for image data), and
 * `liveEvery` 0 writes no live.json.
 */
export class LiveOutput {
  private appendedAt = performance.now();
  private readonly live?: LiveFile;

  constructor(
    private readonly history: History,
    runDir: string,
    liveEvery: number,
    frame?: () => Promise<Record<string, unknown>>,
    say?: (message: string) => void,
  ) {
    if (frame && liveEvery > 0) this.live = new LiveFile(runPaths(runDir).live, liveEvery, frame, say);
  }

  async afterStep(step: number): Promise<void> {
    await this.live?.update(step);
    if (performance.now() - this.appendedAt < APPEND_EVERY_MS) return;
    await this.history.flush({ sync: false });
    this.appendedAt = performance.now();
  }

  /** live.json at the run's last step or where it was interrupted, whenever the last frame was written. */
  async lastFrame(step: number): Promise<void> {
    await this.live?.update(step, { force: true });
  }
}
