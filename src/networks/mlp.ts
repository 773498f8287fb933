// Multilayer perceptrons for low-dimensional data: the "mlp" preset of G and D.
// G: z → [dense → ReLU] × depth → dense (linear, the data are unbounded).
// D: x → [dense → leaky ReLU 0.2] × depth → dense → one logit (no sigmoid: the games
// work on logits, which is numerically safer than log(sigmoid(·))).
import * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';
import { layerMakers } from './spectral-norm.js';

export interface MlpShape {
  /** Units of each hidden layer, e.g. [128, 128, 128]. */
  hidden: number[];
}

/** `spectral`: every dense layer spectrally normalised (spectral-norm.ts). */
export function mlpGenerator(
  latentDim: number,
  dataDim: number,
  shape: MlpShape,
  rng: Rng,
  spectral = false,
): tfl.LayersModel {
  return mlp('generator', latentDim, dataDim, shape, 'relu', rng, spectral);
}

export function mlpDiscriminator(dataDim: number, shape: MlpShape, rng: Rng, spectral = false): tfl.LayersModel {
  return mlp('discriminator', dataDim, 1, shape, 'leakyRelu', rng, spectral);
}

function mlp(
  name: string,
  inputDim: number,
  outputDim: number,
  { hidden }: MlpShape,
  activation: 'relu' | 'leakyRelu',
  rng: Rng,
  spectral: boolean,
): tfl.LayersModel {
  // Seeds come from the run's RNG so a run's initial weights follow from --seed alone (u's too).
  const init = () => tfl.initializers.glorotUniform({ seed: rng.nextUint32() });
  const make = layerMakers(spectral, () => rng.nextUint32());
  const input = tfl.input({ shape: [inputDim], name: `${name}_input` });
  let h: tfl.SymbolicTensor = input;
  hidden.forEach((units, i) => {
    h = make.dense({ units, kernelInitializer: init(), name: `${name}_dense${i + 1}` }).apply(h) as tfl.SymbolicTensor;
    h = (
      activation === 'relu'
        ? tfl.layers.reLU({ name: `${name}_relu${i + 1}` })
        : tfl.layers.leakyReLU({ alpha: 0.2, name: `${name}_lrelu${i + 1}` })
    ).apply(h) as tfl.SymbolicTensor;
  });
  const out = make
    .dense({ units: outputDim, kernelInitializer: init(), name: `${name}_out` })
    .apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out, name });
}
