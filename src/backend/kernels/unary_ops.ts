// Element-wise unary kernels share one native entry point; the op codes match
// enum UnaryOp in native/src/unary.cc (checked by test/backend/op-codes.test.ts).
import type { KernelConfig, NamedAttrMap } from '@tensorflow/tfjs-core';
import { addon, f32, nativeKernel, out } from './util.js';
import { alloc } from '../pool.js';

export const UnaryOp = {
  Neg: 0,
  Abs: 1,
  Square: 2,
  Sqrt: 3,
  Rsqrt: 4,
  Reciprocal: 5,
  Exp: 6,
  Log: 7,
  Log1p: 8,
  Tanh: 9,
  Sigmoid: 10,
  Softplus: 11,
  Relu: 12,
  Relu6: 13,
  LeakyRelu: 14,
  Elu: 15,
  Step: 16,
  Sign: 17,
  ClipByValue: 18,
} as const;

/** A float32 → float32 kernel; `params` reads the op's attributes into (alpha, beta). */
export function unaryKernel(
  kernelName: keyof typeof UnaryOp,
  params: (attrs: NamedAttrMap) => [number, number] = () => [0, 0],
): KernelConfig {
  const code = UnaryOp[kernelName];
  return nativeKernel(kernelName, ({ inputs, backend, attrs }) => {
    const x = inputs.x;
    const xv = f32(backend, x);
    if (!xv) return undefined;
    const [alpha, beta] = params(attrs ?? {});
    const y = alloc(xv.length);
    addon().unary(code, xv, y, alpha, beta);
    return out(backend, [...x.shape], y);
  });
}
