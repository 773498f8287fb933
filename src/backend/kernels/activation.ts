// Activation codes shared with enum Activation in native/src/common.h, keyed by
// tfjs's activation names; test/backend/op-codes.test.ts checks that they agree.
import type { TensorInfo } from '@tensorflow/tfjs-core';

export const ActivationCode: Readonly<Record<string, number>> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  leakyrelu: 3,
  elu: 4,
  sigmoid: 5,
};

/** The native code for a fused activation, or undefined (prelu, unknown) → cpu fallback. */
export function activationCode(activation: string | undefined, prelu: TensorInfo | undefined): number | undefined {
  if (prelu) return undefined;
  return ActivationCode[activation ?? 'linear'];
}
