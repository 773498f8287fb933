// Gradients that run as one native kernel on the native backend.
//
// tfjs keeps gradient functions in one registry for all backends, and the
// stock gradients of batch norm and mean cost a dozen full-size tensor ops per
// layer (a third of a DCGAN-28 step's non-convolution time), those of ReLU and
// leaky ReLU three. We wrap those entries: on the native backend, in the cases the native kernels cover,
// they call GankitFusedBatchNormGrad / GankitMeanGrad; everywhere else they
// call the gradient that was registered before (tfjs's own), unchanged.
// (Kernels: GankitFusedBatchNormGrad, GankitMeanGrad, GankitActivationGrad.)
// GankitDense (a dense layer's matmul + bias, ./unfused.ts) gets its gradient here too.
// Second-order gradients go through the activation and mean kernels (gradient
// penalties need them). Batch norm's native kernel has no gradient of its own,
// so while a backward pass is itself being recorded (a gradient penalty's
// double backprop) batch norm uses tfjs's differentiable gradient instead.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { GANKIT_FUSED_BATCH_NORM_GRAD } from './kernels/GankitFusedBatchNormGrad.js';
import { GANKIT_MEAN_GRAD } from './kernels/GankitMeanGrad.js';
import { ActivationGradOp, GANKIT_ACTIVATION_GRAD } from './kernels/GankitActivationGrad.js';
import { GANKIT_DENSE } from './kernels/GankitDense.js';

const WRAPPED = Symbol('gankit-native-gradient');

type GradFunc = GradConfig['gradFunc'];

function wrap(
  kernelName: string,
  inputsToSave: string[],
  fast: (dy: Tensor, saved: Tensor[], attrs: NamedAttrMap) => ReturnType<GradFunc> | undefined,
): void {
  const original = tf.getGradient(kernelName);
  if (original && (original as unknown as Record<symbol, boolean>)[WRAPPED]) return;
  const gradFunc: GradFunc = (dy, saved, attrs) => {
    if (tf.getBackend() === 'native' && !Array.isArray(dy)) {
      const r = fast(dy, saved, attrs);
      if (r) return r;
    }
    if (!original) throw new Error(`Cannot compute gradient: gradient function not found for ${kernelName}.`);
    return original.gradFunc(dy, saved, attrs);
  };
  const config: GradConfig = {
    ...(original ?? {}),
    kernelName,
    inputsToSave: original?.inputsToSave ?? inputsToSave,
    gradFunc,
  };
  (config as unknown as Record<symbol, boolean>)[WRAPPED] = true;
  tf.registerGradient(config);
}

/** Whether the engine is recording a tape right now, i.e. this backward pass will itself be differentiated. */
function taping(): boolean {
  const engine = tf.engine() as unknown as { isTapeOn?: () => boolean };
  return engine.isTapeOn ? engine.isTapeOn() : true;
}

/** Installs the wrappers (idempotent). Call after tfjs's gradients are registered (importing tfjs-layers does that). */
export function installNativeGradients(): void {
  wrap('FusedBatchNorm', ['x', 'mean', 'variance', 'scale'], (dy, saved, attrs) => {
    if (taping()) return undefined;
    const [x, mean, variance, scale] = saved;
    const c = x.shape[x.shape.length - 1];
    const perChannel = (t: Tensor | undefined) => t === undefined || t === null || (t.rank === 1 && t.shape[0] === c);
    if (x.dtype !== 'float32' || mean.rank !== 1 || !perChannel(mean) || !perChannel(variance) || !perChannel(scale)) {
      return undefined;
    }
    const inputs: tf.NamedTensorMap = { x, dy, mean, variance };
    if (scale) inputs.scale = scale;
    const [dx, dmean, dvar, dscale, doff] = tf
      .engine()
      .runKernel(GANKIT_FUSED_BATCH_NORM_GRAD, inputs, attrs) as Tensor[];
    return { x: () => dx, mean: () => dmean, variance: () => dvar, scale: () => dscale, offset: () => doff };
  });
  const activation = (op: number) => (dy: Tensor, saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved;
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') return undefined;
    return {
      x: () =>
        tf
          .engine()
          .runKernel(
            GANKIT_ACTIVATION_GRAD,
            { dy, x },
            { op, alpha: (attrs?.alpha as number | undefined) ?? 0 },
          ) as Tensor,
    };
  };
  // Gradient penalties (R1, WGAN-GP) differentiate these gradients again. The
  // activation gradient dy·f'(x) is linear in dy with f' piecewise constant, so its
  // own gradient is the same kernel on the incoming gradient, and zero for x.
  if (!tf.getGradient(GANKIT_ACTIVATION_GRAD)) {
    tf.registerGradient({
      kernelName: GANKIT_ACTIVATION_GRAD,
      inputsToSave: ['x'],
      gradFunc: (dy2, saved, attrs) => {
        const [x] = saved;
        return {
          dy: () => tf.engine().runKernel(GANKIT_ACTIVATION_GRAD, { dy: dy2 as Tensor, x }, attrs) as Tensor,
          x: () => tf.zerosLike(x),
        };
      },
    });
  }
  // y = a·b + bias. Each input's gradient is computed only when asked for: a
  // generator step never needs D's weight gradients, a D step never needs the images'.
  if (!tf.getGradient(GANKIT_DENSE)) {
    tf.registerGradient({
      kernelName: GANKIT_DENSE,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, saved) => {
        const [a, b] = saved;
        const g = dy as Tensor;
        return {
          a: () => tf.matMul(g, b, false, true),
          b: () => tf.matMul(a, g, true, false),
          bias: () => tf.sum(g, 0),
        };
      },
    });
  }
  wrap('Relu', ['x'], activation(ActivationGradOp.Relu));
  wrap('LeakyRelu', ['x'], activation(ActivationGradOp.LeakyRelu));
  wrap('Mean', ['x'], (dy, saved, attrs) => {
    const [x] = saved;
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') return undefined;
    const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
    const keptShape = x.shape.slice();
    for (const a of axes) keptShape[a] = 1;
    const reduceSize = axes.reduce((n, a) => n * x.shape[a], 1);
    return {
      x: () => tf.engine().runKernel(GANKIT_MEAN_GRAD, { dy }, { xShape: x.shape, keptShape, reduceSize }) as Tensor,
    };
  });
  // The mean's gradient spreads dy evenly over the reduced axes: a linear map whose
  // own gradient averages the incoming gradient back over those axes.
  if (!tf.getGradient(GANKIT_MEAN_GRAD)) {
    tf.registerGradient({
      kernelName: GANKIT_MEAN_GRAD,
      inputsToSave: ['dy'],
      gradFunc: (dy2, saved, attrs) => {
        const [dy] = saved;
        const keptShape = attrs.keptShape as number[];
        const axes = keptShape.flatMap((n, i) => (n === 1 && (attrs.xShape as number[])[i] !== 1 ? [i] : []));
        return { dy: () => tf.reshape(axes.length ? tf.mean(dy2 as Tensor, axes, true) : (dy2 as Tensor), dy.shape) };
      },
    });
  }
}
