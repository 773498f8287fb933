// The network presets by name (TrainOptions.model), built for the data's shape.
import type * as tfl from '@tensorflow/tfjs-layers';
import { isConditionalModel, type Conditioning } from '../games/conditional.js';
import type { Rng } from '../rng.js';
import { normalisesD, normalisesG, type NetworkOptions, type Networks } from './options.js';
import { conditionalNetworks } from './conditional.js';
import { dcganDiscriminator, dcganGenerator, type DcganShape } from './dcgan.js';
import { mlpDiscriminator, mlpGenerator } from './mlp.js';
import { mlpImageDiscriminator, mlpImageGenerator } from './mlp-image.js';

/**
 * G and D of the preset `options.model` for examples of `shape` ([dim] for toy data,
 * [height, width, channels] for images). Initial weights follow from the run's RNG.
 * The conditional models (cgan, acgan, infogan) take the run's conditioning.
 */
export function presetNetworks(
  options: Pick<NetworkOptions, 'model' | 'latentDim' | 'gHidden' | 'dHidden'> &
    Partial<Pick<NetworkOptions, 'spectralNorm' | 'gExtraConvs'>>,
  shape: number[],
  rng: Rng,
  conditioning?: Conditioning,
): Networks {
  const { model, latentDim } = options;
  const [snG, snD] = [normalisesG(options.spectralNorm), normalisesD(options.spectralNorm)];
  if (conditioning) {
    if (conditioning.model !== model)
      throw new Error(`Expected the conditioning of model ${model} but received that of ${conditioning.model}`);
    return conditionalNetworks(conditioning, options, shape, rng);
  }
  if (isConditionalModel(model))
    throw new Error(`Expected the run's conditioning (labels and codes) for model ${model} but received none`);
  if (shape.length === 1) {
    if (model !== 'mlp') throw new Error(`Expected model mlp for ${shape[0]}D data but received ${model}`);
    return {
      generator: mlpGenerator(latentDim, shape[0], { hidden: options.gHidden }, rng, snG),
      discriminator: mlpDiscriminator(shape[0], { hidden: options.dHidden }, rng, snD),
    };
  }
  const [height, width, channels] = shape;
  if (model === 'dcgan') {
    if (height !== width)
      throw new Error(
        `Expected square images for the DCGAN preset but received ${height}×${width}; use --size to crop them`,
      );
    const image = { size: height, channels } as DcganShape;
    return {
      generator: dcganGenerator(image, latentDim, rng.nextUint32(), snG, options.gExtraConvs),
      discriminator: dcganDiscriminator(image, rng.nextUint32(), snD),
    };
  }
  if (model === 'mlp') {
    const image = {
      image: [height, width, channels] as [number, number, number],
      gHidden: options.gHidden,
      dHidden: options.dHidden,
    };
    return {
      generator: mlpImageGenerator(latentDim, { ...image, spectral: snG }, rng),
      discriminator: mlpImageDiscriminator({ ...image, spectral: snD }, rng),
    };
  }
  throw new Error(`Expected a preset model (dcgan or mlp) but received ${model}`);
}
