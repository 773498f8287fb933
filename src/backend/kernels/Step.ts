import { unaryKernel } from './unary_ops.js';

export const stepConfig = unaryKernel('Step', (attrs) => [attrs.alpha as number, 0]);
