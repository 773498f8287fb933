import { unaryKernel } from './unary_ops.js';

export const squareConfig = unaryKernel('Square');
