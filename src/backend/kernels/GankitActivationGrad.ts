import { addon, f32, nativeKernel, out } from './util.js';
import { alloc } from '../pool.js';

/** Kernel behind the native gradients of Relu and LeakyRelu; see ../gradients.ts. */
export const GANKIT_ACTIVATION_GRAD = 'GankitActivationGrad';

/** Its `op` attribute: enum ActivationGradOp in native/src/unary.cc (checked by test/backend/op-codes.test.ts). */
export const ActivationGradOp = { Relu: 0, LeakyRelu: 1 } as const;

export const gankitActivationGradConfig = nativeKernel(GANKIT_ACTIVATION_GRAD, ({ inputs, backend, attrs }) => {
  const { dy, x } = inputs;
  const dyv = f32(backend, dy),
    xv = f32(backend, x);
  if (!dyv || !xv || dyv.length !== xv.length) {
    throw new Error('Expected float32 dy and x of one size for GankitActivationGrad but received others');
  }
  const dx = alloc(dyv.length);
  addon().activationGrad(attrs!.op as number, dyv, xv, dx, attrs!.alpha as number);
  return out(backend, [...x.shape], dx);
});
