// Each game's recommended training settings: one row per game, citing where each value
// comes from. They are defaults: a run takes them for the settings the user left unset
// (train/options.ts resolveOptions), and options the user sets always win. Where the
// paper's recipe did worse on gankit's reference workloads (ring8, grid25, the default
// step budget), the row says what was measured and keeps the better value.
// Also the warnings for combinations known to train poorly; a warning never refuses.
import type { GameName } from './losses.js';

/** The settings a game may recommend, named as the run's options name them. */
export interface GameRecipe {
  /** k: discriminator steps per generator step. */
  dSteps?: number;
  optimizer?: 'adam' | 'sgd';
  lrG?: number;
  lrD?: number;
  beta1?: number;
  beta2?: number;
  /** 0 turns off the R1 penalty that toy data has by default. */
  r1?: 0;
  clip?: number;
  gpWeight?: number;
}

export type RecipeSetting = keyof GameRecipe;

export interface GameRecipeRow {
  /** Where the values come from, as --help cites it. */
  source: string;
  /** Where a value comes from when not from `source`. */
  sources?: Partial<Record<RecipeSetting, string>>;
  /** On toy data (2D mixtures, 1D Gaussian). */
  toy: GameRecipe;
  /**
   * On toy data, settings that follow the data's scale s (the distance between neighbouring modes, or 1):
   * the value is factor·s.
   */
  perScale?: Partial<Record<RecipeSetting, number>>;
  /** On image data (the DCGAN settings otherwise). */
  images: GameRecipe;
}

export const RECIPES: Record<GameName, GameRecipeRow> = {
  // The shared defaults (train/options.ts) were tuned for the non-saturating game, and
  // the minimax game trains well with them (ring8 and grid25, seeds 1–3: all modes,
  // ≥ 97.8% high quality, issue 20), as do DCGAN's settings on images.
  nonsaturating: { source: 'the shared defaults', toy: {}, images: {} },
  minimax: { source: 'the shared defaults', toy: {}, images: {} },
  // The least-squares and hinge games train D at G's rate on toy data, not at the shared
  // two time-scale rate (lr_D = 2·lr_G, Heusel et al. 2017), chosen by measurement:
  // grid25 seed 2, the run that failed, everything else at its default: lsgan 91.8% high
  // quality and reverse KL 0.057 at lr_D 2e-3, 98.5% and 0.006 at 1e-3; hinge 94.8% →
  // 96.6%. A smaller R1 (0.025) was worse for both (22/25 and 24/25 modes); a larger one
  // (0.3) did not help lsgan (92.5%). Mao et al. 2017 (least squares) and Lim and Ye 2017
  // (hinge) are the games' sources; seeds 1–3 on ring8 and grid25 are in the README.
  lsgan: {
    source: 'Mao et al. 2017',
    sources: { lrD: 'measured on grid25, see src/games/recipes.ts' },
    toy: { lrD: 1e-3 },
    images: {},
  },
  hinge: {
    source: 'Lim and Ye 2017',
    sources: { lrD: 'measured on grid25, see src/games/recipes.ts' },
    toy: { lrD: 1e-3 },
    images: {},
  },
  // Arjovsky et al. 2017 (Algorithm 1): RMSProp, which has no momentum: "momentum based
  // methods such as Adam ... caused instability" (section 3); gankit's Adam with β1 = 0
  // is RMSProp with a bias correction, so the shared toy settings already follow it, and
  // images drop DCGAN's β1 = 0.5. On toy data the clipping bound follows the data's
  // scale, c = s/8, not the paper's 0.01 (kept for images). Clipping bounds D's biases
  // as tightly as its weights, so its units' kinks cannot reach far-out modes unless c
  // grows with the data. Measured, seed 1, everything else at its default: ring8 at
  // 0.01: 7/8 modes, 9.5% high quality; at 0.1: 8/8, 98.6%; grid25 (s = 2) at 0.1:
  // 25/25, 93.4%; at 0.25: 25/25, 97.2%; all in about the non-saturating game's time.
  // k stays 1 and the rates the shared ones: the paper's k = 5 at 5e-5 makes 5 D updates
  // a step (not measured here: by the count of passes, about 3× the time a step), so the
  // time budget of twice the non-saturating game's would allow a fraction of the steps.
  wgan: {
    source: 'Arjovsky et al. 2017',
    sources: { clip: 'measured on ring8 and grid25, see src/games/recipes.ts' },
    toy: {},
    perScale: { clip: 1 / 8 },
    images: { beta1: 0 },
  },
  // Gulrajani et al. 2017: the gradient penalty replaces every other constraint on the
  // critic, so no R1. On toy data λ = 0.1, the value of their own toy experiments
  // (gan_toy.py: "smaller lambda seems to help for toy tasks"), not the paper's λ = 10
  // for images: ring8 seed 1 went from 7/8 modes and 82.6% high quality at λ = 10 to
  // 8/8 and 99.6% (reverse KL 0.003) at λ = 0.1, both with R1 off and the shared
  // optimizer settings. k stays 1: at k = 1 the penalty's double backpropagation
  // already takes 1.4–2× the non-saturating game's time; k = 5 (not measured) would
  // repeat it five times a step.
  'wgan-gp': {
    source: 'Gulrajani et al. 2017',
    sources: { gpWeight: "Gulrajani et al.'s toy experiments, measured on ring8" },
    toy: { r1: 0, gpWeight: 0.1 },
    images: { r1: 0 },
  },
};

/** The settings a game recommends on toy data of scale s (the distance between its modes), or on images. */
export function recipeFor(loss: GameName, toyScale: number | undefined): GameRecipe {
  const row = RECIPES[loss];
  if (toyScale === undefined) return row.images;
  const scaled = Object.entries(row.perScale ?? {}).map(([name, factor]) => [name, factor * toyScale]);
  return { ...row.toy, ...Object.fromEntries(scaled) };
}

/** For --help: which games set `setting` and to what, e.g. "wgan-gp: 0.1 on toy data (Gulrajani et al. 2017)". */
export function recipeNote(setting: RecipeSetting): string | undefined {
  const parts = Object.entries(RECIPES).flatMap(([name, row]) => {
    const factor = row.perScale?.[setting];
    const toy = factor !== undefined ? `s/${1 / factor} (s = the data's mode spacing)` : row.toy[setting];
    const images = row.images[setting];
    if (toy === undefined && images === undefined) return [];
    const where =
      toy === images
        ? `${toy}`
        : [toy !== undefined && `${toy} on toy data`, images !== undefined && `${images} on images`];
    const values = Array.isArray(where) ? where.filter(Boolean).join(', ') : where;
    return [`${name}: ${values} (${row.sources?.[setting] ?? row.source})`];
  });
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** What the warnings read: the run's resolved options. */
export interface RecipeCheck {
  loss: GameName;
  optimizer: 'adam' | 'sgd';
  beta1: number;
  momentum: number;
  r1: number;
}

/**
 * Warnings for combinations known to train poorly, one sentence each: what was asked, why it is poor, what to do.
 * `given` names the options the user set, so that settings a game ignores are only mentioned when asked for.
 */
export function recipeWarnings(o: RecipeCheck, given: ReadonlySet<string>): string[] {
  const warnings: string[] = [];
  const wgan = o.loss === 'wgan';
  if (wgan && o.optimizer === 'adam' && o.beta1 > 0) {
    warnings.push(
      `WGAN's weight clipping with Adam's momentum (beta1 ${o.beta1}) trains poorly: Arjovsky et al. 2017 ` +
        "(section 3) saw the critic's training go unstable with momentum; use --beta1 0, the wgan default",
    );
  }
  if (wgan && o.optimizer === 'sgd' && o.momentum > 0) {
    warnings.push(
      `WGAN's weight clipping with SGD's momentum (momentum ${o.momentum}) trains poorly: Arjovsky et al. 2017 ` +
        "(section 3) saw the critic's training go unstable with momentum; use --momentum 0 or --optimizer adam",
    );
  }
  if (o.loss === 'wgan-gp' && o.r1 > 0) {
    warnings.push(
      `R1 (r1 ${o.r1}) together with WGAN-GP's gradient penalty pulls D's gradient towards 0 on real data and ` +
        'towards norm 1 between real and generated data at once; Gulrajani et al. 2017 use no other penalty ' +
        'on the critic: use --r1 0, the wgan-gp default',
    );
  }
  // No warning for WGAN-GP beside the DCGAN preset's batch norm in D, though Gulrajani
  // et al. 2017 (section 4) leave it out of the critic: on Fashion-MNIST (1 epoch, seed
  // 1) it reached fid10k 57.6 against the non-saturating game's 73.8.
  if (given.has('clip') && !wgan) {
    warnings.push(
      `--clip applies only to --loss wgan, and this run plays ${o.loss}: no weights are clipped` +
        (o.loss === 'wgan-gp' ? ' (Gulrajani et al. 2017 replaced clipping by the gradient penalty)' : ''),
    );
  }
  if (given.has('gpWeight') && o.loss !== 'wgan-gp') {
    warnings.push(
      `--gp-weight applies only to --loss wgan-gp, and this run plays ${o.loss}: no gradient penalty is added` +
        (wgan ? ' (use --loss wgan-gp for the penalty instead of clipping)' : ''),
    );
  }
  return warnings;
}
