import { unaryKernel } from './unary_ops.js';

export const sqrtConfig = unaryKernel('Sqrt');
