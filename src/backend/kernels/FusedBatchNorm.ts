import { FusedBatchNorm, type FusedBatchNormAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { addon, f32, nativeKernel, out } from './util.js';
import { alloc } from '../pool.js';

// tf.batchNorm with given statistics; per-channel along the last dim. tfjs
// indexes each statistic modulo its length, which equals per-channel when the
// length is the channel count (or 1) — other lengths go to the cpu kernel.
export const fusedBatchNormConfig = nativeKernel(FusedBatchNorm, ({ inputs, backend, attrs }) => {
  const { x, mean, variance } = inputs;
  const offset = inputs.offset as TensorInfo | undefined,
    scale = inputs.scale as TensorInfo | undefined;
  const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
  const xv = f32(backend, x),
    mv = f32(backend, mean),
    vv = f32(backend, variance);
  const ov = offset ? f32(backend, offset) : null,
    sv = scale ? f32(backend, scale) : null;
  if (!xv || !mv || !vv || ov === undefined || sv === undefined || x.shape.length === 0) return undefined;
  const c = x.shape[x.shape.length - 1];
  const fits = (t: Float32Array | null) => t === null || t.length === 1 || t.length === c;
  if (c === 0 || !fits(mv) || !fits(vv) || !fits(ov) || !fits(sv)) return undefined;
  const result = alloc(xv.length);
  addon().batchNorm(xv, mv, vv, ov, sv, result, c, varianceEpsilon ?? 0.001);
  return out(backend, [...x.shape], result);
});
