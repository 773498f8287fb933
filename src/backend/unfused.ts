// On the native backend, linear (activation-free) fused convolutions and
// matmuls run as their plain ops plus a bias add.
//
// Why: tfjs's fused ops take their gradient from a customGrad that computes
// the gradient for every input eagerly, needed or not; the plain ops' registered
// gradients are lazy. tfjs-layers calls tf.fused.conv2d / tf.fused.matMul for
// every Conv2D and Dense layer, so in a GAN's generator step each discriminator
// layer also computed its unused weight gradient (and in the discriminator step
// the unused gradient w.r.t. the images): ~10 ms of a 150 ms DCGAN-28 step.
// tfjs itself already unfuses under gradients for non-linear activations; this
// extends that to the linear case. The native kernels make the plain ops as
// fast as the fused ones, and the results are the same (conv/matmul then add).
// A Dense layer's matmul + bias runs as one kernel, GankitDense, whose gradient
// (../gradients.ts) is lazy per input: one kernel instead of two, and the bias
// added while the product is still in cache (a tenth of a small MLP's step).
//
// This replaces the two functions on tfjs-core's exported `fused` namespace
// object (which tfjs-layers reads at call time), delegating to the originals
// unless the native backend is active and the call is linear.
import * as tf from '@tensorflow/tfjs-core';
import { GANKIT_DENSE } from './kernels/GankitDense.js';

type FusedConv2DArgs = Parameters<typeof tf.fused.conv2d>[0];
type FusedMatMulArgs = Parameters<typeof tf.fused.matMul>[0];

const MARK = Symbol('gankit-unfused');

function isLinear(activation: string | undefined, prelu: unknown): boolean {
  return (activation === undefined || activation === 'linear') && prelu == null;
}

/**
 * A Dense layer's call (float32 a [m, k] times b [k, n] plus bias [n]), which GankitDense runs as one kernel;
 * else undefined.
 */
function denseInputs(args: FusedMatMulArgs): { a: tf.Tensor; b: tf.Tensor; bias: tf.Tensor } | undefined {
  const { a, b, bias } = args;
  if (!(a instanceof tf.Tensor && b instanceof tf.Tensor && bias instanceof tf.Tensor)) return undefined;
  if (args.transposeA || args.transposeB || [a, b, bias].some((t) => t.dtype !== 'float32')) return undefined;
  const fits =
    a.rank === 2 &&
    b.rank === 2 &&
    bias.rank === 1 &&
    a.shape[1] === b.shape[0] &&
    a.shape[1]! > 0 &&
    bias.shape[0] === b.shape[1];
  return fits ? { a, b, bias } : undefined;
}

export function installUnfusedLinearOps(): void {
  const fused = tf.fused as unknown as Record<string, unknown>;
  const conv2d = tf.fused.conv2d;
  if ((conv2d as unknown as Record<symbol, boolean>)[MARK]) return;
  const matMul = tf.fused.matMul;

  const conv2dUnfused = ((args: FusedConv2DArgs) => {
    if (tf.getBackend() !== 'native' || !isLinear(args.activation, args.preluActivationWeights)) return conv2d(args);
    return tf.tidy(() => {
      const y = tf.conv2d(
        args.x,
        args.filter,
        args.strides,
        args.pad,
        args.dataFormat ?? 'NHWC',
        args.dilations ?? [1, 1],
        args.dimRoundingMode,
      );
      return args.bias == null ? y : tf.add(y, args.bias);
    });
  }) as typeof tf.fused.conv2d;

  const matMulUnfused = ((args: FusedMatMulArgs) => {
    if (tf.getBackend() !== 'native' || !isLinear(args.activation, args.preluActivationWeights)) return matMul(args);
    const dense = denseInputs(args);
    if (dense) return tf.engine().runKernel(GANKIT_DENSE, dense) as tf.Tensor;
    return tf.tidy(() => {
      const y = tf.matMul(args.a, args.b, args.transposeA ?? false, args.transposeB ?? false);
      return args.bias == null ? y : tf.add(y, args.bias);
    });
  }) as typeof tf.fused.matMul;

  (conv2dUnfused as unknown as Record<symbol, boolean>)[MARK] = true;
  fused.conv2d = conv2dUnfused;
  fused.matMul = matMulUnfused;
}
