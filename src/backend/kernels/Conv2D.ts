import { backend_util, Conv2D, type Conv2DAttrs } from '@tensorflow/tfjs-core';
import { addon, f32, nativeKernel, out, sizeOf } from './util.js';
import { alloc } from '../pool.js';
import { packConvInfo } from './conv_common.js';

export const conv2DConfig = nativeKernel(Conv2D, ({ inputs, backend, attrs }) => {
  const { x, filter } = inputs;
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as unknown as Conv2DAttrs;
  const xv = f32(backend, x),
    wv = f32(backend, filter);
  if (!xv || !wv) return undefined;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const packed = packConvInfo(info);
  if (!packed) return undefined;
  const y = alloc(sizeOf(info.outShape));
  addon().conv2d(xv, wv, null, y, packed, 0, 0);
  return out(backend, info.outShape, y);
});
