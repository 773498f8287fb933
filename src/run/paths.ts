// Where everything of a run lives. A run is its folder: every path is built from the
// folder it is found in, never from the `out` recorded inside, so a copied or moved run
// works where it now is.
import path from 'node:path';

export interface RunPaths {
  root: string;
  /** The resolved options, flat, with a format version (run/options-file.ts). */
  options: string;
  /** One JSON object a line: steps, evaluations, warnings (run/stats.ts). */
  stats: string;
  /** The final numbers. */
  metrics: string;
  /** step-NNNNNNN/ folders and `latest` (run/checkpoint.ts). */
  checkpoints: string;
  snapshots: string;
  /** 1D/2D runs: the latest picture of the game for the dashboard (train/live.ts, docs/dashboard.md). */
  live: string;
  /** RUN/NAME.png: the latest picture of a kind (samples, discriminator, curves, …). */
  picture(name: string): string;
  /** RUN/snapshots/step-NNNNNNN-NAME.png: the picture of a kind at one step. */
  snapshot(step: number, name: string): string;
}

/** Step numbers padded to seven digits, so that folder listings sort by step. */
export const stepName = (step: number) => `step-${String(step).padStart(7, '0')}`;

export function runPaths(root: string): RunPaths {
  return {
    root,
    options: path.join(root, 'options.json'),
    stats: path.join(root, 'stats.jsonl'),
    metrics: path.join(root, 'metrics.json'),
    checkpoints: path.join(root, 'checkpoints'),
    snapshots: path.join(root, 'snapshots'),
    live: path.join(root, 'live.json'),
    picture: (name) => path.join(root, `${name}.png`),
    snapshot: (step, name) => path.join(root, 'snapshots', `${stepName(step)}-${name}.png`),
  };
}
