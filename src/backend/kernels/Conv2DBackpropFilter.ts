import { backend_util, Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs } from '@tensorflow/tfjs-core';
import { addon, f32, nativeKernel, out, sizeOf } from './util.js';
import { alloc } from '../pool.js';
import { packConvInfo } from './conv_common.js';

// Gradient of a convolution w.r.t. its HWIO filter.
export const conv2DBackpropFilterConfig = nativeKernel(Conv2DBackpropFilter, ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const xv = f32(backend, x),
    dyv = f32(backend, dy);
  if (!xv || !dyv) return undefined;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const packed = packConvInfo(info);
  if (!packed || sizeOf(dy.shape) !== sizeOf(info.outShape)) return undefined;
  const dw = alloc(sizeOf(filterShape));
  addon().conv2dBackpropFilter(xv, dyv, dw, packed);
  return out(backend, [...filterShape], dw);
});
