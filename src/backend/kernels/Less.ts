import { binaryKernel } from './binary_ops.js';

export const lessConfig = binaryKernel('Less');
