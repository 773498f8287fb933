import { unaryKernel } from './unary_ops.js';

export const sigmoidConfig = unaryKernel('Sigmoid');
