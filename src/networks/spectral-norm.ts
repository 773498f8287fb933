// Spectral normalisation (Miyato et al. 2018, "Spectral Normalization for Generative
// Adversarial Networks", ICLR): a layer's kernel W is used as W/σ(W), σ the largest
// singular value, which bounds the layer's Lipschitz constant by 1 and keeps D's
// gradients from exploding or vanishing without batch norm.
//
// σ is estimated by power iteration on a vector u kept as a NON-trainable layer weight:
// checkpoints save it with the kernel, so a resumed run continues exactly. The forward
// pass only reads u: v = normalize(Wᵀu), σ = uᵀWv with u and v constants (their
// gradients stopped) and W differentiable; the iteration u ← normalize(W normalize(Wᵀu))
// runs once per training step in powerIterate (Gan.step), not in the forward pass,
// because D runs several times per step (real, generated, penalties) and each of its
// passes must see the same σ, as in the paper's Algorithm 1.
//
// Which matrix: W reshaped to [fan-out, rest], one row per output unit holding all the
// weights that produce it (the paper's d_out × (d_in·h·w)); for a convolution this is not
// the operator norm of the convolution itself but the paper's and PyTorch's proxy for it,
// and the reshape decides σ, since [fan-in, rest] has different singular values. The
// output-channel axis is the kernel's last for dense ([in, out]) and conv2d ([h, w, in,
// out]) kernels, but the third for conv2dTranspose ([h, w, out, in]: tfjs stores the
// transposed convolution's kernel as that of the convolution it transposes, as PyTorch's
// ConvTranspose2d does with dim=1). Computed here as K = [rest, fan-out] (the kernel with
// its output axis last, flattened): Kᵀ is the matrix above with its columns permuted,
// which has the same singular values, and needs no transpose for dense and conv2d.
//
// Three layer classes (GankitSpectralDense, GankitSpectralConv2D,
// GankitSpectralConv2DTranspose), each the tfjs layer it extends plus u; registered, so
// model.json files holding them load and WeightAverage.of can copy them. io/fold-spectral.ts
// turns a model's files holding them into plain tfjs layers with W/σ baked in, without
// tfjs (gankit export, and the dashboard's playground), which load anywhere tfjs does; its
// table of classes and output axes mirrors KINDS below.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type LayerVariable = tfl.LayerVariable;
type Kwargs = Record<string, unknown>;

/** The fields of tfjs's Dense / Conv2D / Conv2DTranspose these classes rely on (tfjs-layers 4.22). */
interface KernelFields {
  kernel: LayerVariable | null;
  bias: LayerVariable | null;
}
type KernelLayer = tfl.layers.Layer & KernelFields;
type KernelLayerClass = new (args: object) => KernelLayer;

/**
 * tfjs's own class for `name`, from the registry tfjs rebuilds layers with: the classes are
 * not exported from tfjs-layers' entry point, and its deep files are not importable from Node.
 */
function tfjsLayerClass(name: string): KernelLayerClass {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[name];
  if (!entry) throw new Error(`Expected tfjs-layers to register the layer class ${name} but it does not`);
  return entry[0] as unknown as KernelLayerClass;
}

/** The three normalisable kinds: tfjs's class name and the axis of its kernel that holds the output channels. */
const KINDS = {
  Dense: { className: 'GankitSpectralDense', outAxis: 1 },
  Conv2D: { className: 'GankitSpectralConv2D', outAxis: 3 },
  Conv2DTranspose: { className: 'GankitSpectralConv2DTranspose', outAxis: 2 },
} as const;
type Kind = keyof typeof KINDS;

/** A spectrally normalised layer's extra config: the seed of u's initial direction (undefined → unseeded). */
export interface SpectralArgs {
  uSeed?: number | null;
}

/** What every spectrally normalised layer offers on top of its tfjs layer. */
export type SpectralLayer = KernelLayer & SpectralMethods;
interface SpectralMethods {
  /** The power-iteration vector, [fan-out], non-trainable. */
  u: LayerVariable | null;
  readonly plainClassName: Kind;
  /** W/σ(W), differentiable in W. */
  normalizedKernel(): tf.Tensor;
  /** The current estimate of σ(W) (a scalar). */
  sigma(): tf.Scalar;
  /** One power iteration: u ← normalize(K normalize(Kᵀu)) with K = [rest, fan-out] (see the file's top). */
  powerIterate(): void;
}

/** Unit vector along x (ε keeps a zero vector finite, as PyTorch's normalize does). */
const normalize = (x: tf.Tensor) => tf.div(x, tf.add(tf.norm(x), 1e-12));

/** The kernel as K [rest, fan-out]: the output axis moved last (conv2dTranspose only), then flattened. */
function asMatrix(kernel: tf.Tensor, outAxis: number): tf.Tensor2D {
  const last = kernel.rank - 1;
  const moved =
    outAxis === last
      ? kernel
      : tf.transpose(kernel, [...kernel.shape.keys()].filter((a) => a !== outAxis).concat(outAxis));
  return tf.reshape(moved, [-1, kernel.shape[outAxis]]);
}

/**
 * σ = uᵀ W v with v = normalize(Wᵀu), u and v constants. In K's terms that is vᵀ K û (û the
 * unit u) = ‖K û‖, computed as the norm: the value is the same, and so is the gradient,
 * d‖Kû‖/dK = (Kû/‖Kû‖) ûᵀ = v ûᵀ, the gradient with v held constant, so no gradient has to
 * be stopped (tfjs has no stopGradient). u gets none: it is a non-trainable weight.
 */
function sigmaOf(kernel: tf.Tensor, u: tf.Tensor, outAxis: number): tf.Scalar {
  const K = asMatrix(kernel, outAxis); // [rest, out]
  return tf.norm(tf.matMul(K, tf.reshape(normalize(u), [-1, 1]))) as tf.Scalar; // ‖Wᵀu‖
}

function spectralClass(kind: Kind): KernelLayerClass {
  const { className, outAxis } = KINDS[kind];
  const Base = tfjsLayerClass(kind);
  class Spectral extends Base implements SpectralLayer {
    static className = className;
    readonly plainClassName = kind;
    readonly uSeed: number | undefined;
    u: LayerVariable | null = null;

    constructor(args: object & SpectralArgs) {
      super(args);
      this.uSeed = args.uSeed ?? undefined;
    }

    override build(inputShape: tfl.Shape | tfl.Shape[]): void {
      super.build(inputShape);
      const out = this.kernel!.shape[outAxis] as number;
      // A random direction; its length does not matter (the forward pass normalises it).
      const init = tfl.initializers.randomNormal({ mean: 0, stddev: 1, seed: this.uSeed });
      this.u = this.addWeight('u', [out], 'float32', init, undefined, false);
    }

    normalizedKernel(): tf.Tensor {
      return tf.tidy(() => {
        const W = this.kernel!.read();
        return tf.div(W, sigmaOf(W, this.u!.read(), outAxis));
      });
    }

    sigma(): tf.Scalar {
      return tf.tidy(() => sigmaOf(this.kernel!.read(), this.u!.read(), outAxis));
    }

    powerIterate(): void {
      tf.tidy(() => {
        const K = asMatrix(this.kernel!.read(), outAxis); // [rest, out]
        const v = normalize(tf.matMul(K, tf.reshape(this.u!.read(), [-1, 1]))); // [rest, 1]
        this.u!.write(tf.reshape(normalize(tf.matMul(K, v, true)), [-1])); // Kᵀv: [out]
      });
    }

    override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
      return tf.tidy(() => {
        // tfjs's call reads this.kernel; for the call's duration it reads W/σ instead, so
        // the convolution or product itself stays tfjs's (same padding, bias, activation).
        const kernel = this.kernel;
        const normalized = this.normalizedKernel();
        this.kernel = { read: () => normalized } as LayerVariable;
        try {
          return super.call(inputs, kwargs);
        } finally {
          this.kernel = kernel;
        }
      });
    }

    override getConfig(): tf.serialization.ConfigDict {
      return { ...super.getConfig(), uSeed: this.uSeed ?? null };
    }
  }
  Object.defineProperty(Spectral, 'name', { value: className });
  tf.serialization.registerClass(Spectral as unknown as tf.serialization.SerializableConstructor<tfl.layers.Layer>);
  return Spectral;
}

const SpectralDense = spectralClass('Dense');
const SpectralConv2D = spectralClass('Conv2D');
const SpectralConv2DTranspose = spectralClass('Conv2DTranspose');

type DenseArgs = Parameters<typeof tfl.layers.dense>[0];
type ConvArgs = Parameters<typeof tfl.layers.conv2d>[0];
type ConvTransposeArgs = Parameters<typeof tfl.layers.conv2dTranspose>[0];

/** tfl.layers.dense, spectrally normalised. */
export const spectralDense = (args: DenseArgs & SpectralArgs) => new SpectralDense(args) as SpectralLayer;
/** tfl.layers.conv2d, spectrally normalised. */
export const spectralConv2d = (args: ConvArgs & SpectralArgs) => new SpectralConv2D(args) as SpectralLayer;
/** tfl.layers.conv2dTranspose, spectrally normalised. */
export const spectralConv2dTranspose = (args: ConvTransposeArgs & SpectralArgs) =>
  new SpectralConv2DTranspose(args) as SpectralLayer;

/**
 * The builders a preset uses for its dense and convolutional layers: tfjs's own, or their
 * spectrally normalised versions with u seeded from `seed` (the preset's seed stream).
 */
export interface LayerMakers {
  dense(args: DenseArgs): tfl.layers.Layer;
  conv2d(args: ConvArgs): tfl.layers.Layer;
  conv2dTranspose(args: ConvTransposeArgs): tfl.layers.Layer;
  /** Whether these normalise (D then leaves out its batch norm, as SNGAN's D has none). */
  spectral: boolean;
}

export function layerMakers(spectral: boolean, seed: () => number | undefined): LayerMakers {
  if (!spectral)
    return {
      dense: tfl.layers.dense,
      conv2d: tfl.layers.conv2d,
      conv2dTranspose: tfl.layers.conv2dTranspose,
      spectral,
    };
  return {
    dense: (args) => spectralDense({ ...args, uSeed: seed() }),
    conv2d: (args) => spectralConv2d({ ...args, uSeed: seed() }),
    conv2dTranspose: (args) => spectralConv2dTranspose({ ...args, uSeed: seed() }),
    spectral,
  };
}

export function isSpectral(layer: tfl.layers.Layer): layer is SpectralLayer {
  return typeof (layer as Partial<SpectralMethods>).powerIterate === 'function';
}

/** The spectrally normalised layers of a model (none: powerIterate costs nothing). */
export function spectralLayers(model: tfl.LayersModel): SpectralLayer[] {
  return model.layers.filter((l): l is SpectralLayer => isSpectral(l));
}

/** One power iteration on every spectrally normalised layer of `model` (or of the list). */
export function powerIterate(model: tfl.LayersModel | SpectralLayer[]): void {
  const layers = Array.isArray(model) ? model : spectralLayers(model);
  for (const layer of layers) layer.powerIterate();
}
