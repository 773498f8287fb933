// The plot bounds of gankit's toy data sets (src/data/toy.ts's `bounds`), so the
// playground draws G's samples over the same square as the run's PNGs without asking
// the server. test/dash/play.test.ts checks every entry against src/data/toy.ts.
import type { Bounds } from './play-draw.js';

export const TOY_BOUNDS: Record<string, Bounds> = {
  ring8: { xmin: -1.5, xmax: 1.5, ymin: -1.5, ymax: 1.5 },
  grid25: { xmin: -5.5, xmax: 5.5, ymin: -5.5, ymax: 5.5 },
  gauss1d: { xmin: -2, xmax: 5, ymin: 0, ymax: 1 },
  spiral: { xmin: -2.5, xmax: 2.5, ymin: -2.5, ymax: 2.5 },
  moons: { xmin: -2, xmax: 2, ymin: -1.5, ymax: 1.5 },
};
