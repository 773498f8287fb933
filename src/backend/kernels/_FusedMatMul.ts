import { _FusedMatMul, type _FusedMatMulAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './util.js';
import { nativeMatMul } from './matmul_common.js';
import { activationCode } from './activation.js';

// Bias and activation run on the matmul's output while it is still in cache.
export const fusedMatMulConfig = nativeKernel(_FusedMatMul, ({ inputs, backend, attrs }) => {
  const { transposeA, transposeB, activation, leakyreluAlpha } = attrs as unknown as _FusedMatMulAttrs;
  const act = activationCode(activation, inputs.preluActivationWeights as TensorInfo | undefined);
  if (act === undefined) return undefined;
  return nativeMatMul(
    backend,
    inputs.a,
    inputs.b,
    transposeA,
    transposeB,
    inputs.bias as TensorInfo | undefined,
    act,
    leakyreluAlpha ?? 0.2,
  );
});
