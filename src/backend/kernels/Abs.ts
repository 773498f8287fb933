import { unaryKernel } from './unary_ops.js';

export const absConfig = unaryKernel('Abs');
