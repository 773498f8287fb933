// Reductions: x is viewed as [outer, r, inner] with the reduced axes in the
// middle (transposing natively first when they are not adjacent); codes match
// enum ReduceOp in native/src/reduce.cc (checked by test/backend/op-codes.test.ts).
import { backend_util, util, type KernelConfig, type NamedAttrMap } from '@tensorflow/tfjs-core';
import { addon, dims, f32, nativeKernel, out, sizeOf } from './util.js';
import { alloc, release } from '../pool.js';

export const ReduceOp = { Sum: 0, Mean: 1, Max: 2, Min: 3, Prod: 4 } as const;

export function reduceKernel(
  kernelName: keyof typeof ReduceOp,
  axisOf: (attrs: NamedAttrMap) => number | number[],
): KernelConfig {
  const code = ReduceOp[kernelName];
  return nativeKernel(kernelName, ({ inputs, backend, attrs }) => {
    const { x } = inputs;
    const xv = f32(backend, x);
    if (!xv) return undefined;
    const a = attrs ?? {};
    const keepDims = Boolean(a.keepDims);
    const axes = util.parseAxisParam(axisOf(a), x.shape).sort((p, q) => p - q);
    const [outShape, reduceShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
    const r = sizeOf(reduceShape);
    if (r === 0 || sizeOf(x.shape) === 0) return undefined; // identities/empties: leave to cpu
    const finalShape = keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    const result = alloc(sizeOf(outShape));
    const contiguous = axes.every((ax, i) => i === 0 || ax === axes[i - 1] + 1);
    if (contiguous) {
      const outer = sizeOf(x.shape.slice(0, axes[0]));
      const inner = sizeOf(x.shape.slice(axes[axes.length - 1] + 1));
      addon().reduce(code, xv, result, outer, r, inner);
    } else {
      // Move the reduced axes innermost, then reduce rows.
      const perm = backend_util.getAxesPermutation(axes, x.shape.length) as number[];
      const moved = alloc(xv.length);
      addon().transpose(xv, moved, dims(x.shape), dims(perm));
      addon().reduce(code, moved, result, sizeOf(outShape), r, 1);
      release(moved);
    }
    return out(backend, finalShape, result);
  });
}
