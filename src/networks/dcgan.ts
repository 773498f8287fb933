// DCGAN presets (Radford et al. 2016) for 28, 32 and 64-pixel images with 1 or 3
// channels, NHWC. The 28-pixel one is exactly DCGAN-28 of docs/design.md ("Reference
// workloads"); 32 and 64 follow the same pattern with one more up/down-sampling
// block each, widths as in pytorch/examples dcgan (64 → 4×4×512 for 64 px).
// Where the design leaves a choice open we follow pytorch/examples: weights
// N(0, 0.02), batch-norm γ N(1, 0.02) and β 0, no bias in convolutions (batch norm
// or tanh follows) nor before batch norm; the logit layer has one. Batch norm uses
// PyTorch's defaults (eps 1e-5, running-average momentum 0.1 = Keras momentum 0.9),
// so bench/torch_dcgan28.py is the same model.
import * as tfl from '@tensorflow/tfjs-layers';
import { layerMakers, type LayerMakers } from './spectral-norm.js';

type Sym = tfl.SymbolicTensor;

export const DCGAN_SIZES = [28, 32, 64] as const;
export type DcganSize = (typeof DCGAN_SIZES)[number];

export interface DcganShape {
  size: DcganSize;
  channels: 1 | 3;
}

/**
 * The generator's plan: the side of the first feature map, then the width of every
 * feature map G upsamples through (D mirrors it). Each step doubles the side.
 */
const PLANS: Record<DcganSize, { start: number; widths: number[] }> = {
  28: { start: 7, widths: [128, 64] }, // 7 → 14 → 28
  32: { start: 4, widths: [256, 128, 64] }, // 4 → 8 → 16 → 32
  64: { start: 4, widths: [512, 256, 128, 64] }, // 4 → 8 → 16 → 32 → 64
};

/** Seeds for successive initializers: seed, seed+1, … (undefined → unseeded). */
export function seeder(seed?: number): () => number | undefined {
  let next = seed;
  return () => (next === undefined ? undefined : next++);
}

/** Weights N(0, 0.02) (Radford et al. 2016), seeded from the next seed. */
export function dcganInit(seed: () => number | undefined) {
  return tfl.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: seed() });
}

export function batchNorm(name: string, seed: () => number | undefined) {
  return tfl.layers.batchNormalization({
    name,
    axis: -1,
    momentum: 0.9,
    epsilon: 1e-5,
    gammaInitializer: tfl.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: seed() }),
    betaInitializer: 'zeros',
  });
}

export function checkDcganShape({ size, channels }: DcganShape): void {
  if (!DCGAN_SIZES.includes(size))
    throw new Error(
      `Expected a DCGAN image size of ${DCGAN_SIZES.join(', ')} but received ${size}; resize the data with --size`,
    );
  if (channels !== 1 && channels !== 3)
    throw new Error(`Expected 1 or 3 image channels for DCGAN but received ${channels}`);
}

/**
 * G: z ∈ R^latentDim → image in [−1, 1]^(size×size×channels). `spectral`: its dense and
 * (transposed) convolutions spectrally normalised (G keeps its batch norm, as in SNGAN).
 * `extraConvs`: see dcganGeneratorLayers; 0 is DCGAN-28 exactly.
 */
export function dcganGenerator(
  shape: DcganShape,
  latentDim = 100,
  seed?: number,
  spectral = false,
  extraConvs = 0,
): tfl.LayersModel {
  checkDcganShape(shape);
  const z = tfl.input({ shape: [latentDim], name: 'generator_z' }); // [B, z]
  const s = seeder(seed);
  const outputs = dcganGeneratorLayers(z, shape, s, layerMakers(spectral, s), extraConvs);
  return tfl.model({ inputs: z, outputs, name: 'generator' });
}

/**
 * G's layers from its input vector h [B, d] (z, or z beside a code) to the image.
 * `extraConvs` 3×3 convolutions (each with batch norm and ReLU, width unchanged) follow
 * each upsampling block but the last, so G refines every resolution before it doubles it,
 * as ProGAN's generator does (Karras et al. 2018). DCGAN's transposed convolutions
 * upsample and draw at once; on Fashion-MNIST one more convolution at 14×14 cut fid10k
 * after 5 epochs by about a sixth, 11.2 → 9.5 and 11.4 → 9.2 on seeds 1 and 2 (README
 * "Image recipes", which has its time).
 */
export function dcganGeneratorLayers(
  input: Sym,
  shape: DcganShape,
  s: () => number | undefined,
  make: LayerMakers = layerMakers(false, s),
  extraConvs = 0,
): Sym {
  const { start, widths } = PLANS[shape.size];
  let h = make
    .dense({
      units: start * start * widths[0],
      useBias: false,
      kernelInitializer: dcganInit(s),
      name: 'generator_project',
    })
    .apply(input) as Sym; // [B, s·s·w0]
  h = batchNorm('generator_bn0', s).apply(h) as Sym;
  h = tfl.layers.reLU({ name: 'generator_relu0' }).apply(h) as Sym;
  // [B, s, s, w0]
  h = tfl.layers.reshape({ targetShape: [start, start, widths[0]], name: 'generator_reshape' }).apply(h) as Sym;
  // Each block: transposed conv 4×4 stride 2 doubles the side → [B, 2s, 2s, next width].
  const filters = [...widths.slice(1), shape.channels];
  filters.forEach((f, i) => {
    const last = i === filters.length - 1;
    h = make
      .conv2dTranspose({
        filters: f,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        useBias: false,
        kernelInitializer: dcganInit(s),
        name: `generator_deconv${i + 1}`,
      })
      .apply(h) as Sym;
    if (!last) {
      h = batchNorm(`generator_bn${i + 1}`, s).apply(h) as Sym;
      h = tfl.layers.reLU({ name: `generator_relu${i + 1}` }).apply(h) as Sym;
      for (let k = 1; k <= extraConvs; k++) {
        const name = `generator_conv${i + 1}_${k}`;
        h = make
          .conv2d({ filters: f, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: dcganInit(s), name })
          .apply(h) as Sym;
        h = batchNorm(`${name}_bn`, s).apply(h) as Sym;
        h = tfl.layers.reLU({ name: `${name}_relu` }).apply(h) as Sym;
      }
    }
  }); // [B, size, size, channels]
  return tfl.layers.activation({ activation: 'tanh', name: 'generator_tanh' }).apply(h) as Sym; // in [−1, 1]
}

/**
 * D: image size×size×channels → one logit (no sigmoid: losses work on logits). `spectral`:
 * every convolution and the logit layer spectrally normalised, and no batch norm (SN-DCGAN).
 */
export function dcganDiscriminator(shape: DcganShape, seed?: number, spectral = false): tfl.LayersModel {
  checkDcganShape(shape);
  const s = seeder(seed);
  const make = layerMakers(spectral, s);
  const x = tfl.input({ shape: [shape.size, shape.size, shape.channels], name: 'discriminator_x' });
  const h = dcganDiscriminatorBody(x, shape, s, make); // [B, features]
  const logitLayer = make.dense({ units: 1, kernelInitializer: dcganInit(s), name: 'discriminator_logit' });
  const logit = logitLayer.apply(h) as Sym; // [B, 1]
  return tfl.model({ inputs: x, outputs: logit, name: 'discriminator' });
}

/** D's body: the image → its flattened features [B, (side/2^blocks)² · last width]. */
export function dcganDiscriminatorBody(
  x: Sym,
  shape: DcganShape,
  s: () => number | undefined,
  make: LayerMakers = layerMakers(false, s),
): Sym {
  const widths = [...PLANS[shape.size].widths].reverse(); // e.g. [64, 128] for 28 px
  let h: Sym = x;
  // Each block: conv 4×4 stride 2 halves the side; batch norm on all but the first
  // (Radford et al.: none on D's input layer), and on none when the convolutions are
  // spectrally normalised (Miyato et al. 2018's SN-DCGAN D has none).
  widths.forEach((f, i) => {
    const n = i + 1;
    h = make
      .conv2d({
        filters: f,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        useBias: false,
        kernelInitializer: dcganInit(s),
        name: `discriminator_conv${n}`,
      })
      .apply(h) as Sym; // [B, side/2ⁿ, side/2ⁿ, f]
    if (i > 0 && !make.spectral) h = batchNorm(`discriminator_bn${n}`, s).apply(h) as Sym;
    h = tfl.layers.leakyReLU({ alpha: 0.2, name: `discriminator_lrelu${n}` }).apply(h) as Sym;
  });
  return tfl.layers.flatten({ name: 'discriminator_flatten' }).apply(h) as Sym;
}

/** DCGAN-28 of docs/design.md: 28×28×1. */
export function dcgan28Generator(latentDim = 100, seed?: number): tfl.LayersModel {
  return dcganGenerator({ size: 28, channels: 1 }, latentDim, seed);
}

export function dcgan28Discriminator(seed?: number): tfl.LayersModel {
  return dcganDiscriminator({ size: 28, channels: 1 }, seed);
}
