import { unaryKernel } from './unary_ops.js';

export const tanhConfig = unaryKernel('Tanh');
