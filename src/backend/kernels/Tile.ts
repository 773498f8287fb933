import { Tile, type TileAttrs } from '@tensorflow/tfjs-core';
import { f32, nativeKernel } from './util.js';
import { BinaryOp, runBinary } from './binary_ops.js';

// tile(x, reps) is a broadcast: view x as [1, d0, 1, d1, …] and the output as
// [r0, d0, r1, d1, …]. Batch norm's gradient tiles per-channel statistics to
// the full activation size, so this is on the training path.
export const tileConfig = nativeKernel(Tile, ({ inputs, backend, attrs }) => {
  const { x } = inputs;
  const { reps } = attrs as unknown as TileAttrs;
  const xv = f32(backend, x);
  if (!xv || reps.length !== x.shape.length || 2 * reps.length > 8) return undefined;
  const view = x.shape.flatMap((d) => [1, d]);
  const outView = x.shape.flatMap((d, i) => [reps[i], d]);
  const r = runBinary(backend, BinaryOp.CopyA, { ...x, shape: view }, { ...x, shape: view.map(() => 1) }, outView);
  if (!r) return undefined;
  return { ...r, shape: x.shape.map((d, i) => d * reps[i]) };
});
