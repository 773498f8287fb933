// The names a training started from the dashboard may use. The data sets come from
// where they live (data/toy.ts and data/images/registry.ts hold no TensorFlow.js); the
// games and network presets live beside TensorFlow.js code (games/losses.ts,
// train/options.ts), which the server must not load (it would cost 140 MB), so they are
// listed here and test/dash/names.test.ts checks the lists agree with the library's.
import { TOY_DATASETS, toyDataset } from '../data/toy.js';
import { IMAGE_REGISTRY } from '../data/images/registry.js';

export const DATA_NAMES: readonly string[] = [...TOY_DATASETS, ...Object.keys(IMAGE_REGISTRY)];

/** games/losses.ts's GAMES. */
export const LOSS_NAMES: readonly string[] = ['nonsaturating', 'minimax', 'lsgan', 'wgan', 'wgan-gp', 'hinge'];

/** train/options.ts's model presets (without 'custom', which only the library can build). */
export const MODEL_NAMES: readonly string[] = ['mlp', 'dcgan', 'cgan', 'acgan', 'infogan'];

/** What a run's data makes it: 2D or 1D toy data, or images; null when options.json says nothing. */
export function dataKind(data: unknown): 'toy2d' | 'toy1d' | 'image' | null {
  if (typeof data !== 'string') return null;
  if (!(TOY_DATASETS as readonly string[]).includes(data)) return 'image';
  return toyDataset(data).dim === 1 ? 'toy1d' : 'toy2d';
}
