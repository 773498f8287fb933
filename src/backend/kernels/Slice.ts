import { Slice, slice_util, type TensorInfo } from '@tensorflow/tfjs-core';
import { cpuFallback, nativeKernel, out } from './util.js';
import { box } from './rows.js';

// A float32 slice is copied run by run along its last axis (rows.ts). The cpu
// kernel reads a strided slice element by element through TensorBuffer, which made
// the conditional models' slices of [z, code] batches dominate their 2D steps.
// tfjs-backend-cpu returns a contiguous slice as a view (subarray) of its input's
// buffer; our buffer pool may recycle that input's buffer once it is disposed, which
// would rewrite the view, so every result here is a copy.
const cpuSlice = cpuFallback(Slice);

export const sliceConfig = nativeKernel(Slice, (args) => {
  const { backend } = args;
  const x = args.inputs.x as TensorInfo;
  const input = backend.data.get(x.dataId).values;
  const { begin, size } = args.attrs as unknown as { begin: number | number[]; size?: number | number[] };
  const [start, extent] = slice_util.parseSliceParams(x, begin, size);
  if (x.dtype === 'float32' && input instanceof Float32Array && x.shape.length > 0) {
    return out(backend, extent, box(input, x.shape, start, extent));
  }
  const result = cpuSlice(args as never) as { dataId: object; shape: number[]; dtype: string };
  const entry = backend.data.get(result.dataId);
  const values = entry.values as ArrayLike<number> & { buffer?: ArrayBufferLike; slice?: () => unknown };
  if (input && values && (input as { buffer?: ArrayBufferLike }).buffer === values.buffer && values.slice) {
    entry.values = values.slice() as typeof entry.values;
  }
  return result as never;
});
