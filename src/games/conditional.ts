// Conditional games: what G gets besides z, how D is asked, and the auxiliary losses.
// One row per model (CONDITIONAL_MODEL_TABLE) declares what it trains on, what D reads,
// D's auxiliary head and the extra losses; one object per run (Conditioning) answers the
// training step from its row. Unconditional runs have none.
// - cgan (Mirza & Osindero 2014): G(z, y) and D(x, y), y one-hot; no extra loss.
// - acgan (Odena et al. 2017): G(z, y); D(x) also predicts the class. D minimises the
//   class cross-entropy on real and generated images, G on its own (the paper's L_C,
//   which both players maximise as a log-likelihood).
// - infogan (Chen et al. 2016): G(z, c), c = a categorical code (one-hot) and continuous
//   codes ~ U(−1, 1); a Q head on D's body predicts c from G(z, c). The loss
//   λ_cat·CE(Q_cat, c_cat) + λ_cont·Σ_j ½(μ_j − c_j)² is −λ·L_I up to constants: the
//   negated variational lower bound on the mutual information I(c; G(z, c)), with a
//   fixed-variance (σ = 1) Gaussian for the continuous codes. It is added to both D's
//   loss (training Q and the body it shares with D) and G's, as the authors' code
//   does. No labels are used.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';

export interface ConditionalModelRow {
  /** The data's labels (cgan, acgan), or codes G draws for itself and Q learns to read (infogan). */
  trainsOn: 'labels' | 'codes';
  /** Whether D reads the label beside x (cgan) or x alone. */
  discriminatorReadsLabel: boolean;
  /** D's outputs after its logit: class logits (acgan), Q's code estimates (infogan), or none. */
  auxHead?: 'classes' | 'code';
  /** What the auxiliary loss is, for the curves' legend. */
  auxLoss?: string;
  /** D's extra loss; G's. */
  discriminatorLoss?(
    c: Conditioning,
    real: Judgement,
    realLabels: Int32Array | undefined,
    fake: Judgement,
    fakeCodes: Codes,
  ): tf.Scalar;
  generatorLoss?(c: Conditioning, fake: Judgement, codes: Codes): tf.Scalar;
  /** Settings from the model's paper that replace the image defaults (when the user left them out). */
  imageDefaults?: { latentDim?: number; lrG?: number };
}

export const CONDITIONAL_MODEL_TABLE = {
  // Mirza & Osindero 2014: G(z, y) and D(x, y).
  cgan: { trainsOn: 'labels', discriminatorReadsLabel: true },
  // Odena et al. 2017: D(x) also predicts the class; both players minimise its cross-entropy.
  acgan: {
    trainsOn: 'labels',
    discriminatorReadsLabel: false,
    auxHead: 'classes',
    auxLoss: 'class cross-entropy',
    discriminatorLoss(c, real, realLabels, fake, fakeCodes) {
      if (!realLabels) throw new Error(`Expected the real batch's labels for model acgan but received none`);
      return tf.add(
        classLoss(real.aux!, realLabels, c.classes),
        classLoss(fake.aux!, fakeCodes.classes, c.classes),
      ) as tf.Scalar;
    },
    generatorLoss: (c, fake, codes) => classLoss(fake.aux!, codes.classes, c.classes),
  },
  // Chen et al. 2016: codes learned without labels, through the information loss on
  // both players. On images the paper's MNIST settings (appendix C.1): z ∈ R^62 beside
  // the 12 code values, and G learning 5× faster than D (1e-3 against 2e-4). With
  // DCGAN's equal rates the categorical code stayed invisible on Fashion-MNIST (G hid
  // it in detail only Q could read: every row of the class grid alike after 1,400
  // steps), where with G's faster rate the rows were classes after 1,000.
  infogan: {
    trainsOn: 'codes',
    discriminatorReadsLabel: false,
    auxHead: 'code',
    auxLoss: 'information loss (λ-weighted)',
    discriminatorLoss: (c, _real, _labels, fake, fakeCodes) => infoLoss(fake.aux!, fakeCodes, c.classes, c.lambda),
    generatorLoss: (c, fake, codes) => infoLoss(fake.aux!, codes, c.classes, c.lambda),
    imageDefaults: { latentDim: 62, lrG: 1e-3 },
  },
} satisfies Record<string, ConditionalModelRow>;

export type ConditionalModel = keyof typeof CONDITIONAL_MODEL_TABLE;
export const CONDITIONAL_MODELS = Object.keys(CONDITIONAL_MODEL_TABLE) as ConditionalModel[];

export function isConditionalModel(model: string): model is ConditionalModel {
  return Object.hasOwn(CONDITIONAL_MODEL_TABLE, model);
}

/** A conditional model's row, or undefined for an unconditional one. */
export function conditionalModel(model: string): ConditionalModelRow | undefined {
  return isConditionalModel(model) ? CONDITIONAL_MODEL_TABLE[model] : undefined;
}

/** Models trained on the data's labels (InfoGAN learns its codes without them). */
export function usesLabels(model: string): boolean {
  return conditionalModel(model)?.trainsOn === 'labels';
}

/** What a run's conditioning is built from (any model: unconditional ones have none). */
export interface ConditioningOptions {
  model: string;
  /** cgan, acgan: the number of classes of the data's labels (set from the data by the plan; 0 otherwise). */
  numClasses: number;
  /** InfoGAN: values of the categorical code (default 10; toy mixtures: their number of modes). */
  infoCategories: number;
  /** InfoGAN: continuous codes, each uniform on [−1, 1]. */
  infoContinuous: number;
  /** InfoGAN: weights λ of the information term for the categorical and the continuous codes. */
  infoLambdaCat: number;
  infoLambdaCont: number;
}

/** The run's conditioning, or undefined for an unconditional model. cgan/acgan need numClasses set (from the data). */
export function conditioningFor(o: ConditioningOptions): Conditioning | undefined {
  if (!isConditionalModel(o.model)) return undefined;
  if (usesLabels(o.model)) return new Conditioning(o.model, o.numClasses);
  return new Conditioning(o.model, o.infoCategories, o.infoContinuous, {
    cat: o.infoLambdaCat,
    cont: o.infoLambdaCont,
  });
}

/** The codes of n examples. */
export interface Codes {
  /** Class (cgan, acgan) or categorical code value (infogan) of each example. */
  classes: Int32Array;
  /** InfoGAN's continuous codes, n × continuous, row-major (empty otherwise). */
  continuous: Float32Array;
  /** G's second input, n × codeDim: the one-hot class, then the continuous codes. */
  input: Float32Array;
}

/** D's answer: the adversarial logit [n, 1] and, for ACGAN and InfoGAN, the extra head [n, auxDim]. */
export interface Judgement {
  logits: tf.Tensor;
  aux?: tf.Tensor;
}

export interface InfoWeights {
  /** λ for the categorical code (the paper: 1). */
  cat: number;
  /** λ for the continuous codes (the paper: 0.1 on MNIST). */
  cont: number;
}

export class Conditioning {
  readonly row: ConditionalModelRow;

  constructor(
    readonly model: ConditionalModel,
    /** Classes (cgan, acgan) or categorical code values (infogan): the rows of the class grid. */
    readonly classes: number,
    /** InfoGAN's continuous codes (0 for cgan and acgan). */
    readonly continuous = 0,
    readonly lambda: InfoWeights = { cat: 1, cont: 0.1 },
  ) {
    if (!Number.isInteger(classes) || classes < 2)
      throw new Error(`Expected at least 2 classes for model ${model} but received ${classes}`);
    if (!Number.isInteger(continuous) || continuous < 0)
      throw new Error(`Expected a non-negative number of continuous codes but received ${continuous}`);
    this.row = CONDITIONAL_MODEL_TABLE[model];
    if (this.row.trainsOn === 'labels' && continuous !== 0) {
      throw new Error(`Expected no continuous codes for model ${model} (InfoGAN only) but received ${continuous}`);
    }
  }

  /** Width of G's second input. */
  get codeDim(): number {
    return this.classes + this.continuous;
  }

  /** Outputs of D after its logit: ACGAN's class logits, InfoGAN's Q (categorical logits, then continuous means). */
  get auxDim(): number {
    return { classes: this.classes, code: this.classes + this.continuous, none: 0 }[this.row.auxHead ?? 'none'];
  }

  /** D's outputs after its logit: class logits (acgan), Q's estimates of the codes (infogan), or none (cgan). */
  get auxHead(): ConditionalModelRow['auxHead'] {
    return this.row.auxHead;
  }

  /** cgan and acgan train on the real batches' labels; InfoGAN never sees them. */
  get trainsOnLabels(): boolean {
    return this.row.trainsOn === 'labels';
  }

  /** CGAN's D reads y as a second input; ACGAN's and InfoGAN's read x alone. */
  get discriminatorReadsCode(): boolean {
    return this.row.discriminatorReadsLabel;
  }

  /**
   * Codes for n examples from the run's RNG: classes uniform, continuous codes uniform
   * on [−1, 1]. With `fixedClass` every example gets that class, from the same draws
   * (so the other codes match those of an unfixed draw from the same RNG state).
   */
  draw(rng: Rng, n: number, fixedClass?: number): Codes {
    const classes = new Int32Array(n);
    for (let i = 0; i < n; i++) classes[i] = rng.int(this.classes);
    const continuous = rng.fillUniform(new Float32Array(n * this.continuous), -1, 1);
    if (fixedClass !== undefined) classes.fill(this.checkClass(fixedClass, 'the class'));
    return this.encode(classes, continuous);
  }

  /** The codes of given classes (and continuous codes, zero when left out). */
  encode(classes: Int32Array, continuous: Float32Array = new Float32Array(classes.length * this.continuous)): Codes {
    const n = classes.length;
    if (continuous.length !== n * this.continuous) {
      throw new Error(
        `Expected ${n * this.continuous} continuous code values for ${n} examples but received ${continuous.length}`,
      );
    }
    const input = new Float32Array(n * this.codeDim);
    for (let i = 0; i < n; i++) {
      input[i * this.codeDim + this.checkClass(classes[i], `class of example ${i}`)] = 1;
      for (let j = 0; j < this.continuous; j++)
        input[i * this.codeDim + this.classes + j] = continuous[i * this.continuous + j];
    }
    return { classes, continuous, input };
  }

  checkClass(k: number, name: string): number {
    if (!Number.isInteger(k) || k < 0 || k >= this.classes) {
      const what = this.trainsOnLabels ? 'classes' : 'categorical code values';
      throw new Error(
        `Expected ${name} to be an integer in 0..${this.classes - 1} ` +
          `(model ${this.model}, ${this.classes} ${what}) but received ${k}`,
      );
    }
    return k;
  }

  /** G's inputs for z and the codes: [z, c]. */
  generatorInputs(z: tf.Tensor2D, codes: Codes): tf.Tensor[] {
    return [z, tf.tensor2d(codes.input, [codes.classes.length, this.codeDim])];
  }

  /** D on x; CGAN's D also reads the codes x came with (its real labels, or the labels G drew it for). */
  judge(D: tfl.LayersModel, x: tf.Tensor, codes: Codes | undefined, training: boolean): Judgement {
    if (this.discriminatorReadsCode) {
      if (!codes) throw new Error(`Expected labels for model ${this.model}'s discriminator but received none`);
      const y = tf.tensor2d(codes.input, [codes.classes.length, this.codeDim]);
      return { logits: D.apply([x, y], { training }) as tf.Tensor };
    }
    const out = D.apply(x, { training }) as tf.Tensor;
    return { logits: tf.slice(out, [0, 0], [-1, 1]), aux: tf.slice(out, [0, 1], [-1, this.auxDim]) };
  }

  /** D's extra loss: ACGAN's class cross-entropy on real and generated images; InfoGAN's information loss. */
  discriminatorLoss(
    real: Judgement,
    realLabels: Int32Array | undefined,
    fake: Judgement,
    fakeCodes: Codes,
  ): tf.Scalar | undefined {
    return this.row.discriminatorLoss?.(this, real, realLabels, fake, fakeCodes);
  }

  /** G's extra loss: the class cross-entropy of its images (ACGAN), the information loss (InfoGAN). */
  generatorLoss(fake: Judgement, codes: Codes): tf.Scalar | undefined {
    return this.row.generatorLoss?.(this, fake, codes);
  }
}

/** One-hot rows for class indices. */
export function oneHot(classes: Int32Array, k: number): Float32Array {
  const out = new Float32Array(classes.length * k);
  classes.forEach((c, i) => (out[i * k + c] = 1));
  return out;
}

/** Mean softmax cross-entropy −log softmax(logits)[label] over the batch. */
export function classLoss(logits: tf.Tensor, labels: Int32Array, k: number): tf.Scalar {
  return tf.tidy(() => {
    const target = tf.tensor2d(oneHot(labels, k), [labels.length, k]);
    return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });
}

/**
 * InfoGAN's information loss on Q's outputs [n, K + C] (categorical logits, then the
 * means of the continuous codes): λ_cat·E[−log Q(c_cat|x)] + λ_cont·E[Σ_j ½(μ_j − c_j)²],
 * which is −(λ-weighted) L_I up to the constants H(c) and ½·log 2π per continuous code.
 */
export function infoLoss(q: tf.Tensor, codes: Codes, k: number, lambda: InfoWeights): tf.Scalar {
  return tf.tidy(() => {
    const n = codes.classes.length;
    const c = codes.continuous.length / n;
    let loss = tf.mul(lambda.cat, classLoss(tf.slice(q, [0, 0], [-1, k]), codes.classes, k)) as tf.Scalar;
    if (c > 0) {
      const means = tf.slice(q, [0, k], [-1, c]);
      const target = tf.tensor2d(codes.continuous, [n, c]);
      const gaussian = tf.mean(tf.sum(tf.mul(0.5, tf.square(tf.sub(means, target))), 1));
      loss = tf.add(loss, tf.mul(lambda.cont, gaussian)) as tf.Scalar;
    }
    return loss;
  });
}
