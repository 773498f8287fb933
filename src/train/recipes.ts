// Named training recipes for images: the settings a paper trained its image GANs with,
// one row per recipe citing it. `--recipe NAME` takes a row's settings for the options
// the user left unset; options given on the command line win, and a game's own settings
// (src/games/recipes.ts, e.g. WGAN's β1 = 0) still apply on top of the row. Which one is
// the default on images was measured (README "Image recipes").
import type { DataOptions } from '../data/options.js';
import type { GameOptions } from '../games/options.js';
import type { NetworkOptions } from '../networks/options.js';
import type { AugmentOptions } from './augment.js';
import type { OptimizerOptions } from './optimizers.js';

/** What a recipe may set, named as the run's options name them. */
export type RecipeSettings = Partial<
  Pick<NetworkOptions, 'spectralNorm' | 'gExtraConvs'> &
    Pick<GameOptions, 'loss' | 'dSteps'> &
    Pick<OptimizerOptions, 'lrG' | 'lrD' | 'beta1' | 'beta2' | 'lrFinal' | 'ema'> &
    Pick<DataOptions, 'batchSize'> &
    AugmentOptions
>;

export interface ImageRecipe {
  /** Where the values come from, as --help cites it. */
  source: string;
  settings: RecipeSettings;
}

export const IMAGE_RECIPES = {
  // Radford et al. 2016 as docs/design.md's DCGAN-28 has it (Adam 2e-4, β1 0.5, batch
  // norm in both players): the image defaults of the option table (options.ts), so the
  // row adds nothing.
  dcgan: { source: 'Radford et al. 2016', settings: {} },
  // The two time-scale update rule (Heusel et al. 2017): D learns faster than G, which
  // converges to a local Nash equilibrium. The rates and Adam's betas are those of
  // SAGAN (Zhang et al. 2019, section 5), which made TTUR the common image setting.
  ttur: {
    source: 'Heusel et al. 2017, with the rates of Zhang et al. 2019',
    settings: { lrD: 4e-4, lrG: 1e-4, beta1: 0, beta2: 0.9 },
  },
  // Miyato et al. 2018: spectral normalisation in D (which then has no batch norm), the
  // hinge loss of their best results, and their "setting C" of Adam (α 2e-4, β1 0.5,
  // β2 0.999, one D step per G step: the DCGAN-like setting in which SN stayed strong).
  sngan: {
    source: 'Miyato et al. 2018',
    settings: { spectralNorm: 'd', loss: 'hinge', lrD: 2e-4, lrG: 2e-4, beta1: 0.5, beta2: 0.999, dSteps: 1 },
  },
  // Measured here (README "Image recipes"): DCGAN-28 as published trains slowly at 2e-4;
  // at 4e-4 for both players, with a 0.999 moving average of G (warming up, its batch-norm
  // statistics recomputed: train/ema.ts), fid10k after 5 epochs of Fashion-MNIST went from
  // 22.7 to 16.9 (seed 1) and from 24.1 to 17.3 (seed 2); the average's update is its only
  // extra cost per step. Tried and worse within 5 epochs (seed 1,
  // fid10k): SN in D at 2e-4 with the average 32.6; rates decaying to 0 with a 0.99 average
  // 35.2 (2e-4) and 22.4 (4e-4); SAGAN's TTUR with hinge 146 after 2 epochs.
  'dcgan-ema': {
    source: 'measured on Fashion-MNIST, see src/train/recipes.ts',
    settings: { lrG: 4e-4, lrD: 4e-4, ema: 0.999 },
  },
  // Measured here (README "Image recipes"): within 5 epochs the number of updates decides,
  // so batches of 32 (twice the updates per epoch for 1.3× the time: small batches use the
  // cores less well), fast rates (1.6e-3 for both players, 8× DCGAN's), the hinge loss
  // (Lim & Ye 2017; Miyato et al. 2018) with Adam β1 0, β2 0.99 (Karras et al. 2020,
  // StyleGAN2), dcgan-ema's average of G, and a 3×3 convolution that refines G's 14×14
  // features before the last upsampling (ProGAN's per-resolution convolutions, Karras et
  // al. 2018). Fashion-MNIST, 5 epochs, fid10k of seed 1:
  // dcgan-ema 16.9; batches of 32 14.1; rates 8e-4 13.2; hinge 12.6; β 0/0.99 12.2; rates
  // 1.2e-3 11.4; 1.6e-3 11.1, seed 2 11.6 (11.2 and 11.4 once the average's
  // statistics took 64 batches, train/ema.ts); then a 3×3 convolution in G after its 14×14
  // upsampling (gExtraConvs 1, networks/dcgan.ts): this row, 9.5 and 9.2. Batches of 16 gained nothing
  // (12.1 and 12.0 at rates 1.2e-3), nor did twice the widths (epoch 2: 18.5 against 20.1,
  // at 3× the time), a D twice as wide (11.8, 12.0), G's rate at 2.4e-3 (11.4, 11.5) or
  // rates decaying to 0 (14.3).
  'dcgan-fast': {
    source: 'measured on Fashion-MNIST, see src/train/recipes.ts',
    settings: {
      batchSize: 32,
      lrG: 1.6e-3,
      lrD: 1.6e-3,
      loss: 'hinge',
      beta1: 0,
      beta2: 0.99,
      ema: 0.999,
      gExtraConvs: 1,
    },
  },
} satisfies Record<string, ImageRecipe>;

export type RecipeName = keyof typeof IMAGE_RECIPES;
export const RECIPE_NAMES = Object.keys(IMAGE_RECIPES) as RecipeName[];

export interface RecipeOptions {
  /** The named image recipe the run took its defaults from ('none' on toy data). */
  recipe: RecipeName | 'none';
}

/** The settings of the run's recipe ('none': nothing). */
export function recipeSettings(name: RecipeName | 'none'): RecipeSettings {
  return name === 'none' ? {} : IMAGE_RECIPES[name].settings;
}

/**
 * The recipe an image run takes when neither --recipe nor --model is given: the one that
 * measured best on Fashion-MNIST after 5 epochs (README "Image recipes"). A --model given
 * alone takes the dcgan recipe: DCGAN-28 as published stays the reference, and the
 * conditional models keep the settings their README numbers were measured with.
 */
export const DEFAULT_IMAGE_RECIPE: RecipeName = 'dcgan-fast';

/** For --help: which recipes set `setting` and to what, e.g. "--recipe ttur: 0.0004, --recipe sngan: 0.0002". */
export function imageRecipeNote(setting: keyof RecipeSettings): string | undefined {
  const parts = Object.entries(IMAGE_RECIPES).flatMap(([name, row]) => {
    const value = (row.settings as RecipeSettings)[setting];
    return value === undefined ? [] : [`--recipe ${name}: ${value}`];
  });
  return parts.length > 0 ? parts.join(', ') : undefined;
}
