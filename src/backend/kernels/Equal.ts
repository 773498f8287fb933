import { binaryKernel } from './binary_ops.js';

export const equalConfig = binaryKernel('Equal');
