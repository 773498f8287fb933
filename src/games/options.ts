// The game's settings: which losses the players minimise, D's penalties and WGAN's
// clipping (src/games/losses.ts and penalties.ts), and k, D's steps per G step.
import type { GameName } from './losses.js';

export interface GameOptions {
  loss: GameName;
  /** R1 penalty weight γ (0 = off). Default on toy data: (s/2)²/10, s = the data set's scale (train/options.ts). */
  r1: number;
  /** Apply R1 every N discriminator steps, weighted N·γ ("lazy regularization", Karras et al. 2020). */
  r1Every: number;
  /** WGAN-GP penalty weight λ. */
  gpWeight: number;
  /** WGAN weight clipping bound c. */
  clip: number;
  /** k: discriminator steps per generator step. */
  dSteps: number;
}
