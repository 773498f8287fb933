import { unaryKernel } from './unary_ops.js';

export const relu6Config = unaryKernel('Relu6');
