import { unaryKernel } from './unary_ops.js';

export const softplusConfig = unaryKernel('Softplus');
