import { unaryKernel } from './unary_ops.js';

export const rsqrtConfig = unaryKernel('Rsqrt');
