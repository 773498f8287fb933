// One training step of the adversarial game (Goodfellow et al. 2014, Algorithm 1):
// k discriminator updates on fresh real and generated batches, then one generator
// update on the last of those generated batches, then the moving average of G. The
// run loop around it lives in trainer.ts.
// Conditional models (src/games/conditional.ts) add codes to G's input, labels to D's,
// and their auxiliary losses; every random draw comes from the run's RNG, so seeded
// runs repeat and resumed runs continue exactly.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { game, type Game } from '../games/losses.js';
import type { Codes, Conditioning, Judgement } from '../games/conditional.js';
import { r1Penalty } from '../games/penalties.js';
import { Rng } from '../rng.js';
import type { BatchSource } from '../data/batches.js';
import type { StepStats } from '../run/stats.js';
import { Optimizer } from './optimizers.js';
import { untaped } from './untaped.js';
import { readAndDispose, readTensors } from '../backend/read.js';
import type { StatisticsPrecision, WeightAverage } from './ema.js';
import type { CheckpointState } from '../run/checkpoint.js';
import type { TrainOptions } from './options.js';
import { powerIterate, spectralLayers, type SpectralLayer } from '../networks/spectral-norm.js';
import { augment } from './augment.js';

/** The seed of the noise the average's batch-norm statistics are recomputed on. */
const AVERAGE_STATISTICS_SEED = 0x5eed_b0a7;

type GanOptions = Pick<
  TrainOptions,
  | 'loss'
  | 'r1'
  | 'r1Every'
  | 'gpWeight'
  | 'clip'
  | 'dSteps'
  | 'batchSize'
  | 'latentDim'
  | 'prior'
  | 'optimizer'
  | 'lrG'
  | 'lrD'
  | 'beta1'
  | 'beta2'
  | 'momentum'
  | 'augment'
>;

export class Gan {
  readonly game: Game;
  readonly optG: Optimizer;
  readonly optD: Optimizer;
  private readonly gVars: tf.Variable[];
  private readonly dVars: tf.Variable[];
  /** The learning rates' current fraction of their configured values (scaleLearningRates). */
  private rateScale = 1;
  /** Spectrally normalised layers of G and D (often none): one power iteration before each update. */
  private readonly spectral: { generator: SpectralLayer[]; discriminator: SpectralLayer[] };

  constructor(
    readonly generator: tfl.LayersModel,
    readonly discriminator: tfl.LayersModel,
    readonly options: GanOptions,
    readonly rng: Rng,
    readonly average?: WeightAverage,
    readonly conditioning?: Conditioning,
  ) {
    this.game = game(options.loss);
    this.spectral = { generator: spectralLayers(generator), discriminator: spectralLayers(discriminator) };
    this.gVars = generator.trainableWeights.map((w) => w.read() as tf.Variable);
    this.dVars = discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
    const spec = (lr: number) => ({
      kind: options.optimizer,
      lr,
      beta1: options.beta1,
      beta2: options.beta2,
      eps: 1e-8,
      momentum: options.momentum,
    });
    this.optG = new Optimizer(spec(options.lrG), this.gVars);
    this.optD = new Optimizer(spec(options.lrD), this.dVars);
  }

  /** Draws n latent vectors from the prior with the run's RNG. */
  noise(n: number, rng: Rng = this.rng): tf.Tensor2D {
    const values = new Float32Array(n * this.options.latentDim);
    if (this.options.prior === 'uniform') rng.fillUniform(values, -1, 1);
    else rng.fillNormal(values);
    return tf.tensor2d(values, [n, this.options.latentDim]);
  }

  /** Sets both learning rates to `scale` × their configured values. */
  scaleLearningRates(scale: number): void {
    this.rateScale = scale;
    this.optG.spec.lr = this.options.lrG * scale;
    this.optD.spec.lr = this.options.lrD * scale;
  }

  /** G's input for z and, in a conditional run, the codes: z, or [z, c]. */
  generatorInput(z: tf.Tensor2D, codes?: Codes): tf.Tensor | tf.Tensor[] {
    return this.conditioning && codes ? this.conditioning.generatorInputs(z, codes) : z;
  }

  /** D on x (with the codes x came with, in a conditional run): its logit and auxiliary outputs. */
  judge(x: tf.Tensor, codes: Codes | undefined, training: boolean): Judgement {
    if (this.conditioning) return this.conditioning.judge(this.discriminator, x, codes, training);
    return { logits: this.discriminator.apply(x, { training }) as tf.Tensor };
  }

  async step(data: BatchSource): Promise<StepStats> {
    const { batchSize, dSteps } = this.options;
    const cond = this.conditioning;
    // Draws what one D step needs: a real batch (with its labels' codes) and G's input for as many examples.
    const draw = () => {
      // An epoch's last image batch may be smaller: G's batch matches it.
      const { x: real, labels } = data.batch(this.rng, batchSize);
      const n = real.shape[0];
      const realCodes = cond?.trainsOnLabels ? cond.encode(labelsOf(labels, n, cond.model)) : undefined;
      return { real, realCodes, z: this.noise(n), codes: cond?.draw(this.rng, n) };
    };
    let dResult: tf.Tensor | undefined;
    for (let k = 0; k < dSteps - 1; k++) {
      dResult?.dispose();
      dResult = tf.tidy(() => {
        const { real, realCodes, z, codes } = draw();
        const fake = this.generator.apply(this.generatorInput(z, codes), { training: true }) as tf.Tensor;
        return this.discriminatorStep(real, realCodes, fake, codes);
      });
    }
    // The last D step and the G step share one generated batch, as PyTorch's DCGAN
    // loop does: G runs once, on G's tape, and D's update runs in between with the
    // tape paused (untaped.ts). D's weights change before D judges the batch for G.
    const gResult = tf.tidy(() => {
      const { real, realCodes, z, codes } = draw();
      return this.generatorStep(z, codes, (fake) => {
        dResult?.dispose();
        dResult = tf.keep(untaped(() => tf.tidy(() => this.discriminatorStep(real, realCodes, fake, codes))));
      });
    });
    this.average?.update(this.rateScale, this.optG.steps);
    // The step's only read: its losses and D's outputs, in one transfer.
    const [dValues, gValues] = await readTensors([dResult!, gResult]).finally(() => tf.dispose([dResult!, gResult]));
    const [lossD, dReal, dFake] = dValues;
    const [g, aux] = gValues;
    return { lossD, lossG: g, dReal, dFake, ...(cond?.auxHead ? { aux } : {}) };
  }

  /** One D update on a generated batch; returns [lossD, mean σ(D(x)), mean σ(D(G(z)))]. */
  private discriminatorStep(
    real: tf.Tensor,
    realCodes: Codes | undefined,
    fake: tf.Tensor,
    fakeCodes: Codes | undefined,
  ): tf.Tensor1D {
    // DiffAugment (augment.ts): D judges transformed batches, real and generated each with its own draw, and
    // the penalties constrain D at those same inputs, the points where it is trained.
    real = augment(real, this.options.augment, this.rng);
    fake = augment(fake, this.options.augment, this.rng);
    // The penalties look at the adversarial logit; CGAN's D reads the real labels there
    // (for WGAN-GP's points between real and generated images too).
    const critic = (x: tf.Tensor) => this.judge(x, realCodes, true).logits;
    const penalty = this.game.penalty;
    const drawn = penalty?.draw(this.rng, real.shape[0]);
    // The optimizer's step count (saved in checkpoints) schedules lazy R1.
    const lazyR1 = this.options.r1 > 0 && this.optD.steps % this.options.r1Every === 0;
    powerIterate(this.spectral.discriminator); // σ's estimate for this update, the same in each of D's passes
    // Intermediate tensors die with variableGrads' scope, so D's mean outputs are kept here.
    let outputs: tf.Tensor[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const realOut = this.judge(real, realCodes, true);
      const fakeOut = this.judge(fake, fakeCodes, true);
      outputs = [tf.keep(tf.mean(tf.sigmoid(realOut.logits))), tf.keep(tf.mean(tf.sigmoid(fakeOut.logits)))];
      let loss = this.game.discriminator(realOut.logits, fakeOut.logits);
      const aux = this.conditioning?.discriminatorLoss(realOut, realCodes?.classes, fakeOut, fakeCodes!);
      if (aux) loss = tf.add(loss, aux);
      if (penalty) loss = tf.add(loss, penalty.loss(critic, real, fake, drawn!, this.options));
      if (lazyR1) loss = tf.add(loss, r1Penalty(critic, real, this.options.r1 * this.options.r1Every));
      return loss as tf.Scalar;
    }, this.dVars);
    this.optD.apply(this.dVars.map((v) => grads[v.name]));
    this.game.afterDiscriminatorUpdate?.(this.dVars, this.options);
    const result = tf.stack([value, ...outputs]) as tf.Tensor1D;
    tf.dispose(outputs);
    return result;
  }

  /**
   * One G update; returns [lossG] or, with an auxiliary loss, [lossG, aux] (lossG includes aux).
   * `beforeJudging` sees the generated batch first (the step's D update runs there).
   */
  private generatorStep(
    z: tf.Tensor2D,
    codes: Codes | undefined,
    beforeJudging: (fake: tf.Tensor) => void,
  ): tf.Tensor1D {
    let aux: tf.Scalar | undefined;
    powerIterate(this.spectral.generator);
    const { value, grads } = tf.variableGrads(() => {
      const fake = this.generator.apply(this.generatorInput(z, codes), { training: true }) as tf.Tensor;
      beforeJudging(fake);
      const judged = this.judge(augment(fake, this.options.augment, this.rng), codes, true);
      const loss = this.game.generator(judged.logits);
      const extra = this.conditioning?.generatorLoss(judged, codes!);
      if (!extra) return loss;
      aux = tf.keep(extra);
      return tf.add(loss, extra) as tf.Scalar;
    }, this.gVars);
    this.optG.apply(this.gVars.map((v) => grads[v.name]));
    const result = tf.stack(aux ? [value, aux] : [value]) as tf.Tensor1D;
    tf.dispose(aux ? [value, aux] : [value]);
    return result;
  }

  /**
   * Readies G's moving average to sample: recomputes its batch-norm statistics (ema.ts)
   * on noise from a fixed seed of its own, so the run's RNG is untouched; 'quick' ones
   * for pictures, 'exact' ones for what is measured or saved.
   */
  settleAverage(precision: StatisticsPrecision = 'exact'): void {
    const rng = new Rng(AVERAGE_STATISTICS_SEED);
    const input = (n: number) => this.generatorInput(this.noise(n, rng), this.conditioning?.draw(rng, n));
    this.average?.refreshStatistics(input, precision);
  }

  /** What a checkpoint needs besides the models; readies G's average first, since its statistics are saved with it. */
  async checkpointState(step: number): Promise<CheckpointState> {
    this.settleAverage();
    const rng = this.rng.getState();
    const [generator, discriminator] = [await this.optG.getState(), await this.optD.getState()];
    return { step, rng, optimizers: { generator, discriminator } };
  }

  dispose(): void {
    this.optG.dispose();
    this.optD.dispose();
  }
}

/** The labels of a batch of n examples, which cgan and acgan need. */
function labelsOf(labels: Int32Array | undefined, n: number, model: string): Int32Array {
  if (!labels || labels.length !== n) {
    throw new Error(
      `Expected the labels of each real batch for model ${model} but the data ` +
        `gave ${labels ? `${labels.length} for ${n} examples` : 'none'}`,
    );
  }
  return labels;
}

/**
 * n samples from a generator, in batches, as one Float32Array (n × dataDim). `noise` gives G's input for m examples:
 * z, or [z, c].
 */
export async function generate(
  model: tfl.LayersModel,
  noise: (n: number) => tf.Tensor | tf.Tensor[],
  n: number,
  batch = 1000,
): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for (let done = 0; done < n; done += batch) {
    const m = Math.min(batch, n - done);
    // The tensor leaves tidy, not its values: tidy would walk a returned array element by element.
    const t = tf.tidy(() => model.apply(noise(m), { training: false }) as tf.Tensor);
    parts.push(await readAndDispose(t));
  }
  const size = parts.reduce((a, p) => a + p.length, 0);
  const out = new Float32Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
