import { unaryKernel } from './unary_ops.js';

export const log1pConfig = unaryKernel('Log1p');
