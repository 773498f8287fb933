import { PadV2, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel, out, sizeOf } from './util.js';
import { copyRows } from './rows.js';

// Constant padding of a float32 tensor, row by row (the cpu kernel goes element by
// element through TensorBuffer). tfjs takes Slice's gradient as a PadV2 of the
// upstream gradient, so every slice in a training step brings one of these.
export const padV2Config = nativeKernel(PadV2, ({ inputs, attrs, backend }) => {
  const x = inputs.x as TensorInfo;
  const input = backend.data.get(x.dataId).values;
  if (x.dtype !== 'float32' || !(input instanceof Float32Array) || x.shape.length === 0) return undefined;
  const { paddings, constantValue } = attrs as unknown as { paddings: [number, number][]; constantValue: number };
  const shape = x.shape.map((n, d) => paddings[d][0] + n + paddings[d][1]);
  const result = new Float32Array(sizeOf(shape));
  if (constantValue !== 0) result.fill(constantValue);
  copyRows(
    input,
    x.shape,
    new Array(x.shape.length).fill(0),
    result,
    shape,
    paddings.map((p) => p[0]),
    x.shape,
  );
  return out(backend, shape, result);
});
