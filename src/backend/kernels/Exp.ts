import { unaryKernel } from './unary_ops.js';

export const expConfig = unaryKernel('Exp');
