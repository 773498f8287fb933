// Training options: one table (OPTIONS) gives every option its default, its check, its
// command-line flag and its help, so the library and the CLI cannot disagree. Options
// are resolved and validated once (resolveOptions), completed from the data by the
// plan (plan.ts), frozen and saved as options.json in the run directory.
// Longer than 300 lines because it is one table of every option: split, it would be
// several places to look for one.
import { GAMES } from '../games/losses.js';
import { recipeFor, recipeNote } from '../games/recipes.js';
import { CONDITIONAL_MODELS, conditionalModel, usesLabels, type ConditioningOptions } from '../games/conditional.js';
import type { GameOptions } from '../games/options.js';
import { TOY_DATASETS, toyDataset } from '../data/toy.js';
import { IMAGE_DATASETS, isImageDataName } from '../data/images/index.js';
import type { DataOptions } from '../data/options.js';
import { SPECTRAL_NORM_CHOICES, type NetworkOptions } from '../networks/options.js';
import { METRIC_NAMES } from '../metrics/registry.js';
import type { EvalOptions } from '../metrics/options.js';
import { BACKENDS } from '../backend/index.js';
import type { OptimizerOptions } from './optimizers.js';
import { AUGMENTATIONS, type AugmentOptions } from './augment.js';
import * as v from './option-values.js';
import {
  DEFAULT_IMAGE_RECIPE,
  IMAGE_RECIPES,
  imageRecipeNote,
  RECIPE_NAMES,
  recipeSettings,
  type RecipeOptions,
} from './recipes.js';
import { didYouMean } from '../suggest.js';

/** How long a run trains, how often it reports, and where it lives. */
export interface ScheduleOptions {
  /** Generator steps to train for (image data with epochs > 0: set from epochs by the plan). */
  steps: number;
  /** Image data: passes over the training set, each of ceil(images / batchSize) steps (0 = use steps). */
  epochs: number;
  seed: number;
  /** Steps between pictures and between checkpoints (0 = only at the end). */
  plotEvery: number;
  checkpointEvery: number;
  /** 1D/2D data: seconds between rewrites of live.json, the dashboard's picture of the game (0 = never; live.ts). */
  liveEvery: number;
  /** Divergence: roll back to the last checkpoint with halved learning rates at most this many times (recovery.ts). */
  recover: number;
  backend: 'auto' | 'native' | 'wasm' | 'cpu';
  /** The run directory. */
  out: string;
}

/** Every setting of a run: the subsystems' options together. options.json holds them flat. */
export type TrainOptions = DataOptions &
  NetworkOptions &
  ConditioningOptions &
  GameOptions &
  OptimizerOptions &
  AugmentOptions &
  EvalOptions &
  RecipeOptions &
  ScheduleOptions;

type Name = keyof TrainOptions;

export interface OptionRow<K extends Name = Name> {
  name: K;
  /** The command-line flag with its argument, e.g. '--lr-g <rate>'; none for options the plan sets. */
  flag?: string;
  type: v.ValueType;
  /** The default on toy data, and on image data when it differs there. */
  default: TrainOptions[K];
  images?: TrainOptions[K];
  help: string;
  /** Says where the default comes from when a rule after resolveOptions's table sets it. */
  defaultNote?: string;
  /** Shown in --help instead of `default` when a rule always replaces it on toy data. */
  defaultShown?: string;
}

const row = <K extends Name>(r: OptionRow<K>): OptionRow => r as unknown as OptionRow;

/** Notes on a default, those that apply, joined. */
const notes = (...parts: (string | undefined)[]) => parts.filter(Boolean).join('; ') || undefined;

/** The data option's type: a known data set's name, or a path to image data. */
const dataName: v.ValueType<string> = {
  expected: `one of ${[...TOY_DATASETS, ...IMAGE_DATASETS].join(', ')} or a path to image data`,
  flagExpected: 'a data set name or a path',
  accepts: (x) => typeof x === 'string' && (TOY_DATASETS.includes(x as never) || isImageDataName(x)),
  parse: (text) => text,
  names: [...TOY_DATASETS, ...IMAGE_DATASETS],
};

/** --eval-metrics: metric names, or "none" (the empty list: no evaluation, not even the final one). */
const metricList: v.ValueType<string[]> = (() => {
  const names = v.namesFrom(METRIC_NAMES);
  const flagExpected = `${names.flagExpected}, or none`;
  const parse = (text: string) => {
    if (text.trim() === 'none') return [];
    const list = names.parse(text);
    if (list.length === 0) throw new Error(`Expected ${flagExpected} but received "${text}".`);
    return list;
  };
  return { ...names, expected: `${names.expected} (empty: none)`, flagExpected, parse };
})();

/** --augment: DiffAugment's transforms, or "none" (also written as nothing: the empty list). */
const augmentList: v.ValueType<string[]> = (() => {
  const names = v.namesFrom(AUGMENTATIONS);
  const flagExpected = `${names.flagExpected}, or none`;
  const parse = (text: string) => {
    if (text.trim() === 'none') return [];
    const list = text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const unknown = list.find((name) => !(AUGMENTATIONS as readonly string[]).includes(name));
    if (unknown !== undefined)
      throw new Error(`Expected ${flagExpected} but received "${text}".${didYouMean(unknown, AUGMENTATIONS)}`);
    return list;
  };
  return { ...names, expected: `${names.expected} (empty: none)`, flagExpected, parse };
})();

const MODELS = ['mlp', 'dcgan', ...CONDITIONAL_MODELS, 'custom'] as const;

// The defaults aim at the README's 2D results in under two minutes on 2 cores:
// z ∈ R² (lower dimensions fit the mixtures best in our sweeps), a G deeper than D,
// lazy R1 every 16 D steps for mode coverage (its weight follows the data's scale, see
// defaultR1), D learning twice as fast as G (two time-scale rule), Adam without
// momentum (β1 = 0: on grid25 seeds 1–3, 97.5/97.4/97.6% high quality on 20,000
// samples against 97.3/97.1/96.6% at β1 = 0.5) and β2 = 0.9, learning rates decaying
// linearly to zero and a moving average of G's weights.
// Images take DCGAN-28's reference settings (docs/design.md; Radford et al. 2016: Adam
// lr 2e-4, β1 0.5, batch 64, z ∈ R^100), constant learning rates, no R1, and for the
// mlp preset the widths of Goodfellow et al. 2014's MNIST model. No Jacobian
// truncation on images: with z ∈ R^100 it costs 200 extra passes of G per sample.
export const OPTIONS: readonly OptionRow[] = [
  // data (src/data)
  row({
    name: 'data',
    flag: '--data <name|path>',
    type: dataName,
    default: 'ring8',
    help:
      `data: ${TOY_DATASETS.join(', ')} (2D/1D toy data); ${IMAGE_DATASETS.join(', ')} (images, found on disk ` +
      'or downloaded); or a path to a folder of IDX files, CIFAR-10 batches or PNG/JPEG images, or an .npy file',
  }),
  row({
    name: 'imageSize',
    flag: '--size <pixels>',
    type: v.nonNegativeInt,
    default: 0,
    help: 'image folders: resize and centre-crop every image to size × size (0 = keep the size)',
  }),
  row({
    name: 'batchSize',
    flag: '--batch-size <n>',
    type: v.positiveInt,
    default: 256,
    images: 64,
    defaultNote: imageRecipeNote('batchSize'),
    help: 'examples per batch',
  }),
  // a named image recipe (src/train/recipes.ts)
  row({
    name: 'recipe',
    flag: '--recipe <name>',
    type: v.oneOf(['none', ...RECIPE_NAMES]),
    default: 'none',
    images: DEFAULT_IMAGE_RECIPE,
    defaultNote: 'images with any --model given: dcgan, the image defaults',
    help:
      'images: named training settings, for the options not given: ' +
      Object.entries(IMAGE_RECIPES)
        .map(([name, r]) => `${name} (${r.source})`)
        .join(', ') +
      '; none on toy data',
  }),
  // networks (src/networks) and conditional models (src/games/conditional.ts)
  row({
    name: 'model',
    flag: '--model <preset>',
    type: v.oneOf(MODELS),
    default: 'mlp',
    images: 'dcgan',
    help:
      'network preset (dcgan: images only). Conditional: cgan (G and D read the label), acgan (D also ' +
      'classifies), infogan (codes learned without labels); they build on mlp for toy data and on dcgan for ' +
      'images, and cgan/acgan need labelled data (ring8, grid25, labelled images)',
  }),
  row({
    name: 'numClasses',
    type: v.nonNegativeInt,
    default: 0,
    help: "cgan, acgan: the number of classes of the data's labels (set from the data by the plan; 0 otherwise)",
  }),
  row({
    name: 'infoCategories',
    flag: '--info-categories <n>',
    type: v.atLeast(2),
    default: 10,
    help: 'infogan: values of the categorical code',
    defaultNote: 'ring8, grid25: their number of modes',
  }),
  row({
    name: 'infoContinuous',
    flag: '--info-continuous <n>',
    type: v.nonNegativeInt,
    default: 2,
    help: 'infogan: continuous codes, each uniform on [−1, 1]',
  }),
  row({
    name: 'infoLambdaCat',
    flag: '--info-lambda-cat <lambda>',
    type: v.nonNegativeNumber,
    default: 1,
    help: "infogan: weight λ of the categorical code's information term",
  }),
  row({
    name: 'infoLambdaCont',
    flag: '--info-lambda-cont <lambda>',
    type: v.nonNegativeNumber,
    default: 0.1,
    help: "infogan: weight λ of the continuous codes' information term",
  }),
  row({
    name: 'gHidden',
    flag: '--g-hidden <units>',
    type: v.intList,
    default: [128, 128, 128, 128],
    images: [1200, 1200],
    help: "G's hidden layer widths (mlp preset)",
  }),
  row({
    name: 'dHidden',
    flag: '--d-hidden <units>',
    type: v.intList,
    default: [128, 128, 128],
    images: [240, 240],
    help: "D's hidden layer widths (mlp preset; maxout units on images)",
  }),
  row({
    name: 'latentDim',
    flag: '--latent-dim <n>',
    type: v.positiveInt,
    default: 2,
    images: 100,
    help: 'dimension of z',
    defaultNote: "infogan on images: 62, the paper's",
  }),
  row({
    name: 'prior',
    flag: '--prior <p>',
    type: v.oneOf(['normal', 'uniform'] as const),
    default: 'normal',
    help: 'noise prior p(z): normal N(0, I) or uniform on [−1, 1]',
  }),
  row({
    name: 'spectralNorm',
    flag: '--spectral-norm <which>',
    type: v.oneOf(SPECTRAL_NORM_CHOICES),
    default: 'none',
    defaultNote: imageRecipeNote('spectralNorm'),
    help:
      "spectral normalisation of D's, G's or both players' dense and convolutional layers (Miyato et al. 2018, " +
      '"Spectral Normalization for Generative Adversarial Networks", ICLR): each kernel is divided by its largest ' +
      'singular value, estimated by one power iteration per step; a normalised D leaves out its batch norm, as ' +
      "SNGAN's does. Every preset (mlp, dcgan, cgan's projection D with its class embedding, acgan, infogan)",
  }),
  row({
    name: 'gExtraConvs',
    flag: '--g-extra-convs <n>',
    type: v.nonNegativeInt,
    default: 0,
    defaultNote: imageRecipeNote('gExtraConvs'),
    help:
      '3×3 convolutions (with batch norm and ReLU) that a DCGAN-based G adds after each upsampling block but the ' +
      "last, refining each resolution as ProGAN's G does (Karras et al. 2018); 0 is DCGAN (dcgan, cgan, acgan, " +
      'infogan on images)',
  }),
  // the game (src/games)
  row({
    name: 'loss',
    flag: '--loss <game>',
    type: v.oneOf(GAMES),
    default: 'nonsaturating',
    defaultNote: imageRecipeNote('loss'),
    help: 'the game the players play (their losses)',
  }),
  row({
    name: 'r1',
    flag: '--r1 <gamma>',
    type: v.nonNegativeNumber,
    default: 1,
    images: 0,
    help: 'R1 gradient penalty weight γ on real data (0 = off)',
    defaultNote: recipeNote('r1'),
    defaultShown: "(s/2)²/10, s = the data's mode spacing: 0.1 on grid25, 0.015 on ring8",
  }),
  row({
    name: 'r1Every',
    flag: '--r1-every <n>',
    type: v.positiveInt,
    default: 16,
    help: 'apply R1 every n D steps with weight n·γ (lazy regularization)',
  }),
  row({
    name: 'gpWeight',
    flag: '--gp-weight <lambda>',
    type: v.nonNegativeNumber,
    default: 10,
    defaultNote: notes(recipeNote('gpWeight'), 'applies to --loss wgan-gp only'),
    help: 'WGAN-GP penalty weight λ',
  }),
  row({
    name: 'clip',
    flag: '--clip <c>',
    type: v.positiveNumber,
    default: 0.01,
    // A note keeps the flag unset unless given, so a run can tell a --clip the user asked for.
    defaultNote: notes(recipeNote('clip'), 'applies to --loss wgan only'),
    help: 'WGAN weight clipping bound',
  }),
  row({
    name: 'dSteps',
    flag: '--k <n>',
    type: v.positiveInt,
    default: 1,
    defaultNote: notes(recipeNote('dSteps'), imageRecipeNote('dSteps')),
    help: 'discriminator steps per generator step',
  }),
  // what D sees (src/train/augment.ts)
  row({
    name: 'augment',
    flag: '--augment <list>',
    type: augmentList,
    default: [],
    defaultShown: 'none',
    help:
      'images: DiffAugment (Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient GAN Training"): ' +
      "random differentiable transforms of every batch D judges, real and generated, in both players' steps; " +
      'from color (brightness, saturation, contrast), translation (up to 1/8 of the side), cutout (a square of ' +
      'half the side), comma-separated (the paper: color,translation,cutout), or none',
  }),
  // optimizers (src/train/optimizers.ts)
  row({
    name: 'optimizer',
    flag: '--optimizer <rule>',
    type: v.oneOf(['adam', 'sgd'] as const),
    default: 'adam',
    defaultNote: recipeNote('optimizer'),
    help: 'update rule',
  }),
  row({
    name: 'lrG',
    flag: '--lr-g <rate>',
    type: v.positiveNumber,
    default: 1e-3,
    images: 2e-4,
    help: 'generator learning rate',
    defaultNote: notes(recipeNote('lrG'), imageRecipeNote('lrG'), "infogan on images: 1e-3, the paper's"),
  }),
  row({
    name: 'lrD',
    flag: '--lr-d <rate>',
    type: v.positiveNumber,
    default: 2e-3,
    images: 2e-4,
    defaultNote: notes(recipeNote('lrD'), imageRecipeNote('lrD')),
    help: 'discriminator learning rate',
  }),
  row({
    name: 'lrFinal',
    flag: '--lr-final <fraction>',
    type: v.unitInterval,
    default: 0,
    images: 1,
    help: 'decay learning rates linearly to this fraction by the last step',
  }),
  row({
    name: 'beta1',
    flag: '--beta1 <b>',
    type: v.fraction,
    default: 0,
    images: 0.5,
    defaultNote: notes(recipeNote('beta1'), imageRecipeNote('beta1')),
    help: 'Adam β1',
  }),
  row({
    name: 'beta2',
    flag: '--beta2 <b>',
    type: v.fraction,
    default: 0.9,
    images: 0.999,
    defaultNote: notes(recipeNote('beta2'), imageRecipeNote('beta2')),
    help: 'Adam β2',
  }),
  row({ name: 'momentum', flag: '--momentum <m>', type: v.fraction, default: 0.9, help: 'SGD momentum' }),
  row({
    name: 'ema',
    flag: '--ema <beta>',
    type: v.fraction,
    default: 0.99,
    images: 0,
    defaultNote: imageRecipeNote('ema'),
    help:
      "moving average of G's weights (0 = off), warming up as (1 + t)/(10 + t); sampling, metrics and export use " +
      "it, with batch-norm statistics recomputed from the average's own activations",
  }),
  // the schedule
  row({
    name: 'steps',
    flag: '--steps <n>',
    type: v.positiveInt,
    default: 16000,
    help: 'generator steps',
    defaultNote: 'images: from --epochs',
  }),
  row({
    name: 'epochs',
    flag: '--epochs <n>',
    type: v.nonNegativeInt,
    default: 0,
    images: 5,
    help: 'image data: passes over the training set (--steps counts steps instead)',
  }),
  row({
    name: 'seed',
    flag: '--seed <n>',
    type: v.integer,
    default: 1,
    help: 'random seed: the same seed gives the same run on a given backend',
  }),
  row({
    name: 'plotEvery',
    flag: '--plot-every <n>',
    type: v.nonNegativeInt,
    default: 2000,
    images: 200,
    help: 'steps between pictures (0 = end only)',
  }),
  row({
    name: 'checkpointEvery',
    flag: '--checkpoint-every <n>',
    type: v.nonNegativeInt,
    default: 2000,
    images: 1000,
    help: 'steps between checkpoints (0 = end only)',
  }),
  row({
    name: 'liveEvery',
    flag: '--live-every <seconds>',
    type: v.offOrAtLeast(1),
    default: 1,
    help:
      "1D/2D data: seconds between rewrites of live.json, the dashboard's picture of the game (0 = never; image " +
      'runs write none)',
  }),
  row({
    name: 'recover',
    flag: '--recover <n>',
    type: v.nonNegativeInt,
    default: 3,
    help:
      'when the losses become NaN/∞ or explode, roll back to the last checkpoint and halve both learning rates, at ' +
      'most n times (0 = stop at once)',
  }),
  row({
    name: 'backend',
    flag: '--backend <name>',
    type: v.oneOf(['auto', ...BACKENDS] as const),
    default: 'auto',
    help: 'tfjs backend',
  }),
  row({
    name: 'out',
    flag: '--out <dir>',
    type: v.nonEmptyText,
    default: 'runs/latest',
    help: 'run directory',
    defaultNote: 'the CLI: runs/<data>-<time>',
  }),
  // measuring (src/metrics)
  row({
    name: 'evalEvery',
    flag: '--eval-every <n>',
    type: v.nonNegativeInt,
    default: 2000,
    images: 0,
    help: 'steps between metric evaluations (0 = only at the end): the toy-data metrics, or for images --eval-metrics',
  }),
  row({
    name: 'evalMetrics',
    flag: '--eval-metrics <list>',
    type: metricList,
    default: ['fid10k'],
    help:
      'images: metrics computed at the end of the run and every --eval-every steps (see gankit eval --help); ' +
      '"none" skips them, the final evaluation included',
  }),
  row({
    name: 'evalSamples',
    flag: '--eval-samples <n>',
    type: v.positiveInt,
    default: 2500,
    help: 'samples for the toy-data metrics (2D: the mode metrics; 1D: the distances, with as many real points)',
  }),
  // 1% drops nearly only the bridges between modes: grid25's high quality rises by
  // about a point (97.5 → 98.4% on 20,000 samples) to just under real data's 98.9%.
  row({
    name: 'jacobianTruncation',
    flag: '--jacobian-truncation <ratio>',
    type: v.fraction,
    default: 0.01,
    images: 0,
    help:
      "sample without this fraction of latent points, those where G's Jacobian is largest: the bridges between " +
      "modes (Tanielian et al. 2020); metrics.json also gives G's own samples' metrics",
  }),
];

const defaults = (images: boolean) =>
  Object.fromEntries(
    OPTIONS.map((r) => [r.name, images && r.images !== undefined ? r.images : r.default]),
  ) as unknown as TrainOptions;

/** The defaults on toy data. */
export const DEFAULT_OPTIONS: TrainOptions = defaults(false);
/** What changes for image data. */
export const IMAGE_DEFAULTS: Partial<TrainOptions> = Object.fromEntries(
  OPTIONS.filter((r) => r.images !== undefined).map((r) => [r.name, r.images]),
);

/** True for toy data (2D mixtures, 1D Gaussian); false for image data sets and paths. */
export function isToyData(data: string): boolean {
  return TOY_DATASETS.includes(data as never);
}

/**
 * R1's default weight for a data set. The penalty E‖∇ₓD‖² has units of 1/x², so a
 * weight that suits one data scale smooths D too much at a smaller one: γ = (s/2)²/10
 * with s the distance between neighbouring modes gives 0.1 on grid25 (s = 2) and
 * 0.015 on ring8 (s = 0.77), whose modes are 4× tighter. The tenth is measured: at
 * (s/2)² D stayed smooth around each mode and G's stray samples between modes got
 * little push (grid25 high quality 95.6–97.0% over seeds 1–3, against 97.1–97.6% on
 * 20,000 samples at a tenth, with the other defaults of this file).
 */
export function defaultR1(data: string): number {
  return (toyDataset(data).scale / 2) ** 2 / 10;
}

/** Fills in defaults and checks every field; throws "Expected … but received …". */
export function resolveOptions(partial: Partial<TrainOptions>): TrainOptions {
  const given = Object.fromEntries(Object.entries(partial).filter(([, x]) => x !== undefined)) as Partial<TrainOptions>;
  const toy = isToyData(given.data ?? DEFAULT_OPTIONS.data);
  // Images: the named recipe's settings (src/train/recipes.ts) replace the image defaults;
  // a --model given alone (dcgan: DCGAN-28 as published; the conditional models, whose
  // numbers were measured so) takes the image defaults, the dcgan recipe. Then each game's
  // recommended settings (src/games/recipes.ts) replace those; the user's win.
  const recipeName = given.recipe ?? (toy ? 'none' : given.model !== undefined ? 'dcgan' : DEFAULT_IMAGE_RECIPE);
  const named = (['none', ...RECIPE_NAMES] as string[]).includes(recipeName) ? recipeSettings(recipeName) : {};
  const loss = given.loss ?? named.loss ?? DEFAULT_OPTIONS.loss;
  const scale = toy ? toyDataset(given.data ?? DEFAULT_OPTIONS.data).scale : undefined;
  const recipe = (GAMES as readonly string[]).includes(loss) ? recipeFor(loss, scale) : {};
  const o: TrainOptions = { ...defaults(!toy), recipe: recipeName, ...named, ...recipe, ...given };
  const check = (r: OptionRow) => {
    if (!r.type.accepts(o[r.name])) {
      throw new Error(
        `Expected ${r.name} to be ${r.type.expected} but received ${JSON.stringify(o[r.name])}.` +
          v.suggestFor(r.type, o[r.name]),
      );
    }
  };
  const rowOf = (name: Name) => OPTIONS.find((r) => r.name === name)!;
  check(rowOf('data'));

  // Defaults that follow from other options.
  if (given.r1 === undefined && recipe.r1 === undefined && toy) o.r1 = defaultR1(o.data);
  // A conditional model's paper may set its own image defaults (InfoGAN's z ∈ R^62).
  const imageDefaults = conditionalModel(o.model)?.imageDefaults ?? {};
  for (const [name, value] of Object.entries(imageDefaults) as [Name, never][]) {
    if (!toy && given[name] === undefined) o[name] = value;
  }
  // On a mixture, one categorical code value per mode lets InfoGAN's code find the modes.
  if (conditionalModel(o.model)?.trainsOn === 'codes' && given.infoCategories === undefined && toy) {
    o.infoCategories = toyDataset(o.data).classes ?? o.infoCategories;
  }
  // Asking for a number of steps on image data means "not by epochs".
  if (!toy && given.steps !== undefined && given.epochs === undefined) o.epochs = 0;

  // Rules that involve several options.
  if (toy && o.model === 'dcgan') {
    throw new Error(
      `Expected model to be one of ${MODELS.filter((m) => m !== 'dcgan').join(', ')} but received "dcgan"`,
    );
  }
  check(rowOf('model'));
  check(rowOf('recipe'));
  if (toy && o.recipe !== 'none') {
    throw new Error(
      `Expected image data for --recipe (the recipes are image training settings) but ${o.data} is ` +
        `${toyDataset(o.data).dim}D points; leave --recipe out: toy data has its own measured defaults`,
    );
  }
  check(rowOf('gExtraConvs'));
  if (o.gExtraConvs > 0 && (toy || o.model === 'mlp' || o.model === 'custom')) {
    // A recipe's setting only concerns the DCGAN-based G; asked for by name elsewhere it is refused.
    if (given.gExtraConvs === undefined) o.gExtraConvs = 0;
    else
      throw new Error(
        `Expected --g-extra-convs with a DCGAN-based G (image data, --model dcgan, cgan, acgan or infogan) but ` +
          `received ${o.gExtraConvs} for ${toy ? `${o.data} (points)` : `--model ${o.model}`}; leave it out`,
      );
  }
  check(rowOf('augment'));
  if (toy && o.augment.length > 0) {
    throw new Error(
      `Expected image data for --augment (DiffAugment transforms images) but ${o.data} is ` +
        `${toyDataset(o.data).dim}D points; leave --augment out (or set it to none)`,
    );
  }
  if (toy && usesLabels(o.model) && !toyDataset(o.data).classes) {
    throw new Error(
      `Expected labelled data for model ${o.model} (ring8 or grid25, whose points are labelled by their mode, ` +
        `or labelled images) but ${o.data} has no labels; use --model infogan, which needs none`,
    );
  }
  for (const r of OPTIONS) check(r);
  return o;
}
