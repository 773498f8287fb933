// Activation codes shared with native/src/common.h (enum Activation).
import type { TensorInfo } from '@tensorflow/tfjs-core';

const CODES: Record<string, number> = { linear: 0, relu: 1, relu6: 2, leakyrelu: 3, elu: 4, sigmoid: 5 };

/** The native code for a fused activation, or undefined (prelu, unknown) → cpu fallback. */
export function activationCode(activation: string | undefined, prelu: TensorInfo | undefined): number | undefined {
  if (prelu) return undefined;
  return CODES[activation ?? 'linear'];
}
