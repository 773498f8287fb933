// Conv2DBackpropFilter for tfjs-backend-wasm, which lacks it (so no conv net
// could train there). im2col in JS, then the wasm backend's own (XNNPACK)
// matmul: dW[kh·kw·ic, oc] = P[kh·kw·ic, n·oh·ow] · dy[n·oh·ow, oc], where P holds
// the patches already transposed (wasm's matmul with transposeA was ~20× slower).
import * as tf from '@tensorflow/tfjs-core';
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

interface WasmBackendLike {
  readSync(dataId: object): backend_util.BackendValues;
  write(values: backend_util.BackendValues | null, shape: number[], dtype: tf.DataType): object;
  disposeData(dataId: object, force?: boolean): boolean;
}

function conv2DBackpropFilter(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as unknown as WasmBackendLike;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Conv2DBackpropFilterAttrs;
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
  if (info.dataFormat !== 'channelsLast') {
    throw new Error(`Expected dataFormat NHWC for Conv2DBackpropFilter on wasm but received ${dataFormat}`);
  }
  const {
    batchSize: n,
    inHeight: ih,
    inWidth: iw,
    inChannels: ic,
    outHeight: oh,
    outWidth: ow,
    outChannels: oc,
    filterHeight: kh,
    filterWidth: kw,
    strideHeight: sh,
    strideWidth: sw,
  } = info;
  const { top, left } = info.padInfo;
  const xv = backend.readSync(x.dataId) as Float32Array;
  const rows = n * oh * ow,
    k = kh * kw * ic;
  const patches = new Float32Array(k * rows); // [k, rows]; zeros stand for the padding
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < oh; r++) {
      for (let c = 0; c < ow; c++) {
        const col = (b * oh + r) * ow + c;
        for (let i = 0; i < kh; i++) {
          const y = r * sh + i - top;
          if (y < 0 || y >= ih) continue;
          for (let j = 0; j < kw; j++) {
            const xx = c * sw + j - left;
            if (xx < 0 || xx >= iw) continue;
            const src = ((b * ih + y) * iw + xx) * ic;
            let dst = (i * kw + j) * ic * rows + col;
            for (let ch = 0; ch < ic; ch++, dst += rows) patches[dst] = xv[src + ch];
          }
        }
      }
    }
  }
  const patchesId = backend.write(patches, [1, k, rows], 'float32');
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (!matMul) throw new Error('Expected a BatchMatMul kernel on wasm but received none');
  const result = matMul.kernelFunc({
    inputs: {
      a: { dataId: patchesId, shape: [1, k, rows], dtype: 'float32' },
      b: { dataId: dy.dataId, shape: [1, rows, oc], dtype: 'float32' },
    },
    backend: args.backend,
    attrs: { transposeA: false, transposeB: false },
  }) as TensorInfo;
  backend.disposeData(patchesId);
  return { dataId: result.dataId, shape: [...filterShape], dtype: 'float32' };
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
