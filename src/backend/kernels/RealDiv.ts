import { binaryKernel } from './binary_ops.js';

export const realDivConfig = binaryKernel('RealDiv');
