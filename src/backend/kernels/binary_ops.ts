// Element-wise binary kernels with broadcasting share one native entry point;
// codes match enum BinaryOp in native/src/binary.cc (checked by
// test/backend/op-codes.test.ts). Shapes are right-aligned to the output's
// rank here so the native side only merges and loops.
import { backend_util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { addon, dims, f32, nativeKernel, out, sizeOf } from './util.js';
import { alloc } from '../pool.js';

export const BinaryOp = {
  Add: 0,
  Sub: 1,
  Multiply: 2,
  RealDiv: 3,
  Maximum: 4,
  Minimum: 5,
  SquaredDifference: 6,
  Pow: 7,
  CopyA: 8,
  Greater: 9,
  GreaterEqual: 10,
  Less: 11,
  LessEqual: 12,
  Equal: 13,
  NotEqual: 14,
} as const;

function padTo(shape: readonly number[], rank: number): number[] {
  return [...new Array<number>(rank - shape.length).fill(1), ...shape];
}

/** Runs op on a and b broadcast to outShape (already validated); returns undefined for non-float32. */
export function runBinary(
  backend: MathBackendCPU,
  code: number,
  a: TensorInfo,
  b: TensorInfo,
  outShape: number[],
): TensorInfo | undefined {
  const av = f32(backend, a),
    bv = f32(backend, b);
  if (!av || !bv || outShape.length > 8) return undefined;
  const rank = outShape.length;
  const compare = code >= BinaryOp.Greater;
  const n = sizeOf(outShape);
  const result = compare ? new Uint8Array(n) : alloc(n);
  if (n > 0) {
    addon().binary(code, av, bv, result, dims(padTo(a.shape, rank)), dims(padTo(b.shape, rank)), dims(outShape));
  }
  return out(backend, outShape, result, compare ? 'bool' : 'float32');
}

export function binaryKernel(kernelName: Exclude<keyof typeof BinaryOp, 'CopyA'>): KernelConfig {
  const code = BinaryOp[kernelName];
  return nativeKernel(kernelName, ({ inputs, backend }) => {
    const { a, b } = inputs;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    return runBinary(backend, code, a, b, outShape);
  });
}
