// The DCGAN-28 preset (docs: DESIGN.md, "Reference workloads"): 28×28×1 images,
// NHWC. Follows pytorch/examples dcgan where the design leaves a choice open:
// weights N(0, 0.02), batch-norm γ N(1, 0.02) and β 0, no bias in convolutions
// (batch norm or tanh follows, as there) nor before batch norm; the logit layer
// has one. Batch norm uses PyTorch's defaults (eps 1e-5, running-average
// momentum 0.1 = Keras momentum 0.9), so bench/torch_dcgan28.py is the same model.
import * as tfl from '@tensorflow/tfjs-layers';

type Sym = tfl.SymbolicTensor;

/** Seeds for successive initializers: seed, seed+1, … (undefined → unseeded). */
function seeder(seed?: number): () => number | undefined {
  let next = seed;
  return () => (next === undefined ? undefined : next++);
}

function weights(seed: () => number | undefined) {
  return tfl.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: seed() });
}

function batchNorm(name: string, seed: () => number | undefined) {
  return tfl.layers.batchNormalization({
    name, axis: -1, momentum: 0.9, epsilon: 1e-5,
    gammaInitializer: tfl.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: seed() }),
    betaInitializer: 'zeros',
  });
}

/** G: z ∈ R^latentDim → image in [−1, 1]^(28×28×1). */
export function dcgan28Generator(latentDim = 100, seed?: number): tfl.LayersModel {
  const s = seeder(seed);
  const z = tfl.input({ shape: [latentDim], name: 'generator_z' });                   // [B, 100]
  let h = tfl.layers.dense({ units: 7 * 7 * 128, useBias: false, kernelInitializer: weights(s),
    name: 'generator_project' }).apply(z) as Sym;                                       // [B, 6272]
  h = batchNorm('generator_bn0', s).apply(h) as Sym;                                   // [B, 6272]
  h = tfl.layers.reLU({ name: 'generator_relu0' }).apply(h) as Sym;
  h = tfl.layers.reshape({ targetShape: [7, 7, 128], name: 'generator_reshape' }).apply(h) as Sym; // [B, 7, 7, 128]
  h = tfl.layers.conv2dTranspose({ filters: 64, kernelSize: 4, strides: 2, padding: 'same', useBias: false,
    kernelInitializer: weights(s), name: 'generator_deconv1' }).apply(h) as Sym;        // [B, 14, 14, 64]
  h = batchNorm('generator_bn1', s).apply(h) as Sym;                                   // [B, 14, 14, 64]
  h = tfl.layers.reLU({ name: 'generator_relu1' }).apply(h) as Sym;
  h = tfl.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', useBias: false,
    kernelInitializer: weights(s), name: 'generator_deconv2' }).apply(h) as Sym;        // [B, 28, 28, 1]
  const x = tfl.layers.activation({ activation: 'tanh', name: 'generator_tanh' }).apply(h) as Sym; // [B, 28, 28, 1] in [−1, 1]
  return tfl.model({ inputs: z, outputs: x, name: 'generator' });
}

/** D: image 28×28×1 → one logit (no sigmoid: losses work on logits). */
export function dcgan28Discriminator(seed?: number): tfl.LayersModel {
  const s = seeder(seed);
  const x = tfl.input({ shape: [28, 28, 1], name: 'discriminator_x' });               // [B, 28, 28, 1]
  let h = tfl.layers.conv2d({ filters: 64, kernelSize: 4, strides: 2, padding: 'same', useBias: false,
    kernelInitializer: weights(s), name: 'discriminator_conv1' }).apply(x) as Sym;      // [B, 14, 14, 64]
  h = tfl.layers.leakyReLU({ alpha: 0.2, name: 'discriminator_lrelu1' }).apply(h) as Sym;
  h = tfl.layers.conv2d({ filters: 128, kernelSize: 4, strides: 2, padding: 'same', useBias: false,
    kernelInitializer: weights(s), name: 'discriminator_conv2' }).apply(h) as Sym;      // [B, 7, 7, 128]
  h = batchNorm('discriminator_bn2', s).apply(h) as Sym;                               // [B, 7, 7, 128]
  h = tfl.layers.leakyReLU({ alpha: 0.2, name: 'discriminator_lrelu2' }).apply(h) as Sym;
  h = tfl.layers.flatten({ name: 'discriminator_flatten' }).apply(h) as Sym;          // [B, 6272]
  const logit = tfl.layers.dense({ units: 1, kernelInitializer: weights(s),
    name: 'discriminator_logit' }).apply(h) as Sym;                                     // [B, 1]
  return tfl.model({ inputs: x, outputs: logit, name: 'discriminator' });
}
