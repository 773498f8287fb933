import { backend_util, FusedConv2D, type FusedConv2DAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { addon, f32, nativeKernel, out, sizeOf } from './util.js';
import { alloc } from '../pool.js';
import { packConvInfo } from './conv_common.js';
import { activationCode } from './activation.js';

// The bias is the convolution primitive's own; the activation runs on its output in
// place (native/src/conv.cc: oneDNN's post-ops turned NaN into numbers).
export const fusedConv2DConfig = nativeKernel(FusedConv2D, ({ inputs, backend, attrs }) => {
  const { x, filter } = inputs;
  const bias = inputs.bias as TensorInfo | undefined;
  const preluActivationWeights = inputs.preluActivationWeights as TensorInfo | undefined;
  const { strides, pad, dataFormat, dilations, dimRoundingMode, activation, leakyreluAlpha } =
    attrs as unknown as FusedConv2DAttrs;
  const act = activationCode(activation, preluActivationWeights);
  const xv = f32(backend, x),
    wv = f32(backend, filter);
  if (act === undefined || !xv || !wv) return undefined;
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
  let bv: Float32Array | null = null;
  if (bias) {
    const b = f32(backend, bias);
    if (!b || b.length !== info.outChannels) return undefined;
    bv = b;
  }
  const y = alloc(sizeOf(info.outShape));
  addon().conv2d(xv, wv, bv, y, packed, act, leakyreluAlpha ?? 0.2);
  return out(backend, info.outShape, y);
});
