import { binaryKernel } from './binary_ops.js';

export const multiplyConfig = binaryKernel('Multiply');
