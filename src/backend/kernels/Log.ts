import { unaryKernel } from './unary_ops.js';

export const logConfig = unaryKernel('Log');
