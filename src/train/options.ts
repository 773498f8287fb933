// Training options: one typed object, resolved and validated once (at the CLI edge or
// when the API is called), then saved as options.json in the run directory.
import { GAMES, type GameName } from '../games/losses.js';
import { TOY_DATASETS, toyDataset } from '../data/toy.js';
import { IMAGE_DATASETS, isImageDataName } from '../data/images/index.js';
import { METRIC_NAMES } from '../metrics/registry.js';
import { CONDITIONAL_MODELS, usesLabels } from '../games/conditional.js';

export interface TrainOptions {
  /** A 2D/1D toy data set (TOY_DATASETS), an image data set (IMAGE_DATASETS) or a path to images. */
  data: string;
  /**
   * Network preset ('dcgan' for images only); 'custom' when the caller supplied G and D
   * through the API. The conditional models build on the mlp preset for toy data and
   * on dcgan for images: 'cgan' (G and D read the label), 'acgan' (D also classifies),
   * 'infogan' (latent codes learned without labels).
   */
  model: 'mlp' | 'dcgan' | 'custom' | 'cgan' | 'acgan' | 'infogan';
  /** cgan, acgan: the number of classes of the data's labels (set from the data when training starts; 0 otherwise). */
  numClasses: number;
  /** InfoGAN: values of the categorical code (default 10; toy mixtures: their number of modes). */
  infoCategories: number;
  /** InfoGAN: continuous codes, each uniform on [−1, 1]. */
  infoContinuous: number;
  /** InfoGAN: weights λ of the information term for the categorical and the continuous codes. */
  infoLambdaCat: number;
  infoLambdaCont: number;
  /** Hidden layer widths of G and D (for images: G's dense widths and D's maxout units). */
  gHidden: number[];
  dHidden: number[];
  latentDim: number;
  /** Noise prior p(z): standard normal, or uniform on [−1, 1]. */
  prior: 'normal' | 'uniform';
  loss: GameName;
  /** R1 penalty weight γ (0 = off). Default on toy data: (s/2)²/10, s = the data set's scale (see defaultR1). */
  r1: number;
  /** Apply R1 every N discriminator steps, weighted N·γ ("lazy regularization", Karras et al. 2020). */
  r1Every: number;
  /** WGAN-GP penalty weight λ. */
  gpWeight: number;
  /** WGAN weight clipping bound c. */
  clip: number;
  /** k: discriminator steps per generator step. */
  dSteps: number;
  /** Generator steps to train for (image data with epochs > 0: set from epochs when training starts). */
  steps: number;
  /** Image data: passes over the training set, each of ceil(images / batchSize) steps (0 = use steps). */
  epochs: number;
  /** Image folders: resize and centre-crop every image to size × size (0 = keep the files' size). */
  imageSize: number;
  batchSize: number;
  optimizer: 'adam' | 'sgd';
  lrG: number;
  lrD: number;
  beta1: number;
  beta2: number;
  momentum: number;
  /** Decay both learning rates linearly to this fraction of their value over the run (1 = constant). */
  lrFinal: number;
  /** EMA decay β for G's weights (0 = no average). */
  ema: number;
  seed: number;
  /** Every N steps: metrics, pictures, checkpoints (0 = only at the end). */
  evalEvery: number;
  /** Image data: the metrics (METRIC_NAMES, e.g. fid10k) computed every evalEvery steps and at the end, when evalEvery > 0. */
  evalMetrics: string[];
  plotEvery: number;
  checkpointEvery: number;
  /** Samples for the 2D metrics (protocol: 2,500). */
  evalSamples: number;
  /**
   * Jacobian-based truncation when sampling (metrics and gankit sample): drop this
   * fraction of latent points, those where G's Jacobian is largest, which are the
   * bridges between modes (src/sampling/truncation.ts). 0 = G's samples as they come.
   */
  jacobianTruncation: number;
  backend: 'auto' | 'native' | 'wasm' | 'cpu';
  out: string;
}

// The defaults aim at the README's 2D results in under two minutes on 2 cores:
// z ∈ R² (lower dimensions fit the mixtures best in our sweeps), a G deeper than D,
// lazy R1 every 16 D steps for mode coverage (its weight follows the data's scale, see
// defaultR1), D learning twice as fast as G (two time-scale rule), Adam without
// momentum (β1 = 0: on grid25 seeds 1–3, 97.5/97.4/97.6% high quality on 20,000
// samples against 97.3/97.1/96.6% at β1 = 0.5) and β2 = 0.9, learning rates decaying
// linearly to zero and a moving average of G's weights.
export const DEFAULT_OPTIONS: TrainOptions = {
  data: 'ring8',
  model: 'mlp',
  numClasses: 0,
  infoCategories: 10,
  infoContinuous: 2,
  infoLambdaCat: 1,
  infoLambdaCont: 0.1,
  gHidden: [128, 128, 128, 128],
  dHidden: [128, 128, 128],
  latentDim: 2,
  prior: 'normal',
  loss: 'nonsaturating',
  r1: 1,
  r1Every: 16,
  gpWeight: 10,
  clip: 0.01,
  dSteps: 1,
  steps: 16000,
  epochs: 0,
  imageSize: 0,
  batchSize: 256,
  optimizer: 'adam',
  lrG: 1e-3,
  lrD: 2e-3,
  beta1: 0,
  beta2: 0.9,
  momentum: 0.9,
  lrFinal: 0,
  ema: 0.99,
  seed: 1,
  evalEvery: 2000,
  evalMetrics: ['fid10k'],
  plotEvery: 2000,
  checkpointEvery: 2000,
  evalSamples: 2500,
  // 1% drops nearly only the bridges between modes: grid25's high quality rises by
  // about a point (97.5 → 98.4% on 20,000 samples) to just under real data's 98.9%.
  jacobianTruncation: 0.01,
  backend: 'auto',
  out: 'runs/latest',
};

/**
 * What changes for image data: DCGAN-28's reference settings (DESIGN.md; Radford et
 * al. 2016: Adam lr 2e-4, β1 0.5, batch 64, z ∈ R^100), constant learning rates, no
 * R1, and for the mlp preset the widths of Goodfellow et al. 2014's MNIST model. No
 * Jacobian truncation: with z ∈ R^100 it costs 200 extra passes of G per sample.
 */
export const IMAGE_DEFAULTS: Partial<TrainOptions> = {
  model: 'dcgan',
  gHidden: [1200, 1200],
  dHidden: [240, 240],
  latentDim: 100,
  r1: 0,
  epochs: 5,
  batchSize: 64,
  lrG: 2e-4,
  lrD: 2e-4,
  beta1: 0.5,
  beta2: 0.999,
  lrFinal: 1,
  ema: 0,
  jacobianTruncation: 0,
  evalEvery: 0,
  plotEvery: 200,
  checkpointEvery: 1000,
};

/**
 * InfoGAN on images: the paper's MNIST settings (Chen et al. 2016, appendix C.1): z ∈
 * R^62 beside the 12 code values, and G learning 5× faster than D (1e-3 against 2e-4).
 * With DCGAN's equal rates the categorical code stayed invisible on Fashion-MNIST (G
 * hid it in detail only Q could read: every row of the class grid alike after 1,400
 * steps), where with G's faster rate the rows were classes after 1,000.
 */
export const INFOGAN_IMAGE_DEFAULTS = { latentDim: 62, lrG: 1e-3 } satisfies Partial<TrainOptions>;

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
  const given = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<TrainOptions>;
  const toy = isToyData(given.data ?? DEFAULT_OPTIONS.data);
  const o: TrainOptions = { ...DEFAULT_OPTIONS, ...(toy ? {} : IMAGE_DEFAULTS), ...given };
  if (given.r1 === undefined && toy) o.r1 = defaultR1(o.data);
  if (o.model === 'infogan' && !toy) {
    if (given.latentDim === undefined) o.latentDim = INFOGAN_IMAGE_DEFAULTS.latentDim;
    if (given.lrG === undefined) o.lrG = INFOGAN_IMAGE_DEFAULTS.lrG;
  }
  // On a mixture, one categorical value per mode lets the code find the modes.
  if (o.model === 'infogan' && given.infoCategories === undefined && toy) o.infoCategories = toyDataset(o.data).classes ?? o.infoCategories;
  // Asking for a number of steps on image data means "not by epochs".
  if (!toy && given.steps !== undefined && given.epochs === undefined) o.epochs = 0;
  const fail = (name: string, expected: string, value: unknown) => {
    throw new Error(`Expected ${name} to be ${expected} but received ${JSON.stringify(value)}`);
  };
  const positiveInt = (name: keyof TrainOptions) => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(name, 'a positive integer', v);
  };
  const nonNegativeInt = (name: keyof TrainOptions) => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(name, 'a non-negative integer', v);
  };
  const inRange = (name: keyof TrainOptions, lo: number, hi: number, loOpen = false, hiOpen = false) => {
    const v = o[name];
    const ok = typeof v === 'number' && Number.isFinite(v) && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
    if (!ok) fail(name, `a number in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`, v);
  };
  const oneOf = (name: keyof TrainOptions, values: readonly string[]) => {
    if (!values.includes(o[name] as string)) fail(name, `one of ${values.join(', ')}`, o[name]);
  };

  if (typeof o.data !== 'string' || !(toy || isImageDataName(o.data))) {
    fail('data', `one of ${[...TOY_DATASETS, ...IMAGE_DATASETS].join(', ')} or a path to image data`, o.data);
  }
  oneOf('model', toy ? ['mlp', ...CONDITIONAL_MODELS, 'custom'] : ['dcgan', 'mlp', ...CONDITIONAL_MODELS, 'custom']);
  if (toy && usesLabels(o.model) && !toyDataset(o.data).classes) {
    throw new Error(
      `Expected labelled data for model ${o.model} (ring8 or grid25, whose points are labelled by their mode, or labelled images) ` +
        `but ${o.data} has no labels; use --model infogan, which needs none`,
    );
  }
  nonNegativeInt('numClasses');
  if (o.infoCategories < 2 || !Number.isInteger(o.infoCategories)) fail('infoCategories', 'an integer ≥ 2', o.infoCategories);
  nonNegativeInt('infoContinuous');
  inRange('infoLambdaCat', 0, Infinity);
  inRange('infoLambdaCont', 0, Infinity);
  for (const name of ['gHidden', 'dHidden'] as const) {
    const v = o[name];
    if (!Array.isArray(v) || v.length === 0 || !v.every((u) => Number.isInteger(u) && u > 0)) fail(name, 'a non-empty list of positive integers', v);
  }
  positiveInt('latentDim');
  oneOf('prior', ['normal', 'uniform']);
  oneOf('loss', GAMES);
  inRange('r1', 0, Infinity);
  positiveInt('r1Every');
  inRange('gpWeight', 0, Infinity);
  inRange('clip', 0, Infinity, true);
  positiveInt('dSteps');
  positiveInt('steps');
  nonNegativeInt('epochs');
  nonNegativeInt('imageSize');
  positiveInt('batchSize');
  oneOf('optimizer', ['adam', 'sgd']);
  inRange('lrG', 0, Infinity, true);
  inRange('lrD', 0, Infinity, true);
  inRange('beta1', 0, 1, false, true);
  inRange('beta2', 0, 1, false, true);
  inRange('momentum', 0, 1, false, true);
  inRange('lrFinal', 0, 1);
  inRange('ema', 0, 1, false, true);
  if (!Number.isInteger(o.seed)) fail('seed', 'an integer', o.seed);
  nonNegativeInt('evalEvery');
  if (!Array.isArray(o.evalMetrics) || !o.evalMetrics.every((m) => METRIC_NAMES.includes(m))) fail('evalMetrics', `a list of ${METRIC_NAMES.join(', ')}`, o.evalMetrics);
  nonNegativeInt('plotEvery');
  nonNegativeInt('checkpointEvery');
  positiveInt('evalSamples');
  inRange('jacobianTruncation', 0, 1, false, true);
  oneOf('backend', ['auto', 'native', 'wasm', 'cpu']);
  if (typeof o.out !== 'string' || o.out.length === 0) fail('out', 'a directory path', o.out);
  return o;
}
