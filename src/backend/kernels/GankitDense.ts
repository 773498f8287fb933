import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { BACKEND_NAME, kernelCounts } from './util.js';
import { nativeMatMul } from './matmul_common.js';

/** A dense layer's a·b + bias as one native kernel; see ../unfused.ts for why it exists. */
export const GANKIT_DENSE = 'GankitDense';

// Only ../unfused.ts calls it, and only with a [m, k], b [k, n] and bias [n] in
// float32, which the native matmul always covers: there is no cpu kernel to fall back to.
const kernelFunc: KernelFunc = ({ inputs, backend }) => {
  const { a, b, bias } = inputs as Record<string, TensorInfo>;
  const result = nativeMatMul(backend as MathBackendCPU, a, b, false, false, bias, 0, 0);
  if (!result) {
    throw new Error(
      `Expected float32 a [m, k], b [k, n] and bias [n] for ${GANKIT_DENSE} but received ` +
        `shapes ${[a, b, bias].map((t) => `[${t.shape}] ${t.dtype}`).join(', ')}`,
    );
  }
  kernelCounts.native.set(GANKIT_DENSE, (kernelCounts.native.get(GANKIT_DENSE) ?? 0) + 1);
  return result;
};

export const gankitDenseConfig: KernelConfig = { kernelName: GANKIT_DENSE, backendName: BACKEND_NAME, kernelFunc };
