import { unaryKernel } from './unary_ops.js';

export const reciprocalConfig = unaryKernel('Reciprocal');
