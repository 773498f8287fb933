import { BatchMatMul, type BatchMatMulAttrs } from '@tensorflow/tfjs-core';
import { nativeKernel } from './util.js';
import { nativeMatMul } from './matmul_common.js';

export const batchMatMulConfig = nativeKernel(BatchMatMul, ({ inputs, backend, attrs }) => {
  const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
  return nativeMatMul(backend, inputs.a, inputs.b, transposeA, transposeB, undefined, 0, 0);
});
