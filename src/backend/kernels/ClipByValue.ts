import { unaryKernel } from './unary_ops.js';

export const clipByValueConfig = unaryKernel('ClipByValue', (attrs) => [
  attrs.clipValueMin as number,
  attrs.clipValueMax as number,
]);
