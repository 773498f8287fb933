import { unaryKernel } from './unary_ops.js';

export const signConfig = unaryKernel('Sign');
