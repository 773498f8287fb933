// The conditional presets (cgan, acgan, infogan), built on the mlp preset for toy data
// and on DCGAN for images.
// G(z, c): z and the code c (one-hot y, or InfoGAN's [one-hot c_cat, c_cont]) are joined
// into one vector that G's first layer reads, as in Mirza & Osindero 2014 and the
// InfoGAN paper.
// D:
// - cgan, images: a projection discriminator (Miyato & Koyama 2018), logit =
//   ψ(φ(x)) + ⟨V·y, φ(x)⟩ over D's flattened features φ(x). The label acts where D
//   decides, through one matrix V, so every D update teaches D which images belong to
//   which class; label channels at the input instead leave it to the convolutions to
//   find the label's use. cgan, toy data: y joined to x at the input (the MLP has no
//   spatial structure to lose).
// - acgan: D(x) outputs [logit, class logits] (one tensor, [B, 1 + K]).
// - infogan: D(x) outputs [logit, Q] where Q = the categorical code's logits and the
//   continuous codes' means, from a head on D's body (images: dense 128 → batch norm →
//   leaky ReLU → dense, the paper's appendix C.1).
import * as tfl from '@tensorflow/tfjs-layers';
import type { Conditioning } from '../games/conditional.js';
import type { Rng } from '../rng.js';
import { normalisesD, normalisesG, type NetworkOptions, type Networks } from './options.js';
import { layerMakers, type LayerMakers } from './spectral-norm.js';
import {
  batchNorm,
  checkDcganShape,
  dcganDiscriminatorBody,
  dcganGeneratorLayers,
  dcganInit,
  seeder,
  type DcganShape,
} from './dcgan.js';

type Sym = tfl.SymbolicTensor;

export function conditionalNetworks(
  cond: Conditioning,
  options: Pick<NetworkOptions, 'latentDim' | 'gHidden' | 'dHidden'> &
    Partial<Pick<NetworkOptions, 'spectralNorm' | 'gExtraConvs'>>,
  shape: number[],
  rng: Rng,
): Networks {
  const sn = { g: normalisesG(options.spectralNorm), d: normalisesD(options.spectralNorm) };
  if (shape.length === 1) return mlpNetworks(cond, options, shape[0], rng, sn);
  const [height, width, channels] = shape;
  if (height !== width)
    throw new Error(
      `Expected square images for model ${cond.model} (a DCGAN) but received ${height}×${width}; use --size to ` +
        'crop them',
    );
  const image = { size: height, channels } as DcganShape;
  checkDcganShape(image);
  return {
    generator: dcganConditionalGenerator(cond, image, options.latentDim, rng.nextUint32(), sn.g, options.gExtraConvs),
    discriminator: dcganConditionalDiscriminator(cond, image, rng.nextUint32(), sn.d),
  };
}

function generatorInputs(cond: Conditioning, latentDim: number): { z: Sym; c: Sym; joined: Sym } {
  const z = tfl.input({ shape: [latentDim], name: 'generator_z' });
  const c = tfl.input({ shape: [cond.codeDim], name: 'generator_c' });
  return { z, c, joined: tfl.layers.concatenate({ name: 'generator_join' }).apply([z, c]) as Sym }; // [B, z + code]
}

export function dcganConditionalGenerator(
  cond: Conditioning,
  image: DcganShape,
  latentDim: number,
  seed?: number,
  spectral = false,
  extraConvs = 0,
): tfl.LayersModel {
  const { z, c, joined } = generatorInputs(cond, latentDim);
  const s = seeder(seed);
  const outputs = dcganGeneratorLayers(joined, image, s, layerMakers(spectral, s), extraConvs);
  return tfl.model({ inputs: [z, c], outputs, name: 'generator' });
}

/**
 * `spectral`: every dense and convolutional layer of D spectrally normalised, the projection's
 * class embedding V too (Miyato & Koyama 2018), and no batch norm, InfoGAN's Q head's included.
 */
export function dcganConditionalDiscriminator(
  cond: Conditioning,
  image: DcganShape,
  seed?: number,
  spectral = false,
): tfl.LayersModel {
  const s = seeder(seed);
  const make = layerMakers(spectral, s);
  const x = tfl.input({ shape: [image.size, image.size, image.channels], name: 'discriminator_x' });
  const features = dcganDiscriminatorBody(x, image, s, make); // [B, F]
  const logit = make
    .dense({ units: 1, kernelInitializer: dcganInit(s), name: 'discriminator_logit' })
    .apply(features) as Sym; // [B, 1]
  if (cond.discriminatorReadsCode) {
    const y = tfl.input({ shape: [cond.classes], name: 'discriminator_y' });
    const width = features.shape[1] as number;
    const embedded = make
      .dense({ units: width, useBias: false, kernelInitializer: dcganInit(s), name: 'discriminator_embed' })
      .apply(y) as Sym; // [B, F]: V·y
    // [B, 1]
    const projection = tfl.layers.dot({ axes: 1, name: 'discriminator_projection' }).apply([embedded, features]) as Sym;
    const out = tfl.layers.add({ name: 'discriminator_out' }).apply([logit, projection]) as Sym;
    return tfl.model({ inputs: [x, y], outputs: out, name: 'discriminator' });
  }
  let head: Sym;
  if (cond.auxHead === 'classes') {
    head = make
      .dense({ units: cond.auxDim, kernelInitializer: dcganInit(s), name: 'discriminator_classes' })
      .apply(features) as Sym;
  } else {
    head = make
      .dense({ units: 128, useBias: false, kernelInitializer: dcganInit(s), name: 'q_dense' })
      .apply(features) as Sym;
    if (!make.spectral) head = batchNorm('q_bn', s).apply(head) as Sym;
    head = tfl.layers.leakyReLU({ alpha: 0.2, name: 'q_lrelu' }).apply(head) as Sym;
    head = make.dense({ units: cond.auxDim, kernelInitializer: dcganInit(s), name: 'q_out' }).apply(head) as Sym;
  }
  const out = tfl.layers.concatenate({ name: 'discriminator_out' }).apply([logit, head]) as Sym; // [B, 1 + auxDim]
  return tfl.model({ inputs: x, outputs: out, name: 'discriminator' });
}

/**
 * The mlp preset's layers (dense → ReLU for G, dense → leaky ReLU 0.2 for D), Glorot weights seeded from the
 * run's RNG.
 */
function denseStack(
  name: string,
  input: Sym,
  hidden: number[],
  activation: 'relu' | 'leakyRelu',
  rng: Rng,
  make: LayerMakers,
): Sym {
  let h = input;
  hidden.forEach((units, i) => {
    h = make.dense({ units, kernelInitializer: glorot(rng), name: `${name}_dense${i + 1}` }).apply(h) as Sym;
    h = (
      activation === 'relu'
        ? tfl.layers.reLU({ name: `${name}_relu${i + 1}` })
        : tfl.layers.leakyReLU({ alpha: 0.2, name: `${name}_lrelu${i + 1}` })
    ).apply(h) as Sym;
  });
  return h;
}

const glorot = (rng: Rng) => tfl.initializers.glorotUniform({ seed: rng.nextUint32() });

function mlpNetworks(
  cond: Conditioning,
  options: Pick<NetworkOptions, 'latentDim' | 'gHidden' | 'dHidden'>,
  dim: number,
  rng: Rng,
  sn: { g: boolean; d: boolean },
): Networks {
  // u's seeds come from the run's RNG too, drawn only when a player is normalised.
  const seed = () => rng.nextUint32();
  const makeG = layerMakers(sn.g, seed);
  const makeD = layerMakers(sn.d, seed);
  const { z, c, joined } = generatorInputs(cond, options.latentDim);
  const gHidden = denseStack('generator', joined, options.gHidden, 'relu', rng, makeG);
  const point = makeG
    .dense({ units: dim, kernelInitializer: glorot(rng), name: 'generator_out' })
    .apply(gHidden) as Sym;
  const generator = tfl.model({ inputs: [z, c], outputs: point, name: 'generator' });

  const x = tfl.input({ shape: [dim], name: 'discriminator_x' });
  const y = cond.discriminatorReadsCode ? tfl.input({ shape: [cond.classes], name: 'discriminator_y' }) : undefined;
  const dInput = y ? (tfl.layers.concatenate({ name: 'discriminator_join' }).apply([x, y]) as Sym) : x;
  const features = denseStack('discriminator', dInput, options.dHidden, 'leakyRelu', rng, makeD);
  const outputs = 1 + cond.auxDim;
  const out = makeD
    .dense({ units: outputs, kernelInitializer: glorot(rng), name: 'discriminator_out' })
    .apply(features) as Sym; // [B, 1 + auxDim]
  const discriminator = tfl.model({ inputs: y ? [x, y] : x, outputs: out, name: 'discriminator' });
  return { generator, discriminator };
}
