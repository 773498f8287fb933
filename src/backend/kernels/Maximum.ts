import { binaryKernel } from './binary_ops.js';

export const maximumConfig = binaryKernel('Maximum');
