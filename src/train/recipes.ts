// Named training recipes for images: the settings a paper trained its image GANs with,
// one row per recipe citing it. `--recipe NAME` takes a row's settings for the options
// the user left unset; options given on the command line win, and a game's own settings
// (src/games/recipes.ts, e.g. WGAN's β1 = 0) still apply on top of the row. Which one is
// the default on images was measured (README "Image recipes").
import type { GameOptions } from '../games/options.js';
import type { NetworkOptions } from '../networks/options.js';
import type { AugmentOptions } from './augment.js';
import type { OptimizerOptions } from './optimizers.js';

/** What a recipe may set, named as the run's options name them. */
export type RecipeSettings = Partial<
  Pick<NetworkOptions, 'spectralNorm'> &
    Pick<GameOptions, 'loss' | 'dSteps'> &
    Pick<OptimizerOptions, 'lrG' | 'lrD' | 'beta1' | 'beta2' | 'lrFinal' | 'ema'> &
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
 * The recipe an image run takes when --recipe is not given. DCGAN's until another one
 * measures better on Fashion-MNIST at the same cost (README "Image recipes").
 */
export const DEFAULT_IMAGE_RECIPE: RecipeName = 'dcgan';

/** For --help: which recipes set `setting` and to what, e.g. "ttur: 0.0004 (Heusel et al. 2017, …)". */
export function imageRecipeNote(setting: keyof RecipeSettings): string | undefined {
  const parts = Object.entries(IMAGE_RECIPES).flatMap(([name, row]) => {
    const value = (row.settings as RecipeSettings)[setting];
    return value === undefined ? [] : [`--recipe ${name}: ${value}`];
  });
  return parts.length > 0 ? parts.join(', ') : undefined;
}
