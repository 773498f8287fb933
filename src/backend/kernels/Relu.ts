import { unaryKernel } from './unary_ops.js';

export const reluConfig = unaryKernel('Relu');
