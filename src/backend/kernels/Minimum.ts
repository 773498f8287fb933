import { binaryKernel } from './binary_ops.js';

export const minimumConfig = binaryKernel('Minimum');
