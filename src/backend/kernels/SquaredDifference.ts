import { binaryKernel } from './binary_ops.js';

export const squaredDifferenceConfig = binaryKernel('SquaredDifference');
