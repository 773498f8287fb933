import { unaryKernel } from './unary_ops.js';

export const leakyReluConfig = unaryKernel('LeakyRelu', (attrs) => [attrs.alpha as number, 0]);
