import { backend_util, Conv2DBackpropInput, type Conv2DBackpropInputAttrs } from '@tensorflow/tfjs-core';
import { addon, f32, nativeKernel, out, sizeOf } from './util.js';
import { alloc } from '../pool.js';
import { packConvInfo } from './conv_common.js';

// Gradient of a convolution w.r.t. its input — and the forward pass of every
// transposed convolution (tf.conv2dTranspose), hence a hot kernel in generators.
export const conv2DBackpropInputConfig = nativeKernel(Conv2DBackpropInput, ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs;
  const { inputShape, strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as Conv2DBackpropInputAttrs;
  const dyv = f32(backend, dy),
    wv = f32(backend, filter);
  if (!dyv || !wv) return undefined;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const packed = packConvInfo(info);
  if (!packed || sizeOf(dy.shape) !== sizeOf(info.outShape)) return undefined;
  const dx = alloc(sizeOf(inputShape));
  addon().conv2dBackpropInput(dyv, wv, dx, packed);
  return out(backend, [...inputShape], dx);
});
