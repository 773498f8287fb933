import { SplitV, backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel, out } from './util.js';
import { box } from './rows.js';

// Split of a float32 tensor into boxes along one axis, each copied run by run (the
// cpu kernel slices element by element). tfjs takes Concat's gradient as a split, so
// conditional models that concatenate [z, code] before G meet one every step.
export const splitVConfig = nativeKernel(SplitV, ({ inputs, attrs, backend }) => {
  const x = inputs.x as TensorInfo;
  const input = backend.data.get(x.dataId).values;
  if (x.dtype !== 'float32' || !(input instanceof Float32Array) || x.shape.length === 0) return undefined;
  const { numOrSizeSplits, axis } = attrs as unknown as { numOrSizeSplits: number | number[]; axis: number | number[] };
  const along = util.parseAxisParam(axis, x.shape)[0];
  const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, along);
  const start = new Array(x.shape.length).fill(0);
  return sizes.map((s) => {
    const shape = x.shape.slice();
    shape[along] = s;
    const result = out(backend, shape, box(input, x.shape, start, shape));
    start[along] += s;
    return result;
  });
});
