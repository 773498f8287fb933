import { nativeKernel } from './util.js';
import { BinaryOp, runBinary } from './binary_ops.js';

/** Kernel behind the native gradient of Mean (see ../gradients.ts). */
export const GANKIT_MEAN_GRAD = 'GankitMeanGrad';

// dx = broadcast(dy viewed with the reduced axes kept as 1) / n, in one pass.
// tfjs's own gradient fills a full-size ones tensor in JS, multiplies, then
// divides: three full-size passes and an unpooled allocation.
export const gankitMeanGradConfig = nativeKernel(GANKIT_MEAN_GRAD, ({ inputs, backend, attrs }) => {
  const { dy } = inputs;
  const xShape = attrs!.xShape as number[];
  const keptShape = attrs!.keptShape as number[];
  const n = attrs!.reduceSize as number;
  const inv = backend.makeTensorInfo([], 'float32', Float32Array.of(1 / n));
  const result = runBinary(backend, BinaryOp.Multiply, { ...dy, shape: keptShape }, inv, [...xShape]);
  backend.disposeData(inv.dataId);
  return result;
});
