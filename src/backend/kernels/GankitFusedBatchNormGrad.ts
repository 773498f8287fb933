import type { TensorInfo } from '@tensorflow/tfjs-core';
import { addon, f32, nativeKernel, out } from './util.js';
import { alloc } from '../pool.js';

/** Kernel behind the native gradient of FusedBatchNorm (see ../gradients.ts). */
export const GANKIT_FUSED_BATCH_NORM_GRAD = 'GankitFusedBatchNormGrad';

// Inputs x, dy, mean, variance[, scale]; outputs [dx, dmean, dvariance, dscale, doffset].
// Statistics are per channel (the last dim); ../gradients.ts only calls this then.
export const gankitFusedBatchNormGradConfig = nativeKernel(
  GANKIT_FUSED_BATCH_NORM_GRAD,
  ({ inputs, backend, attrs }) => {
    const { x, dy, mean, variance } = inputs;
    const scale = inputs.scale as TensorInfo | undefined;
    const c = x.shape[x.shape.length - 1];
    const xv = f32(backend, x),
      dyv = f32(backend, dy),
      mv = f32(backend, mean),
      vv = f32(backend, variance);
    const sv = scale ? f32(backend, scale) : null;
    if (!xv || !dyv || !mv || !vv || sv === undefined) {
      throw new Error('Expected float32 inputs for GankitFusedBatchNormGrad but received another dtype');
    }
    const dx = alloc(xv.length);
    const small = () => new Float32Array(c);
    const [dmean, dvar, dscale, doff] = [small(), small(), small(), small()];
    addon().batchNormGrad(
      xv,
      dyv,
      mv,
      vv,
      sv,
      c,
      (attrs?.varianceEpsilon as number) ?? 0.001,
      dx,
      dmean,
      dvar,
      dscale,
      doff,
    );
    return [
      out(backend, [...x.shape], dx),
      out(backend, [...mean.shape], dmean),
      out(backend, [...mean.shape], dvar),
      out(backend, [...mean.shape], dscale),
      out(backend, [...mean.shape], doff),
    ];
  },
);
