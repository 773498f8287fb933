import { unaryKernel } from './unary_ops.js';

export const negConfig = unaryKernel('Neg');
