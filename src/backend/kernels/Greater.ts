import { binaryKernel } from './binary_ops.js';

export const greaterConfig = binaryKernel('Greater');
