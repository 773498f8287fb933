// Conv geometry for the native conv kernels: tfjs's computeConv2DInfo, packed
// into the 17 integers native/src/conv.cc reads. Only NHWC goes native, and
// only when oneDNN's output-size rule agrees with tfjs's (it always does for
// 'same', 'valid' and floor-rounded explicit padding).
import { backend_util } from '@tensorflow/tfjs-core';
import { dims } from './util.js';

export function packConvInfo(info: backend_util.Conv2DInfo): Int32Array | undefined {
  if (info.dataFormat !== 'channelsLast') return undefined;
  const { top, left, bottom, right } = info.padInfo;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return undefined;
  const ok = (inS: number, pa: number, pb: number, eff: number, s: number, o: number) =>
    Math.floor((inS + pa + pb - eff) / s) + 1 === o;
  if (
    !ok(info.inHeight, top, bottom, info.effectiveFilterHeight, info.strideHeight, info.outHeight) ||
    !ok(info.inWidth, left, right, info.effectiveFilterWidth, info.strideWidth, info.outWidth)
  ) {
    return undefined;
  }
  if (info.batchSize * info.outHeight * info.outWidth * info.inChannels * info.outChannels === 0) return undefined;
  return dims([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    top,
    left,
    bottom,
    right,
  ]);
}
