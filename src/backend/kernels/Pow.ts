import { binaryKernel } from './binary_ops.js';

export const powConfig = binaryKernel('Pow');
