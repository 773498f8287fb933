// The feature network gankit ships: a small CNN classifier for 28×28 grayscale
// images in [−1, 1] (gankit's sample convention). Its 128-wide penultimate layer
// ('features') is what FID, KID and precision/recall compare; its class
// probabilities feed the Inception-Score analogue and the class histogram.
// Small on purpose (≈ 120k weights, under 0.5 MB) so it ships in the repository and
// extracts features of 10,000 images in a few seconds on the CPU.
import * as tfl from '@tensorflow/tfjs-layers';

type Sym = tfl.SymbolicTensor;

/** The layer whose output is the feature vector. */
export const FEATURE_LAYER = 'features';
export const FEATURE_INPUT_SHAPE: readonly [number, number, number] = [28, 28, 1];
export const FEATURE_CLASSES = 10;

/** Seeded initialisers, one seed per layer, so a seed names the same starting weights. */
function seeder(seed: number): () => number {
  let next = seed;
  return () => next++;
}

function convBlock(h: Sym, filters: number, strides: number, name: string, seed: () => number): Sym {
  h = tfl.layers
    .conv2d({
      filters,
      kernelSize: 3,
      strides,
      padding: 'same',
      useBias: false,
      kernelInitializer: tfl.initializers.heNormal({ seed: seed() }),
      name: `${name}_conv`,
    })
    .apply(h) as Sym;
  h = tfl.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5, name: `${name}_bn` }).apply(h) as Sym;
  return tfl.layers.reLU({ name: `${name}_relu` }).apply(h) as Sym;
}

/**
 * conv 32 → conv 64 (stride 2) → conv 128 (stride 2), each 3×3 with batch norm and
 * ReLU; a 7×7 depthwise convolution pools each channel with weights of its own (a
 * learned, position-aware global pooling: 6k weights where flatten + dense would
 * need 800k); dense 128 + ReLU = the feature layer; dense `classes` logits (10 for
 * Fashion-MNIST; 20 when MNIST's digits join it); softmax.
 */
export function featureNetwork(seed = 1, classes = FEATURE_CLASSES): tfl.LayersModel {
  const s = seeder(seed);
  const x = tfl.input({ shape: [...FEATURE_INPUT_SHAPE], name: 'images' }); // [B, 28, 28, 1]
  let h = convBlock(x, 32, 1, 'block1', s); // [B, 28, 28, 32]
  h = convBlock(h, 64, 2, 'block2', s); // [B, 14, 14, 64]
  h = convBlock(h, 128, 2, 'block3', s); // [B, 7, 7, 128]
  h = tfl.layers
    .depthwiseConv2d({
      kernelSize: 7,
      padding: 'valid',
      useBias: false,
      depthwiseInitializer: tfl.initializers.heNormal({ seed: s() }),
      name: 'pool',
    })
    .apply(h) as Sym; // [B, 1, 1, 128]
  h = tfl.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5, name: 'pool_bn' }).apply(h) as Sym;
  h = tfl.layers.flatten({ name: 'flatten' }).apply(h) as Sym; // [B, 128]
  h = tfl.layers
    .dense({
      units: 128,
      activation: 'relu',
      kernelInitializer: tfl.initializers.heNormal({ seed: s() }),
      name: FEATURE_LAYER,
    })
    .apply(h) as Sym; // [B, 128] the features
  h = tfl.layers.dropout({ rate: 0.3, seed: s(), name: 'dropout' }).apply(h) as Sym;
  const logits = tfl.layers
    .dense({ units: classes, kernelInitializer: tfl.initializers.glorotUniform({ seed: s() }), name: 'logits' })
    .apply(h) as Sym; // [B, classes]
  const p = tfl.layers.softmax({ name: 'probabilities' }).apply(logits) as Sym; // [B, classes]
  return tfl.model({ inputs: x, outputs: p, name: 'gankit_features' });
}
