import { Slice } from '@tensorflow/tfjs-core';
import { cpuFallback, nativeKernel } from './util.js';

// tfjs-backend-cpu returns a contiguous slice as a view (subarray) of its
// input's buffer. Our buffer pool may recycle that input's buffer once it is
// disposed, which would rewrite the view, so the native backend copies.
const cpuSlice = cpuFallback(Slice);

export const sliceConfig = nativeKernel(Slice, (args) => {
  const { backend } = args;
  const result = cpuSlice(args as never) as { dataId: object; shape: number[]; dtype: string };
  const input = backend.data.get(args.inputs.x.dataId).values;
  const entry = backend.data.get(result.dataId);
  const values = entry.values as ArrayLike<number> & { buffer?: ArrayBufferLike; slice?: () => unknown };
  if (input && values && (input as { buffer?: ArrayBufferLike }).buffer === values.buffer && values.slice) {
    entry.values = values.slice() as typeof entry.values;
  }
  return result as never;
});
