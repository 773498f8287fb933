import { binaryKernel } from './binary_ops.js';

export const subConfig = binaryKernel('Sub');
