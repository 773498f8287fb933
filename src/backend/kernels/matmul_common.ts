// Shared by BatchMatMul and _FusedMatMul: shape logic of tfjs's batched matmul
// (batch dims broadcast; we go native when one side's batch is 1 or both match).
import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { addon, f32, out, sizeOf } from './util.js';
import { alloc } from '../pool.js';

export function nativeMatMul(
  backend: MathBackendCPU,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias: TensorInfo | undefined,
  activation: number,
  alpha: number,
): TensorInfo | undefined {
  const av = f32(backend, a),
    bv = f32(backend, b);
  if (!av || !bv || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const ra = a.shape.length,
    rb = b.shape.length;
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  if (k !== kb || k === 0) return undefined; // the cpu kernel throws tfjs's own message / handles empties
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const outerA = a.shape.slice(0, -2),
    outerB = b.shape.slice(0, -2);
  const batchA = sizeOf(outerA),
    batchB = sizeOf(outerB);
  const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
  if (!(sameOuter || batchA === 1 || batchB === 1)) return undefined;
  const outShape = backend_util.assertAndGetBroadcastShape(outerA, outerB).concat([m, n]);
  let biasV: Float32Array | null = null;
  if (bias) {
    const bv2 = f32(backend, bias);
    if (!bv2 || (bv2.length !== n && bv2.length !== 1)) return undefined;
    // A bias of length n must lie along the last dim to broadcast over rows.
    if (bv2.length === n && n !== 1 && bias.shape[bias.shape.length - 1] !== n) return undefined;
    biasV = bv2;
  }
  const result = alloc(sizeOf(outShape));
  addon().matmul(av, bv, result, batchA, batchB, m, k, n, transposeA, transposeB, biasV, activation, alpha);
  return out(backend, outShape, result);
}
