import { Transpose, type TransposeAttrs } from '@tensorflow/tfjs-core';
import { addon, dims, f32, nativeKernel, out } from './util.js';
import { alloc } from '../pool.js';

export const transposeConfig = nativeKernel(Transpose, ({ inputs, backend, attrs }) => {
  const { x } = inputs;
  const { perm } = attrs as unknown as TransposeAttrs;
  const xv = f32(backend, x);
  if (!xv || x.shape.length > 8) return undefined;
  const result = alloc(xv.length);
  addon().transpose(xv, result, dims(x.shape), dims(perm));
  return out(
    backend,
    perm.map((p) => x.shape[p]),
    result,
  );
});
