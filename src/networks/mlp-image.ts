// The "mlp" preset for images, in the style of Goodfellow et al. 2014 (their MNIST
// model, from the paper's code release): G is z → 1200 ReLU → 1200 ReLU → image;
// D is image → maxout 240×5 → maxout 240×5 → logit. Changes: G ends in tanh
// (gankit's images live in [−1, 1]), D outputs a logit (the games work on logits),
// and D's dropout (0.5 in the paper) is off by default: tfjs's seeded dropout
// repeats one mask on every call and unseeded dropout would break --seed
// determinism, so a rate above 0 is unseeded and the run is no longer reproducible.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';
import { layerMakers } from './spectral-norm.js';

type Sym = tfl.SymbolicTensor;

export interface MlpImageShape {
  /** Image height, width, channels. */
  image: [number, number, number];
  /** G's hidden widths (default [1200, 1200]). */
  gHidden?: number[];
  /** D's maxout units per layer (default [240, 240]) and pieces per unit (default 5). */
  dHidden?: number[];
  pieces?: number;
  /** Dropout rate on the inputs of D's maxout layers (default 0: see the top of the file). */
  dropout?: number;
  /** Every dense layer spectrally normalised (spectral-norm.ts; u seeded from the run's RNG). */
  spectral?: boolean;
}

/**
 * Maxout (Goodfellow et al. 2013): each unit is the maximum of `pieces` linear
 * pieces. Input [B, units·pieces] → output [B, units]. Registered so that models
 * holding it load from model.json.
 */
export class Maxout extends tfl.layers.Layer {
  static className = 'GankitMaxout';
  readonly pieces: number;

  constructor(config: { pieces: number; name?: string }) {
    super(config);
    this.pieces = config.pieces;
  }

  override computeOutputShape(inputShape: tfl.Shape): tfl.Shape {
    const [batch, features] = inputShape as [number | null, number];
    return [batch, features / this.pieces];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [batch, features] = x.shape;
      // Pieces of a unit are adjacent: unit j owns features [j·p, (j+1)·p).
      return tf.max(tf.reshape(x, [batch, features / this.pieces, this.pieces]), -1);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), pieces: this.pieces };
  }
}
tf.serialization.registerClass(Maxout);

export function mlpImageGenerator(latentDim: number, shape: MlpImageShape, rng: Rng): tfl.LayersModel {
  const init = () => tfl.initializers.glorotUniform({ seed: rng.nextUint32() });
  const make = layerMakers(shape.spectral ?? false, () => rng.nextUint32());
  const [h, w, c] = shape.image;
  const z = tfl.input({ shape: [latentDim], name: 'generator_z' });
  let x: Sym = z;
  (shape.gHidden ?? [1200, 1200]).forEach((units, i) => {
    x = make
      .dense({ units, activation: 'relu', kernelInitializer: init(), name: `generator_dense${i + 1}` })
      .apply(x) as Sym;
  });
  x = make
    .dense({ units: h * w * c, activation: 'tanh', kernelInitializer: init(), name: 'generator_out' })
    .apply(x) as Sym;
  x = tfl.layers.reshape({ targetShape: [h, w, c], name: 'generator_image' }).apply(x) as Sym; // [B, h, w, c]
  return tfl.model({ inputs: z, outputs: x, name: 'generator' });
}

export function mlpImageDiscriminator(shape: MlpImageShape, rng: Rng): tfl.LayersModel {
  const init = () => tfl.initializers.glorotUniform({ seed: rng.nextUint32() });
  const pieces = shape.pieces ?? 5;
  const rate = shape.dropout ?? 0;
  const make = layerMakers(shape.spectral ?? false, () => rng.nextUint32());
  const image = tfl.input({ shape: shape.image, name: 'discriminator_x' });
  let x = tfl.layers.flatten({ name: 'discriminator_flatten' }).apply(image) as Sym; // [B, h·w·c]
  (shape.dHidden ?? [240, 240]).forEach((units, i) => {
    const n = i + 1;
    if (rate > 0) x = tfl.layers.dropout({ rate, name: `discriminator_dropout${n}` }).apply(x) as Sym;
    x = make
      .dense({ units: units * pieces, kernelInitializer: init(), name: `discriminator_dense${n}` })
      .apply(x) as Sym;
    x = new Maxout({ pieces, name: `discriminator_maxout${n}` }).apply(x) as Sym; // [B, units]
  });
  const logit = make.dense({ units: 1, kernelInitializer: init(), name: 'discriminator_logit' }).apply(x) as Sym;
  return tfl.model({ inputs: image, outputs: logit, name: 'discriminator' });
}
