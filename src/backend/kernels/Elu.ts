import { unaryKernel } from './unary_ops.js';

export const eluConfig = unaryKernel('Elu');
