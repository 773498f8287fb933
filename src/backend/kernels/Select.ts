import { Select } from '@tensorflow/tfjs-core';
import { addon, f32, nativeKernel, out, u8 } from './util.js';
import { alloc } from '../pool.js';

// where(cond, t, e) — gradients of relu/leakyRelu/max use it. Only the
// same-shape case is native (tfjs also allows a rank-1 condition).
export const selectConfig = nativeKernel(Select, ({ inputs, backend }) => {
  const { condition, t, e } = inputs;
  const c = u8(backend, condition),
    tv = f32(backend, t),
    ev = f32(backend, e);
  if (!c || !tv || !ev || c.length !== tv.length || tv.length !== ev.length) return undefined;
  const result = alloc(tv.length);
  addon().select(c, tv, ev, result);
  return out(backend, [...t.shape], result);
});
