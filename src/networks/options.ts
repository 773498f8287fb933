// What a network preset is built from (src/networks/presets.ts), and what it builds.
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ConditionalModel } from '../games/conditional.js';

/**
 * Network preset ('dcgan' for images only); 'custom' when the caller supplied G and D
 * through the API. The conditional models (src/games/conditional.ts) build on the mlp
 * preset for toy data and on dcgan for images.
 */
export type ModelName = 'mlp' | 'dcgan' | 'custom' | ConditionalModel;

export interface NetworkOptions {
  model: ModelName;
  /** Hidden layer widths of G and D (for images: G's dense widths and D's maxout units). */
  gHidden: number[];
  dHidden: number[];
  latentDim: number;
  /** Noise prior p(z): standard normal, or uniform on [−1, 1]. */
  prior: 'normal' | 'uniform';
  /** Which players' presets spectrally normalise their dense and convolutional layers (spectral-norm.ts). */
  spectralNorm: SpectralNormChoice;
  /** DCGAN-based G on images: 3×3 convolutions after each upsampling block but the last (dcgan.ts); 0 is DCGAN. */
  gExtraConvs: number;
}

export interface Networks {
  generator: tfl.LayersModel;
  discriminator: tfl.LayersModel;
}

/** Which players --spectral-norm normalises (spectral-norm.ts). */
export type SpectralNormChoice = 'd' | 'g' | 'both' | 'none';
export const SPECTRAL_NORM_CHOICES: readonly SpectralNormChoice[] = ['none', 'd', 'g', 'both'];
export const normalisesD = (choice: SpectralNormChoice | undefined) => choice === 'd' || choice === 'both';
export const normalisesG = (choice: SpectralNormChoice | undefined) => choice === 'g' || choice === 'both';
